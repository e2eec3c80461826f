package supervise

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrHung is the cause of the context a [Traffic] hands out when the app
// has been declared hung: the gateway stops waiting for its answer.
var ErrHung = errors.New("supervise: the app stopped answering and is being restarted")

// Traffic is what a gateway in front of the app sees of it: the requests
// it passes to the app and the answers it gets back. The supervisor reads
// it as the passive evidence of a hang (see [Hang]), and cancels the
// requests still waiting on an app it declares hung. A Traffic is safe for
// concurrent use; its zero value is ready.
type Traffic struct {
	mu          sync.Mutex
	outstanding int
	// quiet is when the app last answered, or when the first request after
	// that was sent; zero when nothing has been sent since the last answer.
	quiet time.Time
	gen   context.Context // cancelled with ErrHung when the app is declared hung
	abort context.CancelCauseFunc
}

// Send records a request passed to the app. Call [Traffic.Done] once it
// has the app's answer or has ended without one. The context returned is
// cancelled, with cause [ErrHung], if the app is declared hung first.
func (t *Traffic) Send() context.Context {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen == nil {
		t.gen, t.abort = context.WithCancelCause(context.Background())
	}
	t.outstanding++
	if t.quiet.IsZero() {
		t.quiet = time.Now()
	}
	return t.gen
}

// Done records the end of a request recorded by Send: answered is true
// when the app answered it (any status: its response headers arrived),
// false when it failed, timed out or the client went away first.
func (t *Traffic) Done(answered bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.outstanding--
	if answered {
		t.quiet = time.Time{}
		if t.outstanding > 0 {
			t.quiet = time.Now() // the rest wait from now on
		}
	}
}

// Unanswered returns how long requests have waited on the app without it
// answering any of them: zero when none is waiting, else the time since
// the app last answered or, if later, since the first request sent after
// that. Requests that ended unanswered (a timeout, a client that gave up)
// do not restart the count.
func (t *Traffic) Unanswered() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.outstanding <= 0 || t.quiet.IsZero() {
		return 0
	}
	return time.Since(t.quiet)
}

// hung cancels the requests waiting on the app and starts the count over
// for the next process.
func (t *Traffic) hung() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.abort != nil {
		t.abort(ErrHung)
	}
	t.gen, t.abort = nil, nil
	t.quiet = time.Time{}
}

// restart starts the count over for a new process: what waited on the old
// one says nothing about it.
func (t *Traffic) restart() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.quiet = time.Time{}
	if t.outstanding > 0 {
		t.quiet = time.Now()
	}
}
