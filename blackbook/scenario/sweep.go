package scenario

import (
	"cmp"
	"slices"
)

// rank orders buckets for eviction: emptier first, then older.
type rank struct {
	fill float64
	last int64
}

func (a rank) compare(b rank) int {
	if c := cmp.Compare(a.fill, b.fill); c != 0 {
		return c
	}
	return cmp.Compare(a.last, b.last)
}

// sweep makes room in a full bucket map: it drops drained buckets, and if
// that frees less than an eighth, the least filled then the oldest until
// an eighth is free. Sweeping costs O(n log n) once per n/8 new buckets.
//
// Evicting by fill rather than age alone keeps the buckets of slow attacks
// (long leaks, rarely touched, but filling) when a flood of new addresses
// arrives to push them out.
func (e *Engine) sweep(now int64) {
	for k, b := range e.buckets {
		if b.drained(now) {
			delete(e.buckets, k)
		}
	}
	keep := e.max - max(e.max/8, 1)
	excess := len(e.buckets) - keep
	if excess <= 0 {
		return
	}
	ranks := e.ranks[:0]
	for k, b := range e.buckets {
		ranks = append(ranks, rank{b.fill(now, e.scenarios[k.scenario]), b.last})
	}
	slices.SortFunc(ranks, rank.compare)
	cut := ranks[excess-1]
	n := 0
	for k, b := range e.buckets {
		if n == excess {
			break
		}
		if (rank{b.fill(now, e.scenarios[k.scenario]), b.last}).compare(cut) <= 0 {
			delete(e.buckets, k)
			n++
		}
	}
	e.ranks = ranks[:0]
	e.stats.Evicted += uint64(n)
}
