package limit

import "sync/atomic"

// A cell is the TAT of a limit with one key for everyone (global ones),
// updated without a lock: every request touches it, from every core.
type cell struct{ tat atomic.Int64 }

func (c *cell) take(now, interval, tolerance int64) verdict {
	for {
		old := c.tat.Load()
		v := gcra(old, now, interval, tolerance)
		if !v.ok || c.tat.CompareAndSwap(old, v.tat) {
			return v
		}
	}
}

func (c *cell) peek(now, interval, tolerance int64) verdict {
	return gcra(c.tat.Load(), now, interval, tolerance)
}

func (c *cell) refund(interval int64) { c.tat.Add(-interval) }

// set stores what Redis said.
func (c *cell) set(tat int64) { c.tat.Store(tat) }
