package supervise

import (
	"context"
	"fmt"
	"time"
)

// liveness is what one hang-detection probe saw.
type liveness struct {
	code    int // the answer's HTTP status; 0 if there was none
	latency time.Duration
	err     error // no answer: a timeout, a refused or reset connection
}

// alive reports whether the app answered, below 500.
func (l liveness) alive() bool { return l.err == nil && l.code < 500 }

// problem says why a probe did not pass; "" if it did.
func (l liveness) problem() string {
	switch {
	case l.err != nil:
		return l.err.Error()
	case l.code >= 500:
		return fmt.Sprintf("status %d", l.code)
	}
	return ""
}

// newLivenessProbe returns the hang-detection probe of h (enabled).
func newLivenessProbe(h Hang) func(context.Context) liveness {
	get := httpGetter(h.URL, h.Timeout)
	return func(ctx context.Context) liveness {
		t0 := time.Now()
		code, err := get(ctx)
		return liveness{code: code, latency: time.Since(t0), err: err}
	}
}

// hangWatch is the hang detection of one ready process. It lives in the
// run loop's goroutine.
type hangWatch struct {
	after     time.Duration
	traffic   *Traffic  // the gateway's view; nil without a gateway
	lastAlive time.Time // when a probe last passed, or watching began
	failures  int       // probes in a row that did not pass
}

// record adds a probe's result at now and reports whether the app is hung,
// and for how long it has answered nothing.
func (w *hangWatch) record(l liveness, now time.Time) (silent time.Duration, hung bool) {
	if l.alive() {
		w.lastAlive, w.failures = now, 0
		return 0, false
	}
	w.failures++
	silent = now.Sub(w.lastAlive)
	unanswered := silent // without a gateway, the probe alone decides
	if w.traffic != nil {
		unanswered = w.traffic.Unanswered()
	}
	return min(silent, unanswered), isHung(w.failures, silent, unanswered, w.after)
}

// isHung is the decision: at least two probes in a row got no answer
// (below 500), none for after, and the requests waiting on the app got no
// answer for after either. A slow request alone does not make a hang while
// the probe is answered, nor a probe alone while no request waits.
func isHung(failures int, silent, unanswered, after time.Duration) bool {
	return failures >= 2 && silent >= after && unanswered >= after
}

// noAnswerFor is the detail of a hung exit: "no answer for 34s".
func noAnswerFor(d time.Duration) string {
	return "no answer for " + d.Round(time.Second).String()
}
