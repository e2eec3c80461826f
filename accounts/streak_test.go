package accounts

import (
	"fmt"
	"net/http"
	"testing"
	"time"
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

// A block ends the streak it punished: when the block is over, the pair
// starts again from zero, and one more failure is just a failure.
func TestPairBlockEndsTheStreak(t *testing.T) {
	clock := newClock()
	w, rec := newTestWatch(t, Config{Preset: "express-example"}, clock)
	h := w.Middleware()(&fakeApp{})
	for i := range 10 {
		formLogin(t, h, "198.51.100.8", "bob", fmt.Sprintf("guess%d", i))
	}
	if n := rec.count("login-pair-blocked"); n != 1 {
		t.Fatalf("pair blocked %d times after 10 failures, want 1", n)
	}
	clock.Add(time.Hour + time.Minute) // past thresholds.pairBlock
	for i := range 9 {
		if rr := formLogin(t, h, "198.51.100.8", "bob", fmt.Sprintf("again%d", i)); rr.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d after the block ended = %d, want 401 from the app (events %v)", i, rr.Code, rec.actions())
		}
	}
	if n := rec.count("login-pair-blocked"); n != 1 {
		t.Errorf("pair blocked %d times after the block ended and 9 new failures, want still 1", n)
	}
}

// The failure ratio is counted per window: a new window forgets the old
// one's attempts and may alert again.
func TestFailureRatioStartsOverEachWindow(t *testing.T) {
	clock := newClock()
	w, rec := newTestWatch(t, Config{Preset: "express-example", Thresholds: Thresholds{RatioMin: 10, Ratio: 0.5}}, clock)
	h := w.Middleware()(&fakeApp{})
	// Window 1: 20 successes, no alert.
	for i := range 20 {
		formLogin(t, h, fmt.Sprintf("10.1.%d.1", i), fmt.Sprintf("ok%d", i), "password")
	}
	clock.Add(6 * time.Minute) // past thresholds.ratioWindow
	// Window 2: 10 failures of 10 attempts alert (with window 1's
	// successes still counted the ratio would be 1/3).
	for i := range 10 {
		formLogin(t, h, fmt.Sprintf("10.2.%d.1", i), fmt.Sprintf("f%d", i), "nope")
	}
	if n := rec.count("login-failure-spike"); n != 1 {
		t.Fatalf("%d login-failure-spike alerts after a window of 10 failures in 10 attempts, want 1", n)
	}
	clock.Add(6 * time.Minute)
	// Window 3: the same again alerts again.
	for i := range 10 {
		formLogin(t, h, fmt.Sprintf("10.3.%d.1", i), fmt.Sprintf("g%d", i), "nope")
	}
	if n := rec.count("login-failure-spike"); n != 2 {
		t.Errorf("%d login-failure-spike alerts after a second such window, want 2", n)
	}
}
