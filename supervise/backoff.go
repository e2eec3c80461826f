package supervise

import (
	"math"
	"time"
)

// delay is the wait before the restart that follows the n-th consecutive
// failure (n ≥ 1); r is a random number in [0, 1) for the jitter.
func (b Backoff) delay(n int, r float64) time.Duration {
	d := float64(b.Initial) * math.Pow(b.Multiplier, float64(max(n-1, 0)))
	d = min(d, float64(b.Max)) // also catches +Inf
	if b.Jitter != nil {
		d *= 1 + *b.Jitter*(2*r-1)
	}
	return time.Duration(d)
}

// failureWindow counts failures within a sliding window, for giving up on a
// crash loop.
type failureWindow struct {
	window time.Duration
	times  []time.Time
}

// add records a failure at now and returns how many fall within the window.
func (w *failureWindow) add(now time.Time) int {
	keep := w.times[:0]
	for _, t := range w.times {
		if now.Sub(t) < w.window {
			keep = append(keep, t)
		}
	}
	w.times = append(keep, now)
	return len(w.times)
}

// reset forgets every failure.
func (w *failureWindow) reset() { w.times = w.times[:0] }
