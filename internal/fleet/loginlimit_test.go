package fleet

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

func newShared(t *testing.T, addr string) *Shared {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	s := New(c, Options{Prefix: "test", Timeout: 300 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	t.Cleanup(func() { s.Close(); c.Close() })
	return s
}

// Two consoles on one Redis allow a client the attempts of one console,
// a login forgets its count, and with Redis gone they say they cannot
// count (the console then counts alone).
func TestLoginLimitCountsFleetWide(t *testing.T) {
	srv := testutil.StartRedis(t)
	a, b := NewLoginLimit(newShared(t, srv.Addr())), NewLoginLimit(newShared(t, srv.Addr()))
	ctx := t.Context()
	for i := range 5 {
		l := []*LoginLimit{a, b}[i%2]
		if wait, ok := l.Attempt(ctx, "203.0.113.7/32", 5, time.Minute); !ok || wait != 0 {
			t.Fatalf("attempt %d over two consoles = %v, %v; want 0, true", i+1, wait, ok)
		}
	}
	for _, l := range []*LoginLimit{a, b} {
		if wait, ok := l.Attempt(ctx, "203.0.113.7/32", 5, time.Minute); !ok || wait <= 0 || wait > time.Minute {
			t.Errorf("6th attempt = %v, %v; want a wait within the minute", wait, ok)
		}
	}
	if wait, _ := a.Attempt(ctx, "198.51.100.1/32", 5, time.Minute); wait != 0 {
		t.Errorf("another client's first attempt = %v, want 0", wait)
	}
	b.Forget(ctx, "203.0.113.7/32")
	if wait, ok := a.Attempt(ctx, "203.0.113.7/32", 5, time.Minute); !ok || wait != 0 {
		t.Errorf("after a login on the other console = %v, %v; want 0, true", wait, ok)
	}
	srv.Stop()
	if _, ok := a.Attempt(ctx, "203.0.113.7/32", 5, time.Minute); ok {
		t.Error("with Redis stopped, Attempt said it counted")
	}
	if a.s.Up() {
		t.Error("with Redis stopped, the link stayed up")
	}
}
