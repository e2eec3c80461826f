package main

import (
	"runtime"
	"slices"
	"time"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// A cost is what an engine spends per request.
type cost struct {
	N      int           // requests timed in each round
	Rounds int           // rounds timed; the times are the quietest round's
	Median time.Duration // of the per-request times
	P99    time.Duration
	Allocs float64 // heap allocations per request
	Bytes  float64 // bytes allocated per request
}

// warmups is how many requests run before timing starts, to fill caches
// and pools.
const warmups = 200

// measure times e on cases, one request after the other on this
// goroutine, rounds times over: each request's time with the monotonic
// clock, and the allocations of the whole loop from runtime.MemStats,
// divided by the number of requests. The median and 99th percentile are
// those of the round with the lowest median, so that a neighbour's burst
// of CPU on a shared machine does not count against the engine; the
// allocations, which do not depend on the machine, are the last round's.
// Preparing the requests is done beforehand and not counted; garbage
// collection that the engine's allocations cause during the loop is.
func measure(e engine, cases []corpus.Case, rounds int) cost {
	if len(cases) == 0 || rounds < 1 {
		return cost{}
	}
	for i := range min(warmups, len(cases)) {
		e.check(e.prepare(&cases[i]), false)
	}
	best := cost{N: len(cases), Rounds: rounds}
	times := make([]time.Duration, len(cases))
	ins := make([]any, len(cases))
	for r := range rounds {
		for i := range cases {
			ins[i] = e.prepare(&cases[i])
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i, in := range ins {
			t := time.Now()
			e.check(in, false)
			times[i] = time.Since(t)
		}
		runtime.ReadMemStats(&after)
		slices.Sort(times)
		n := float64(len(cases))
		best.Allocs = float64(after.Mallocs-before.Mallocs) / n
		best.Bytes = float64(after.TotalAlloc-before.TotalAlloc) / n
		if med := times[len(times)/2]; r == 0 || med < best.Median {
			best.Median = med
			best.P99 = times[min(len(times)-1, len(times)*99/100)]
		}
	}
	return best
}

// timingSample picks n benign requests for [measure], an equal share
// from each benign set present, spread evenly over each; none when n is
// zero or no benign set is loaded.
func timingSample(sets []set, n int) []corpus.Case {
	var benign []set
	for _, s := range sets {
		// The content corpus's bodies are 30 times the others': its cost
		// is measured apart (see articleSample).
		if !s.attack && s.name != corpus.Content {
			benign = append(benign, s)
		}
	}
	if n <= 0 || len(benign) == 0 {
		return nil
	}
	var out []corpus.Case
	for i, s := range benign {
		share := n / len(benign)
		if i < n%len(benign) {
			share++
		}
		if share == 0 {
			continue
		}
		out = append(out, spread(s.cases, share)...)
	}
	return out
}

// minArticle is the least body of the articles whose cost is measured
// apart: issue 21 asks for a 20 KB article.
const minArticle = 16 << 10

// maxArticles bounds how many articles are timed.
const maxArticles = 100

// articleSample returns the content corpus's article requests with bodies
// of minArticle bytes or more, at most maxArticles spread over them.
func articleSample(sets []set) []corpus.Case {
	var out []corpus.Case
	for _, s := range sets {
		if s.name != corpus.Content {
			continue
		}
		for _, c := range s.cases {
			if len(c.Body) >= minArticle {
				out = append(out, c)
			}
		}
	}
	return spread(out, maxArticles)
}

// spread returns n of cases spread evenly over them, or all when n is
// zero or at least their number.
func spread(cases []corpus.Case, n int) []corpus.Case {
	if n <= 0 || n >= len(cases) {
		return cases
	}
	out := make([]corpus.Case, n)
	for i := range out {
		out[i] = cases[i*len(cases)/n]
	}
	return out
}
