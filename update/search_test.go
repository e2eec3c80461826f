package update

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// fakeTry fails a set iff it holds a culprit. With pkgs, it also reports
// suspects as a Go project would: candidate i belongs to package i/per,
// and each failing package names its candidates.
func fakeTry(culprits []int, per int, runs *atomic.Int64) tryFunc {
	return func(_ context.Context, cs []Candidate) outcome {
		runs.Add(1)
		failing := map[int][]Candidate{}
		for _, c := range cs {
			var i int
			fmt.Sscanf(c.Name, "dep%d", &i)
			if slices.Contains(culprits, i) {
				failing[i/max(per, 1)] = nil
			}
		}
		if len(failing) == 0 {
			return outcome{pass: true}
		}
		o := outcome{}
		if per > 0 {
			for _, c := range cs {
				var i int
				fmt.Sscanf(c.Name, "dep%d", &i)
				if _, ok := failing[i/per]; ok {
					failing[i/per] = append(failing[i/per], c)
				}
			}
			for p := range 100 {
				if s, ok := failing[p]; ok {
					o.suspects = append(o.suspects, s)
				}
			}
		}
		return o
	}
}

func fakeCandidates(n int) []Candidate {
	var cs []Candidate
	for i := range n {
		cs = append(cs, Candidate{Ecosystem: Go, Name: fmt.Sprintf("dep%02d", i), From: "v1.0.0", To: "v1.1.0", Kind: Minor})
	}
	return cs
}

func TestGroupSearchFindsCulprits(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		culprits []int
		per      int // candidates per package; 0: no suspects
		maxRuns  int64
	}{
		{"none", 20, nil, 0, 1},
		{"one", 20, []int{7}, 0, 7},
		{"two, no evidence", 20, []int{3, 15}, 0, 13},
		{"two, adjacent, no evidence", 20, []int{0, 1}, 0, 13},
		{"two in different packages", 20, []int{3, 15}, 4, 6},
		{"two in the same package", 20, []int{4, 6}, 4, 7},
		{"all", 4, []int{0, 1, 2, 3}, 0, 12},
		{"single candidate fails", 1, []int{0}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int64
			cs := fakeCandidates(tt.n)
			res := groupSearch(context.Background(), cs, fakeTry(tt.culprits, tt.per, &runs), 2)
			var got []int
			for i, c := range cs {
				f, ok := res[c.ID()]
				if !ok {
					t.Fatalf("%s not decided", c.Name)
				}
				if !f.pass {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, tt.culprits) && !(len(got) == 0 && len(tt.culprits) == 0) {
				t.Errorf("culprits = %v, want %v", got, tt.culprits)
			}
			if runs.Load() > tt.maxRuns {
				t.Errorf("%d runs, want at most %d", runs.Load(), tt.maxRuns)
			}
			t.Logf("%d candidates, culprits %v: %d runs (one by one: %d)", tt.n, tt.culprits, runs.Load(), tt.n)
		})
	}
}

// TestGroupSearchEveryPair checks every placement of 2 culprits among 20
// and prints the mean and worst number of runs.
func TestGroupSearchEveryPair(t *testing.T) {
	for _, per := range []int{0, 4} {
		var total, worst int64
		pairs := 0
		for a := 0; a < 20; a++ {
			for b := a + 1; b < 20; b++ {
				var runs atomic.Int64
				cs := fakeCandidates(20)
				res := groupSearch(context.Background(), cs, fakeTry([]int{a, b}, per, &runs), 1)
				for i, c := range cs {
					if res[c.ID()].pass == (i == a || i == b) {
						t.Fatalf("culprits %d,%d: %s decided wrongly", a, b, c.Name)
					}
				}
				total += runs.Load()
				worst = max(worst, runs.Load())
				pairs++
			}
		}
		t.Logf("2 culprits of 20, %d per package (0: no evidence): mean %.1f runs, worst %d (one by one: 20)", per, float64(total)/float64(pairs), worst)
	}
}

func TestComponents(t *testing.T) {
	cs := fakeCandidates(6)
	got := components([][]Candidate{{cs[0], cs[1]}, {cs[4]}, {cs[1], cs[2]}}, cs)
	want := [][]string{{"dep00", "dep01", "dep02"}, {"dep04"}}
	if len(got) != len(want) {
		t.Fatalf("components = %v, want %v", got, want)
	}
	for i := range want {
		var names []string
		for _, c := range got[i] {
			names = append(names, c.Name)
		}
		if !slices.Equal(names, want[i]) {
			t.Errorf("component %d = %v, want %v", i, names, want[i])
		}
	}
	if got := components([][]Candidate{{fakeCandidates(9)[8]}}, cs); len(got) != 1 || len(got[0]) != 6 {
		t.Errorf("unexplained failure: components = %v, want all of cs", got)
	}
}
