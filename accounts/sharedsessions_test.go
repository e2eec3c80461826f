package accounts

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fleetWatches returns n watches with their own stores and one accounts
// key, sharing the real Redis srv, each with its recorder.
func fleetWatches(t *testing.T, n int, srv *testutil.Redis, clock *fakeClock) ([]*Watch, []*recorder) {
	t.Helper()
	var ws []*Watch
	var recs []*recorder
	for range n {
		c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1,
			DialTimeout: 200 * time.Millisecond})
		f := fleet.New(c, fleet.Options{Prefix: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Timeout: 300 * time.Millisecond})
		rec := &recorder{}
		w, err := New(Config{Preset: "express-example", Key: "one-key-for-the-whole-fleet-0123456789", Breach: Breach{Mode: "off"}},
			Options{DB: openDB(t), Publish: rec.publish, Mailer: rec, Bans: rec, Clock: clock.Now, ClientIP: testIP, Fleet: f})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close(); f.Close(); c.Close() })
		ws, recs = append(ws, w), append(recs, rec)
	}
	return ws, recs
}

// sessionOf logs alice in through h and returns her new session cookie.
func sessionOf(t *testing.T, h http.Handler, ip string) *http.Cookie {
	t.Helper()
	rr := formLogin(t, h, ip, "alice", "correct horse battery staple")
	for _, c := range rr.Result().Cookies() {
		if c.Name == "sid" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("alice's login = %d without a sid cookie", rr.Code)
	return nil
}

// getWith sends GET / with the cookie through h and returns the status.
func getWith(h http.Handler, c *http.Cookie) int {
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(c)
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr.Code
}

// waitStatus waits, at most 10s, until GET / with c through h answers want.
func waitStatus(t *testing.T, what string, h http.Handler, c *http.Cookie, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := getWith(h, c)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: GET / with the session = %d after 10s, want %d", what, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A session issued through gateway A and disowned through gateway B's
// link, B never having seen it, is refused by both: B at once, A within
// its poll of the revoked set.
func TestSharedSessionRevokedFleetWide(t *testing.T) {
	srv := testutil.StartRedis(t)
	clock := newClock()
	ws, recs := fleetWatches(t, 2, srv, clock)
	app := &fakeApp{}
	a, b := ws[0].Middleware()(app), ws[1].Middleware()(app)
	sid := sessionOf(t, a, "192.0.2.10")
	second := sessionOf(t, a, "192.0.2.11") // alice's other session, to be revoked as well
	for name, h := range map[string]http.Handler{"A": a, "B": b} {
		if got := getWith(h, sid); got != http.StatusOK {
			t.Fatalf("alice's session on %s before the link = %d, want 200", name, got)
		}
	}
	tok := ws[1].signLink("alice", netip.MustParseAddr("203.0.113.7"), clock.Now().Add(time.Hour))
	if got := postNotMe(t, ws[1].NotMeHandler(), tok); got != http.StatusOK {
		t.Fatalf("POST the link on B = %d, want 200", got)
	}
	if n := lastLabel(recs[1], "login-disowned", "sessions_revoked"); n != "2" {
		t.Errorf("B's login-disowned event says %s sessions revoked, want 2 (both issued by A)", n)
	}
	if got := getWith(b, sid); got != http.StatusUnauthorized {
		t.Errorf("the disowned session on B, right after = %d, want 401", got)
	}
	waitStatus(t, "the disowned session on A", a, sid, http.StatusUnauthorized)
	waitStatus(t, "alice's other session on A", a, second, http.StatusUnauthorized)
	if !ws[0].fleet.Up() || !ws[1].fleet.Up() {
		t.Fatal("a link went down: the test ran on local state")
	}
}

// A user's sessions revoked through gateway B while Redis does not answer
// are revoked fleet-wide when it does: B pushes the revocation back and A,
// which issued the session, refuses it.
func TestSharedSessionRevokedDuringOutage(t *testing.T) {
	srv := testutil.StartRedis(t)
	clock := newClock()
	ws, _ := fleetWatches(t, 2, srv, clock)
	app := &fakeApp{}
	a, b := ws[0].Middleware()(app), ws[1].Middleware()(app)
	sid := sessionOf(t, a, "192.0.2.10")
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer admin.Close()
	// Redis stops answering (its data kept) for 2s: CLIENT PAUSE.
	if err := admin.Do(t.Context(), "CLIENT", "PAUSE", "2000", "ALL").Err(); err != nil {
		t.Fatal(err)
	}
	tok := ws[1].signLink("alice", netip.MustParseAddr("203.0.113.7"), clock.Now().Add(time.Hour))
	if got := postNotMe(t, ws[1].NotMeHandler(), tok); got != http.StatusOK {
		t.Fatalf("POST the link on B with Redis paused = %d, want 200 (decided alone)", got)
	}
	if ws[1].fleet.Up() {
		t.Fatal("B's link stayed up with Redis paused")
	}
	if got := getWith(a, sid); got != http.StatusOK {
		t.Fatalf("A, Redis paused, cannot know yet: %d, want 200", got)
	}
	waitStatus(t, "the session on A after Redis answers again", a, sid, http.StatusUnauthorized)
	waitStatus(t, "the session on B after the merge", b, sid, http.StatusUnauthorized)
}

func lastLabel(r *recorder, action, label string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.events) - 1; i >= 0; i-- {
		if r.events[i].Action == action {
			return r.events[i].Labels[label]
		}
	}
	return ""
}
