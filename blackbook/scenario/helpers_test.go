package scenario

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// banner records decisions; err, if set, is returned by Ban.
type banner struct {
	mu  sync.Mutex
	got []Decision
	err error
}

var _ Banner = (*banner)(nil)

func (b *banner) Ban(ctx context.Context, d Decision) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, d)
	return b.err
}

func (b *banner) decisions() []Decision {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Decision(nil), b.got...)
}

// by returns the decisions of one scenario.
func by(ds []Decision, name string) []Decision {
	var out []Decision
	for _, d := range ds {
		if d.Scenario == name {
			out = append(out, d)
		}
	}
	return out
}

// published collects published events.
type published struct {
	mu sync.Mutex
	es []event.Event
}

func (p *published) publish(e event.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.es = append(p.es, e)
}

func (p *published) events() []event.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]event.Event(nil), p.es...)
}

// clock is a hand-moved clock for tests that need no goroutines.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }
func quiet() *slog.Logger            { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func ip(s string) netip.Addr         { return netip.MustParseAddr(s) }
func newEngine(t testing.TB, cfg Config, o Options) *Engine {
	t.Helper()
	if o.Logger == nil {
		o.Logger = quiet()
	}
	e, err := New(cfg, o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(e.Close)
	return e
}

// Events as the gateway and the account watcher publish them.

func loginFailure(addr, user string) event.Event {
	return event.Event{
		Kind: event.KindEvent, Category: event.CategoryAuthentication, Type: "start",
		Action: "login-failure", Outcome: event.OutcomeFailure, SourceIP: ip(addr), UserName: user,
		Method: "POST", Path: "/login", Message: "login failed for " + user,
	}
}

func loginSuccess(addr, user string) event.Event {
	e := loginFailure(addr, user)
	e.Action, e.Outcome, e.Message = "login-success", event.OutcomeSuccess, "login for "+user
	return e
}

func access(addr, path string, status int) event.Event {
	return event.Event{
		Kind: event.KindEvent, Category: event.CategoryWeb, Type: "access", Status: status,
		Outcome: event.OutcomeFailure, SourceIP: ip(addr), Method: "GET", Path: path,
	}
}

func attack(addr, path, class, rule string, blocked bool) event.Event {
	e := event.Event{
		Kind: event.KindAlert, Category: event.CategoryMalicious, Type: "denied", Action: "attack-blocked",
		Outcome: event.OutcomeFailure, Severity: event.SeverityHigh, SourceIP: ip(addr), Method: "GET", Path: path,
		RuleID: rule, RuleName: class, Message: "blocked " + class + " in path",
		Labels: map[string]string{"class": class, "rules": rule, "where": "path", "score": "5"},
	}
	if !blocked {
		e.Kind, e.Type, e.Action, e.Outcome = event.KindEvent, "info", "attack-detected", event.OutcomeUnknown
		e.Message = "detected " + class + " in path"
	}
	return e
}
