package accounts

import (
	"context"
	"database/sql"
	"net/http"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// recorder collects what a Watch publishes, mails and bans.
type recorder struct {
	mu     sync.Mutex
	events []event.Event
	mails  []Mail
	bans   []Ban
}

func (r *recorder) publish(e event.Event) { r.mu.Lock(); r.events = append(r.events, e); r.mu.Unlock() }

func (r *recorder) Send(_ context.Context, m Mail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mails = append(r.mails, m)
	return nil
}

func (r *recorder) BanIP(_ context.Context, b Ban) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bans = append(r.bans, b)
	return nil
}

// actions lists the actions of the events so far.
func (r *recorder) actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Action)
	}
	return out
}

func (r *recorder) count(action string) int {
	n := 0
	for _, a := range r.actions() {
		if a == action {
			n++
		}
	}
	return n
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// testIP takes the client address from the X-Test-IP header, so tests can
// log in from many places.
func testIP(r *http.Request) netip.Addr {
	if a, err := netip.ParseAddr(r.Header.Get("X-Test-IP")); err == nil {
		return a
	}
	return clientip.Peer(r)
}

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := OpenDB(context.Background(), filepath.Join(t.TempDir(), "bulwark.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newTestWatch(t testing.TB, cfg Config, clock *fakeClock) (*Watch, *recorder) {
	t.Helper()
	rec := &recorder{}
	if cfg.Breach.Mode == "" {
		cfg.Breach.Mode = "off"
	}
	w, err := New(cfg, Options{DB: openDB(t), Publish: rec.publish, Mailer: rec, Bans: rec, Clock: clock.Now, ClientIP: testIP})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, rec
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }
