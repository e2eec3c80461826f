package alert

import (
	"container/list"
	"time"
)

// A counter counts events per key within a sliding window, keeping at most
// threshold timestamps (or distinct values) per key and at most max keys:
// the least recently seen key is forgotten first. It is not safe for
// concurrent use.
type counter struct {
	window    time.Duration
	threshold int
	distinct  bool
	max       int

	keys map[string]*list.Element // of *keyCount
	lru  list.List                // front: most recent
}

type keyCount struct {
	key   string
	times []time.Time // ring of the last threshold events
	next  int         // where the next time goes; the oldest when full
	n     int
	vals  map[string]time.Time // distinct value → last seen
}

func newCounter(window time.Duration, threshold int, distinct bool, max int) *counter {
	return &counter{window: window, threshold: threshold, distinct: distinct, max: max, keys: map[string]*list.Element{}}
}

// add counts one event for key at now (with val, the distinct field's
// value, if the counter counts distinct values) and reports whether the
// key has reached the threshold within the window.
func (c *counter) add(key, val string, now time.Time) bool {
	if c.threshold <= 1 && !c.distinct {
		return true
	}
	if c.distinct && val == "" {
		return false
	}
	kc := c.get(key)
	if c.distinct {
		return kc.addDistinct(val, now, c.window, c.threshold)
	}
	kc.times[kc.next] = now
	kc.next = (kc.next + 1) % len(kc.times)
	if kc.n < len(kc.times) {
		kc.n++
	}
	return kc.n == len(kc.times) && now.Sub(kc.times[kc.next]) < c.window
}

func (c *counter) get(key string) *keyCount {
	if el, ok := c.keys[key]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*keyCount)
	}
	kc := &keyCount{key: key}
	if c.distinct {
		kc.vals = make(map[string]time.Time, c.threshold)
	} else {
		kc.times = make([]time.Time, c.threshold)
	}
	c.keys[key] = c.lru.PushFront(kc)
	if c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.keys, old.Value.(*keyCount).key)
	}
	return kc
}

func (kc *keyCount) addDistinct(val string, now time.Time, window time.Duration, threshold int) bool {
	kc.vals[val] = now
	if len(kc.vals) > threshold {
		var oldest string
		var ot time.Time
		for v, t := range kc.vals {
			if oldest == "" || t.Before(ot) {
				oldest, ot = v, t
			}
		}
		delete(kc.vals, oldest)
	}
	n := 0
	for _, t := range kc.vals {
		if now.Sub(t) < window {
			n++
		}
	}
	return n >= threshold
}

// len reports the keys held.
func (c *counter) len() int { return len(c.keys) }
