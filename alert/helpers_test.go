package alert

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

func openDB(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Migrations{"alert": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func tempDB(t testing.TB) (*sqlite.DB, string) {
	path := filepath.Join(t.TempDir(), "bulwark.db")
	return openDB(t, path), path
}

// recorder is a Notifier that keeps what it is given.
type recorder struct {
	name string
	mu   sync.Mutex
	got  []Notification
	fail func(n int) error // error for the n-th call (from 0); nil: succeed
	call int
	sent chan struct{}
}

func newRecorder(name string) *recorder {
	return &recorder{name: name, sent: make(chan struct{}, 100)}
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Notify(ctx context.Context, n Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	call := r.call
	r.call++
	if r.fail != nil {
		if err := r.fail(call); err != nil {
			return err
		}
	}
	r.got = append(r.got, n)
	r.sent <- struct{}{}
	return nil
}

func (r *recorder) all() []Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Notification(nil), r.got...)
}

func attack(ip string) event.Event {
	return event.Event{Kind: event.KindAlert, Category: event.CategoryMalicious, Action: "attack-blocked",
		Severity: event.SeverityHigh, SourceIP: netip.MustParseAddr(ip), Path: "/search",
		Message: "sqli in query", Labels: map[string]string{"class": "sqli"}}
}

func loginFailure(user, ip string) event.Event {
	return event.Event{Category: event.CategoryAuthentication, Action: "login-failure", Outcome: event.OutcomeFailure,
		UserName: user, SourceIP: netip.MustParseAddr(ip)}
}

// wait receives from c or fails after a bound.
func wait(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
