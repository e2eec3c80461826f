package main

import (
	"math"
	"slices"
	"time"
)

// sortDurations sorts d in place, shortest first.
func sortDurations(d []time.Duration) { slices.Sort(d) }

// percentile returns the nearest-rank p-quantile (0 < p <= 1) of sorted,
// or 0 if sorted is empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// A spread is the median of a few measurements and their range.
type spread struct{ Median, Min, Max float64 }

// spreadOf returns the median, minimum and maximum of xs, which must not be
// empty. With an even count the median is the mean of the middle two.
func spreadOf(xs []float64) spread {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return spread{Median: m, Min: s[0], Max: s[n-1]}
}
