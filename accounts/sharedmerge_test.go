package accounts

import (
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// Failures one gateway counted alone while Redis did not answer are
// replayed into Redis when it does: with those made through Redis before
// and after, the pair is blocked fleet-wide at the tenth, as by one
// gateway.
func TestSharedCountsMergedAfterOutage(t *testing.T) {
	srv := testutil.StartRedis(t)
	clock := newClock()
	ws, _ := fleetWatches(t, 2, srv, clock)
	app := &fakeApp{}
	a, b := ws[0].Middleware()(app), ws[1].Middleware()(app)
	fail := func(h http.Handler, what string) {
		t.Helper()
		if rr := formLogin(t, h, "198.51.100.9", "alice", "guess"); rr.Code != http.StatusUnauthorized {
			t.Fatalf("%s = %d, want the app's 401", what, rr.Code)
		}
	}
	for i := range 4 {
		fail([]http.Handler{a, b}[i%2], "a failure before the outage")
	}
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer admin.Close()
	if err := admin.Do(t.Context(), "CLIENT", "PAUSE", "1500", "ALL").Err(); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		fail(a, "a failure on A with Redis paused")
	}
	if ws[0].fleet.Up() {
		t.Fatal("A's link stayed up with Redis paused")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !ws[0].fleet.Up() {
		if time.Now().After(deadline) {
			t.Fatal("A did not go back to Redis within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for range 3 {
		fail(b, "a failure on B after the outage")
	}
	if rr := formLogin(t, b, "198.51.100.9", "alice", "correct horse battery staple"); rr.Code != http.StatusTooManyRequests {
		t.Errorf("the 11th login from the pair, on B = %d, want 429: A's 3 failures made alone were not merged", rr.Code)
	}
}
