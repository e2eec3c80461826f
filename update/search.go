package update

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// A tryFunc tests a set of candidates together on top of the project.
type tryFunc func(ctx context.Context, cs []Candidate) outcome

// A finding is what trying decided about one candidate.
type finding struct {
	pass bool
	how  string  // how it was decided, for the report
	o    outcome // the run that decided it
}

// oneByOne tries every candidate alone, up to jobs at a time, starting
// them in the order given.
func oneByOne(ctx context.Context, cs []Candidate, try tryFunc, jobs int) map[string]finding {
	res := make(map[string]finding, len(cs))
	var mu sync.Mutex
	forEach(ctx, len(cs), jobs, func(i int) {
		o := try(ctx, cs[i:i+1])
		mu.Lock()
		res[cs[i].ID()] = finding{pass: o.pass, how: "alone", o: o}
		mu.Unlock()
	})
	return res
}

// groupSearch tries all candidates together and, while the group fails,
// finds one culprit per independent failure by halving (adaptive group
// testing), takes the culprits out and tries the rest again. A half that
// passes clears itself and convicts the other half without a run of its
// own; where the project can tell which candidates a failure can come from
// (Go: the modules the failing packages import), the suspects are narrowed
// to those before halving. Independent failures are searched in parallel,
// up to jobs at a time.
//
// It assumes that a candidate breaks the tests on its own: a failure that
// needs two candidates together is blamed on one of them.
func groupSearch(ctx context.Context, cs []Candidate, try tryFunc, jobs int) map[string]finding {
	res := make(map[string]finding, len(cs))
	rest := slices.Clone(cs)
	for len(rest) > 0 && ctx.Err() == nil {
		o := try(ctx, rest)
		if o.pass {
			how := fmt.Sprintf("in a group of %d", len(rest))
			if len(rest) == 1 {
				how = "alone"
			}
			for _, c := range rest {
				res[c.ID()] = finding{pass: true, how: how, o: o}
			}
			break
		}
		groups := components(o.suspects, rest)
		var mu sync.Mutex
		var culprits []Candidate
		forEach(ctx, len(groups), jobs, func(i int) {
			c, f := findOne(ctx, groups[i], o, len(rest), try)
			if ctx.Err() != nil {
				return // cut short: decided nothing
			}
			mu.Lock()
			res[c.ID()] = f
			culprits = append(culprits, c)
			mu.Unlock()
		})
		rest = slices.DeleteFunc(rest, func(c Candidate) bool {
			return slices.ContainsFunc(culprits, func(k Candidate) bool { return k.ID() == c.ID() })
		})
	}
	return res
}

// findOne halves s, known to fail (by run last), down to one culprit.
func findOne(ctx context.Context, s []Candidate, last outcome, size int, try tryFunc) (Candidate, finding) {
	how := fmt.Sprintf("failing packages of a group of %d import it alone", size)
	if size == 1 {
		how = "fails alone"
	}
	for len(s) > 1 && ctx.Err() == nil {
		h1, h2 := s[:len(s)/2], s[len(s)/2:]
		o := try(ctx, h1)
		if o.pass {
			s, how = h2, fmt.Sprintf("its half of %d failed, the other half passed", len(s))
			continue
		}
		last, s, how = o, h1, fmt.Sprintf("failed in a group of %d", len(h1))
		if g := components(o.suspects, h1); len(g[0]) < len(h1) {
			s, how = g[0], fmt.Sprintf("failing packages of a group of %d import it alone", len(h1))
		}
	}
	if len(s) == 1 && how == fmt.Sprintf("failed in a group of %d", 1) {
		how = "fails alone"
	}
	return s[0], finding{how: how, o: last}
}

// components turns suspects (one set per failing package) into disjoint
// sets of candidates from cs, merging sets that share a candidate. With
// no suspects, all of cs is one set.
func components(suspects [][]Candidate, cs []Candidate) [][]Candidate {
	in := map[string]bool{}
	for _, c := range cs {
		in[c.ID()] = true
	}
	var sets [][]Candidate
	for _, s := range suspects {
		var keep []Candidate
		for _, c := range s {
			if in[c.ID()] {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			return [][]Candidate{cs} // a failure none of cs explains
		}
		sets = append(sets, keep)
	}
	if len(sets) == 0 {
		return [][]Candidate{cs}
	}
	// Merge overlapping sets until none overlap.
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(sets) && !merged; i++ {
			for j := i + 1; j < len(sets) && !merged; j++ {
				if overlap(sets[i], sets[j]) {
					sets[i] = union(sets[i], sets[j])
					sets = slices.Delete(sets, j, j+1)
					merged = true
				}
			}
		}
	}
	// Keep the order of cs inside each set.
	for i, s := range sets {
		sets[i] = slices.DeleteFunc(slices.Clone(cs), func(c Candidate) bool {
			return !slices.ContainsFunc(s, func(k Candidate) bool { return k.ID() == c.ID() })
		})
	}
	return sets
}

func overlap(a, b []Candidate) bool {
	for _, x := range a {
		for _, y := range b {
			if x.ID() == y.ID() {
				return true
			}
		}
	}
	return false
}

func union(a, b []Candidate) []Candidate {
	out := slices.Clone(a)
	for _, y := range b {
		if !overlap(out, []Candidate{y}) {
			out = append(out, y)
		}
	}
	return out
}

// forEach calls f(0…n-1), at most jobs at a time, starting them in order,
// and returns when all have returned. It starts no more after ctx ends.
func forEach(ctx context.Context, n, jobs int, f func(i int)) {
	if jobs < 1 {
		jobs = 1
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}
