package testutil

import (
	"testing"
	"time"
)

// EventuallyLimit is how long [Eventually] waits before it fails the test:
// far longer than anything should take, so a busy CI machine never fails a
// test that would pass, while a condition that never comes still fails with
// a message instead of hanging until go test's own timeout.
const EventuallyLimit = 60 * time.Second

// Eventually polls cond until it holds, starting every millisecond and
// backing off to every 100ms, and fails the test (saying what it waited
// for and how many times it looked) if cond still does not hold after
// [EventuallyLimit]. It asserts that something happens, never how fast:
// to prove that nothing more happens, count after the producer's Close or
// Flush instead of waiting.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	wait := time.Millisecond
	for polls := 1; ; polls++ {
		if cond() {
			return
		}
		if time.Since(start) > EventuallyLimit {
			t.Fatalf("still not %s after %d checks over %v", what, polls, time.Since(start).Round(time.Millisecond))
		}
		time.Sleep(wait)
		wait = min(2*wait, 100*time.Millisecond)
	}
}
