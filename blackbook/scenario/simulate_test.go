package scenario

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

func TestSimulatePublishesAndDoesNotBan(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"all", Config{Simulate: true}},
		{"one scenario", Config{Scenarios: map[string]Override{SensitiveProbe: {Simulate: true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b banner
			var p published
			e := newEngine(t, tt.cfg, Options{Banner: &b, Publish: p.publish, Clock: newClock().now})
			e.Handle(attack("192.0.2.10", "/.env", "sensitive-file", "bw-file-001", true))
			if got := b.decisions(); len(got) != 0 {
				t.Fatalf("simulate: Banner got %+v, want nothing", got)
			}
			es := p.events()
			if len(es) != 1 {
				t.Fatalf("published %d events, want 1 ban-simulated", len(es))
			}
			ev := es[0]
			if ev.Action != "ban-simulated" || ev.SourceIP != ip("192.0.2.10") || ev.Labels["scenario"] != SensitiveProbe ||
				ev.Labels["duration"] != "1d" || ev.Labels["evidence1"] != "GET /.env: blocked sensitive-file in path" {
				t.Errorf("published %+v, want ban-simulated for 192.0.2.10 by sensitive-probe, 1d, with evidence", ev)
			}
			if want := "would ban 192.0.2.10 for 1d: sensitive-probe from 192.0.2.10: GET /.env: blocked sensitive-file in path"; ev.Message != want {
				t.Errorf("message = %q, want %q", ev.Message, want)
			}
			// Fed back through the bus, the engine's own event counts for nothing.
			for range 10 {
				e.Handle(ev)
			}
			if got := len(p.events()); got != 1 {
				t.Errorf("after its own event came back: %d events, want 1", got)
			}
			if s := e.Stats(); s.Simulated != 1 || s.Decisions != 0 {
				t.Errorf("stats = %+v, want 1 simulated, 0 decisions", s)
			}
		})
	}
}

func TestNoBannerNeedsSimulate(t *testing.T) {
	if _, err := New(Config{}, Options{}); err == nil {
		t.Error("New without a Banner: no error, want one naming Options.Banner")
	}
	if _, err := New(Config{Simulate: true}, Options{}); err != nil {
		t.Errorf("New without a Banner, simulating: %v", err)
	}
}

func TestBanFailurePublishedAndRetried(t *testing.T) {
	b := banner{err: errors.New("database is locked")}
	var p published
	e := newEngine(t, Config{}, Options{Banner: &b, Publish: p.publish, Clock: newClock().now})
	e.Handle(attack("192.0.2.10", "/.env", "sensitive-file", "bw-file-001", true))
	es := p.events()
	if len(es) != 1 || es[0].Action != "ban-failed" || es[0].Outcome != event.OutcomeFailure {
		t.Fatalf("published %+v, want one ban-failed", es)
	}
	// The key is not left alone after a failure: the next probe tries again.
	b.err = nil
	e.Handle(attack("192.0.2.10", "/.git/config", "sensitive-file", "bw-file-001", true))
	if got := len(b.decisions()); got != 2 {
		t.Errorf("Ban called %d times, want 2 (a failed ban is retried on the next hit)", got)
	}
	if s := e.Stats(); s.Failed != 1 || s.Decisions != 1 {
		t.Errorf("stats = %+v, want 1 failed, 1 decision", s)
	}
}

// blocking is a Banner that waits for its context to end.
type blocking struct {
	started  chan struct{}
	returned *atomic.Bool
}

func newBlocking() blocking { return blocking{make(chan struct{}), new(atomic.Bool)} }

func (b blocking) Ban(ctx context.Context, d Decision) error {
	close(b.started)
	<-ctx.Done()
	b.returned.Store(true)
	return ctx.Err()
}

func TestCloseEndsBanInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBlocking()
		e, err := New(Config{}, Options{Banner: b, Logger: quiet(), BanTimeout: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		go e.Handle(attack("192.0.2.10", "/.env", "sensitive-file", "bw-file-001", true))
		<-b.started
		e.Close()
		if !b.returned.Load() {
			t.Fatal("Close returned while Handle was still in Ban")
		}
		e.Handle(attack("192.0.2.11", "/.env", "sensitive-file", "bw-file-001", true)) // no panic, no Ban
	})
}

func TestBanTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p published
		b := newBlocking()
		e := newEngine(t, Config{}, Options{Banner: b, Publish: p.publish, BanTimeout: 2 * time.Second})
		start := time.Now()
		e.Handle(attack("192.0.2.10", "/.env", "sensitive-file", "bw-file-001", true))
		if waited := time.Since(start); waited != 2*time.Second {
			t.Errorf("Handle waited %s for a stuck Banner, want the 2s BanTimeout", waited)
		}
		if es := p.events(); len(es) != 1 || es[0].Action != "ban-failed" {
			t.Errorf("published %+v, want ban-failed", es)
		}
	})
}
