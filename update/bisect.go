package update

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A Bisection is the search for the highest passing version of one
// dependency whose newest tried version (of the installed major) failed:
// the versions between the highest known to pass (at first the installed
// one) and the lowest known to fail, halved until none is left.
type Bisection struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	From      string `json:"from"`   // the installed version
	Newest    string `json:"newest"` // the newest version tried before bisecting, which failed
	// Tried lists every version of the dependency tried, in the order
	// tried: those tried before bisecting (newest first), then each step.
	Tried []TriedVersion `json:"tried"`
	// Kept is the highest version that passed, the one to keep; empty
	// when none did.
	Kept string `json:"kept,omitempty"`
	// Skipped says why versions the search landed on were not tried
	// (too young, malicious), one "version: why" each.
	Skipped []string `json:"skipped,omitempty"`
}

// A TriedVersion is one version of a [Bisection] and what its trial
// decided.
type TriedVersion struct {
	Version string `json:"version"`
	Passed  bool   `json:"passed"`
	// Step is true for a version bisection chose, false for one tried
	// before (the newest patch or minor).
	Step bool `json:"step"`
}

// Summary says in one line what the search tried and found:
// "answer: 1.3.0 failed; tried 1.3.0 (failed), 1.1.1 (passed), 1.2.0
// (passed) between 1.0.0 and 1.3.0: keeping 1.2.0".
func (b Bisection) Summary() string {
	var tried []string
	for _, t := range b.Tried {
		res := "failed"
		if t.Passed {
			res = "passed"
		}
		tried = append(tried, t.Version+" ("+res+")")
	}
	s := fmt.Sprintf("%s: %s failed; tried %s between %s and %s", b.Name, b.Newest, strings.Join(tried, ", "), b.From, b.Newest)
	if b.Kept != "" {
		s += ": keeping " + b.Kept
	} else {
		s += ": none passed, keeping " + b.From
	}
	for _, k := range b.Skipped {
		s += "\n  not tried: " + k
	}
	return s
}

// An admitFunc says why c may not be tried ("" if it may), marking c
// (advisories fixed, tried early) on the way.
type admitFunc func(ctx context.Context, c *Candidate) string

// bisect searches, for each dependency of cs whose highest tried version
// in the installed major failed (its tests, its install or resolving its
// tree), the highest version that passes, trying the versions in between
// one at a time by halving the range, as next-update tries every version
// but in log2 of the runs. The findings of cs are in res, which gets
// those of the versions tried; the candidates of those versions are
// returned, with one [Bisection] per dependency searched. lads gives the
// versions of each dependency. Dependencies
// are searched in parallel, up to jobs at a time.
//
// It assumes that a dependency breaks the tests once: every version up to
// some version passes and every one after fails. A version the search
// cannot try (admit refuses it, or its tree holds a malicious package) is
// left out and the search goes on without it.
func bisect(ctx context.Context, cs []Candidate, lads ladders, res map[string]finding, try tryFunc, admit admitFunc, jobs int) ([]Candidate, []Bisection) {
	var deps []string
	byDep := map[string][]Candidate{}
	for _, c := range cs {
		if _, ok := res[c.ID()]; !ok || c.Kind == Major || lads[c.dep()] == nil {
			continue
		}
		if _, ok := byDep[c.dep()]; !ok {
			deps = append(deps, c.dep())
		}
		byDep[c.dep()] = append(byDep[c.dep()], c)
	}
	var (
		mu    sync.Mutex
		added []Candidate
		out   = make([]*Bisection, len(deps))
	)
	forEach(ctx, len(deps), jobs, func(i int) {
		tried := slices.Clone(byDep[deps[i]])
		slices.SortFunc(tried, func(a, b Candidate) int { return -compareVersions(a.Ecosystem, a.To, b.To) })
		mu.Lock()
		known := map[string]finding{}
		for _, c := range tried {
			known[c.To] = res[c.ID()]
		}
		mu.Unlock()
		top, lad := tried[0], lads[deps[i]]
		if f := known[top.To]; f.pass || !testedFail(f.o) {
			return
		}
		b := &Bisection{Ecosystem: top.Ecosystem, Name: top.Name, From: top.From, Newest: top.To}
		for _, c := range tried {
			b.Tried = append(b.Tried, TriedVersion{Version: c.To, Passed: known[c.To].pass})
		}
		lo, hi := top.From, top.To
		for _, c := range tried {
			if known[c.To].pass && compareVersions(c.Ecosystem, c.To, lo) > 0 {
				lo = c.To
			}
		}
		for _, c := range tried {
			if f := known[c.To]; !f.pass && testedFail(f.o) && compareVersions(c.Ecosystem, c.To, lo) > 0 && compareVersions(c.Ecosystem, c.To, hi) < 0 {
				hi = c.To
			}
		}
		between := slices.DeleteFunc(slices.Clone(lad.versions), func(v string) bool {
			return compareVersions(top.Ecosystem, v, lo) <= 0 || compareVersions(top.Ecosystem, v, hi) >= 0
		})
		for len(between) > 0 && ctx.Err() == nil {
			k := len(between) / 2
			v := between[k]
			c := lad.make(ctx, v)
			if why := admit(ctx, &c); why != "" {
				b.Skipped = append(b.Skipped, v+": "+why)
				between = slices.Delete(between, k, k+1)
				continue
			}
			o := try(ctx, []Candidate{c})
			if ctx.Err() != nil {
				break // cut short: decided nothing
			}
			f := finding{pass: o.pass, how: fmt.Sprintf("bisecting between %s (passes) and %s (fails)", lo, hi), o: o}
			mu.Lock()
			res[c.ID()] = f
			added = append(added, c)
			mu.Unlock()
			switch {
			case o.pass:
				lo, between = v, between[k+1:]
			case testedFail(o):
				hi, between = v, between[:k]
			default: // not installed (malicious tree, failed check): says nothing of the tests
				b.Skipped = append(b.Skipped, v+": not installed ("+o.stage+")")
				between = slices.Delete(between, k, k+1)
				continue
			}
			b.Tried = append(b.Tried, TriedVersion{Version: v, Passed: o.pass, Step: true})
		}
		if lo != top.From {
			b.Kept = lo
		}
		mu.Lock()
		out[i] = b
		mu.Unlock()
	})
	var bs []Bisection
	for _, b := range out {
		if b != nil {
			bs = append(bs, *b)
		}
	}
	return added, bs
}

// testedFail reports whether a failed trial says the version does not
// work with the project (it failed to resolve, install or pass the
// tests), rather than that it was not installed at all.
func testedFail(o outcome) bool {
	switch o.stage {
	case "lock", "install", "test":
		return !o.pass
	}
	return false
}

// insertByDep puts each of added before the first candidate of all of
// the same dependency with a higher version, else after its last one (or
// at the end), keeping a dependency's rows together and ascending.
func insertByDep(all, added []Candidate) []Candidate {
	out := slices.Clone(all)
	for _, c := range added {
		at := len(out)
		for i, x := range out {
			if x.dep() == c.dep() {
				if compareVersions(c.Ecosystem, x.To, c.To) >= 0 {
					at = i
					break
				}
				at = i + 1
			}
		}
		out = slices.Insert(out, at, c)
	}
	return out
}
