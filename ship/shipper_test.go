package ship

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// downSink fails every send, recording when it was tried.
type downSink struct {
	mu    sync.Mutex
	tries []time.Time
	err   error
}

func (d *downSink) Send(context.Context, []Record) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tries = append(d.tries, time.Now())
	return d.err
}

func (d *downSink) Close() error { return nil }

func TestBudgetDropsOldestCountedAndReported(t *testing.T) {
	reg := prometheus.NewRegistry()
	var mu sync.Mutex
	var published []event.Event
	cfg := Config{Sinks: []SinkConfig{{Name: "down", Type: TypeStdout,
		Spool: SpoolConfig{MaxBytes: config.Size(minSpoolBytes)}, Retry: RetryConfig{Initial: time.Hour}}}}
	s, err := New(cfg, Options{Dir: t.TempDir(), Registerer: reg, Logger: testLogger(t),
		Sinks: map[string]Sink{"down": &downSink{err: errors.New("receiver down")}},
		Publish: func(e event.Event) {
			mu.Lock()
			published = append(published, e)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	for i := range 2000 {
		s.Handle(testEvent(i))
	}
	st := s.Stats()[0]
	if st.Dropped == 0 || st.BacklogBytes > minSpoolBytes {
		t.Fatalf("stats = %+v, want drops and a backlog within %d bytes", st, minSpoolBytes)
	}
	if st.Spooled != 2000 || uint64(st.BacklogEvents)+st.Dropped != 2000 {
		t.Errorf("stats = %+v: spooled, backlog and dropped do not add up to 2000", st)
	}
	mu.Lock()
	var reported int
	for _, e := range published {
		if e.Action != "ship-dropped" || e.Labels["sink"] != "down" || e.Kind != event.KindAlert {
			t.Errorf("published %+v", e)
		}
		n := 0
		for _, c := range e.Labels["dropped"] {
			n = n*10 + int(c-'0')
		}
		reported += n
	}
	mu.Unlock()
	if uint64(reported) != st.Dropped {
		t.Errorf("events report %d dropped, stats %d", reported, st.Dropped)
	}
	mfs, _ := reg.Gather()
	var found bool
	for _, mf := range mfs {
		if mf.GetName() == "bulwark_ship_events_dropped_total" {
			found = mf.GetMetric()[0].GetCounter().GetValue() == float64(st.Dropped)
		}
	}
	if !found {
		t.Errorf("bulwark_ship_events_dropped_total missing or wrong")
	}
}

func TestBackoffFullJitterCappedAndRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &downSink{err: errors.New("refused")}
		retry := RetryConfig{Initial: time.Second, Max: 8 * time.Second}
		cfg := Config{Sinks: []SinkConfig{{Name: "m", Type: TypeStdout, Retry: retry}}}
		s, err := New(cfg, Options{Dir: t.TempDir(), Sinks: map[string]Sink{"m": sink}})
		if err != nil {
			t.Fatal(err)
		}
		s.Handle(testEvent(0))
		time.Sleep(10 * time.Minute)
		sink.mu.Lock()
		sink.err = &RetryAfterError{After: 30 * time.Second, Err: errors.New("429")}
		sink.mu.Unlock()
		time.Sleep(5 * time.Minute)
		s.Close(context.Background())

		sink.mu.Lock()
		defer sink.mu.Unlock()
		var afterRA int
		for i := 1; i < len(sink.tries); i++ {
			gap := sink.tries[i].Sub(sink.tries[i-1])
			ceiling := min(retry.Max, retry.Initial<<min(i-1, 10))
			if sink.tries[i-1].Before(sink.tries[0].Add(10 * time.Minute)) {
				if gap > ceiling {
					t.Errorf("wait %d = %s, over its ceiling %s", i, gap, ceiling)
				}
			} else {
				afterRA++
				if gap < 30*time.Second {
					t.Errorf("wait %d = %s after a Retry-After of 30s", i, gap)
				}
			}
		}
		// 10 minutes of waits averaging at most 4s, then 5 minutes of 30s.
		if n := len(sink.tries) - afterRA; n < 100 || afterRA < 5 || afterRA > 11 {
			t.Errorf("%d tries before Retry-After, %d after", n, afterRA)
		}
	})
}

func TestHandleAfterCloseIsCountedNotPanicking(t *testing.T) {
	s, err := New(Config{Sinks: []SinkConfig{{Name: "o", Type: TypeStdout}}}, Options{Dir: t.TempDir(), Stdout: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close(context.Background())
	s.Handle(testEvent(0))
	if s.Lost() != 1 {
		t.Errorf("Lost = %d, want 1", s.Lost())
	}
	if err := s.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNewRejectsBadConfigAndMissingDir(t *testing.T) {
	if _, err := New(Config{Sinks: []SinkConfig{{Name: "x", Type: "kafka"}}}, Options{Dir: t.TempDir()}); err == nil {
		t.Error("New accepted type kafka")
	}
	if _, err := New(Config{Sinks: []SinkConfig{{Name: "x", Type: TypeStdout}}}, Options{}); err == nil || !strings.Contains(err.Error(), "ship.dir") {
		t.Errorf("New without a directory = %v, want a hint about ship.dir", err)
	}
	_, err := New(Config{Sinks: []SinkConfig{{Name: "x", Type: TypeSyslog, Address: "127.0.0.1:1", TLS: &TLSConfig{CAFile: "/nonexistent.pem"}}}}, Options{Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "tls.caFile") {
		t.Errorf("New with a missing CA file = %v", err)
	}
}
