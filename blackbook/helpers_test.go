package blackbook

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// events collects what a Book publishes.
type events struct {
	mu sync.Mutex
	es []event.Event
}

func (e *events) publish(ev event.Event) {
	e.mu.Lock()
	e.es = append(e.es, ev)
	e.mu.Unlock()
}

func (e *events) all() []event.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]event.Event(nil), e.es...)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := OpenDB(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// openBook opens a Book on a new store in t's temp dir; both close at
// cleanup. A nil opts.Clock gets a fake clock, returned.
func openBook(t testing.TB, cfg Config, opts Options) (*Book, *fakeClock) {
	t.Helper()
	var clk *fakeClock
	if opts.Clock == nil {
		clk = newFakeClock()
		opts.Clock = clk.Now
	}
	if opts.DB == nil {
		opts.DB = openDB(t, filepath.Join(t.TempDir(), "bulwark.db"))
		t.Cleanup(func() { opts.DB.Close() })
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	k, err := Open(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k, clk
}

func mustTarget(t testing.TB, s string) Target {
	t.Helper()
	tg, err := ParseTarget(s)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// eventually polls cond until it holds (see [testutil.Eventually]) and
// returns how long that took, for the log: never asserted on.
func eventually(t testing.TB, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	testutil.Eventually(t, what, cond)
	return time.Since(start)
}
