package accounts

import (
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// A successful login through a gateway with a fleet costs two round trips
// to Redis: one before the app answers (is the pair blocked?) and one
// after for everything else (the pair's streak ends, the session is
// shared, the network and device are recorded), not one per thing.
func TestSharedLoginOneRoundTripAfterTheApp(t *testing.T) {
	srv := testutil.StartRedis(t)
	w, rt := sharedWatch(t, srv, newClock())
	h := w.Middleware()(&fakeApp{})
	// Bob's logins load the scripts (a script Redis lacks costs one more
	// round trip, once).
	login(h, "192.0.2.99", "bob", "wrong")
	login(h, "192.0.2.99", "bob", "correct horse battery staple")
	for range 3 {
		if code := login(h, "192.0.2.10", "alice", "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("a wrong password = %d, want 401", code)
		}
	}
	before := rt.n.Load()
	if code := login(h, "192.0.2.10", "alice", "correct horse battery staple"); code != http.StatusFound {
		t.Fatalf("alice's login = %d, want 302", code)
	}
	if got := rt.n.Load() - before; got != 2 {
		t.Errorf("a successful login: %d round trips to Redis, want 2 (one before the app, one after)", got)
	}
	if !w.fleet.Up() {
		t.Fatal("the link went down: the login was counted locally")
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer c.Close()
	ctx := t.Context()
	ut := w.userTag("alice")
	if n, err := c.ZCard(ctx, w.sessionsKey("alice")).Result(); err != nil || n != 1 {
		t.Errorf("alice's sessions in Redis: %d (%v), want 1", n, err)
	}
	if n, err := c.SCard(ctx, w.fleet.Key(ut, "seen")).Result(); err != nil || n != 2 {
		t.Errorf("alice's networks and devices in Redis: %d (%v), want 2", n, err)
	}
	if n, err := c.Exists(ctx, w.fleet.Key(ut, "s", digest("ip", "192.0.2.10"))).Result(); err != nil || n != 0 {
		t.Errorf("the pair's streak of 3 failures after the success: exists=%d (%v), want gone", n, err)
	}
}

// What a login left for its last round trip is kept here when Redis does
// not take it, and reaches Redis when it answers again: a session issued
// then is shared after all.
func TestSharedLoginPipeFallsBack(t *testing.T) {
	srv := testutil.StartRedis(t)
	w, _ := sharedWatch(t, srv, newClock())
	ctx, flush := w.pipeline(t.Context())
	h := w.hashSession("a-session-issued-as-redis-died")
	w.shared.added(ctx, "alice", h)
	srv.Stop()
	flush()
	if w.fleet.Up() {
		t.Fatal("the link stayed up with Redis stopped")
	}
	w.shared.mu.Lock()
	kept := w.shared.adds["alice"][hashHex(h)]
	w.shared.mu.Unlock()
	if !kept {
		t.Fatal("the session Redis did not take was not kept to push")
	}
	srv.Start(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer c.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if s, err := c.ZScore(t.Context(), w.sessionsKey("alice"), hashHex(h)).Result(); err == nil && s > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the session kept during the outage did not reach Redis within 15s of its return")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A pair blocked on one gateway is refused on another after one question
// to Redis; the guesses that go on against it are refused there without
// asking again, until the block ends on this gateway's clock.
func TestSharedPairBlockKeptLocally(t *testing.T) {
	srv := testutil.StartRedis(t)
	clock := newClock()
	a, _ := sharedWatch(t, srv, clock)
	b, rt := sharedWatch(t, srv, clock)
	ha, hb := a.Middleware()(&fakeApp{}), b.Middleware()(&fakeApp{})
	for i := range 10 {
		if code := login(ha, "192.0.2.30", "carol", "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d on A = %d, want 401", i+1, code)
		}
	}
	before := rt.n.Load()
	for i := range 5 {
		if code := login(hb, "192.0.2.30", "carol", "correct horse battery staple"); code != http.StatusTooManyRequests {
			t.Fatalf("attempt %d on B against the pair A blocked = %d, want 429", i+1, code)
		}
	}
	if got := rt.n.Load() - before; got != 1 {
		t.Errorf("5 attempts on B against a blocked pair: %d round trips to Redis, want 1 (the first asks, the rest are refused from B's copy)", got)
	}
	if !b.fleet.Up() {
		t.Fatal("B's link went down: its refusals were local for another reason")
	}
	// Past the end of B's copy (on B's clock; Redis's own clock has not
	// moved, so its block still holds): B asks Redis again.
	clock.Add(2 * time.Hour)
	before = rt.n.Load()
	if code := login(hb, "192.0.2.30", "carol", "correct horse battery staple"); code != http.StatusTooManyRequests || rt.n.Load()-before != 1 {
		t.Errorf("once B's copy ended: %d with %d round trips, want 429 after asking Redis once", code, rt.n.Load()-before)
	}
}
