package accounts

import (
	"fmt"
	"net/http"
	"testing"
)

// A successful login ends the pair's failure streak: nine failures, a
// success and nine more failures from the same pair never make ten
// consecutive ones, so the pair is not blocked; one more failure after
// that (ten in a row) is.
func TestSuccessfulLoginEndsFailureStreak(t *testing.T) {
	w, rec := newTestWatch(t, Config{Preset: "express-example"}, newClock())
	h := w.Middleware()(&fakeApp{})
	fail := func(round, i int) {
		t.Helper()
		if rr := formLogin(t, h, "198.51.100.7", "alice", fmt.Sprintf("guess%d-%d", round, i)); rr.Code != http.StatusUnauthorized {
			t.Fatalf("round %d failure %d = %d, want 401 from the app (events %v)", round, i, rr.Code, rec.actions())
		}
	}
	for i := range 9 {
		fail(1, i)
	}
	if rr := formLogin(t, h, "198.51.100.7", "alice", "correct horse battery staple"); rr.Code != http.StatusFound {
		t.Fatalf("login after 9 failures = %d, want 302", rr.Code)
	}
	for i := range 9 {
		fail(2, i)
	}
	if n := rec.count("login-pair-blocked"); n != 0 {
		t.Fatalf("pair blocked %d times after 9 failures, a success and 9 failures; want 0 (a success ends the streak)", n)
	}
	// The tenth consecutive failure since the success blocks the pair.
	fail(2, 9)
	if n := rec.count("login-pair-blocked"); n != 1 {
		t.Errorf("pair blocked %d times after 10 consecutive failures, want 1 (events %v)", n, rec.actions())
	}
	if rr := formLogin(t, h, "198.51.100.7", "alice", "correct horse battery staple"); rr.Code != http.StatusTooManyRequests {
		t.Errorf("login of a blocked pair = %d, want 429", rr.Code)
	}
}
