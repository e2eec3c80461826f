package update

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestBisect checks the search on a dependency whose versions pass up to
// 1.5.0 and fail from 1.6.0 on, without npm: the highest passing version
// is found in about log2 of the versions between, and a version admit refuses
// is left out without ending the search.
func TestBisect(t *testing.T) {
	var versions []string
	for i := 1; i <= 9; i++ {
		versions = append(versions, fmt.Sprintf("1.%d.0", i))
	}
	lad := &ladder{versions: versions, make: func(_ context.Context, to string) Candidate {
		return Candidate{Ecosystem: NPM, Name: "dep", From: "1.0.0", To: to, Kind: Minor}
	}}
	newest := Candidate{Ecosystem: NPM, Name: "dep", From: "1.0.0", To: "1.9.0", Kind: Minor}
	lads := ladders{newest.dep(): lad}
	tests := []struct {
		name    string
		refuse  string // a version admit refuses
		tried   []Candidate
		kept    string
		maxRuns int
	}{
		{"newest fails", "", []Candidate{newest}, "1.5.0", 3},
		{"the highest passing version refused", "1.5.0", []Candidate{newest}, "1.4.0", 4},
		{"a passing minor is the floor", "", []Candidate{newest, lad.make(context.Background(), "1.4.0")}, "1.5.0", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := 0
			try := func(_ context.Context, cs []Candidate) outcome {
				runs++
				if compareVersions(NPM, cs[0].To, "1.6.0") >= 0 {
					return outcome{stage: "test", tail: "broken"}
				}
				return outcome{pass: true}
			}
			res := map[string]finding{}
			for _, c := range tt.tried {
				o := try(context.Background(), []Candidate{c})
				res[c.ID()] = finding{pass: o.pass, o: o}
			}
			runs = 0 // the runs before the search are not its own
			admit := func(_ context.Context, c *Candidate) string {
				if c.To == tt.refuse {
					return "malicious"
				}
				return ""
			}
			added, bs := bisect(context.Background(), tt.tried, lads, res, try, admit, 1)
			if len(bs) != 1 || bs[0].Kept != tt.kept {
				t.Fatalf("bisections %+v, want one keeping %s", bs, tt.kept)
			}
			if runs > tt.maxRuns || len(added) != runs {
				t.Errorf("%d runs (%d candidates added), want at most %d", runs, len(added), tt.maxRuns)
			}
			if tt.refuse != "" && !strings.Contains(strings.Join(bs[0].Skipped, " "), tt.refuse+": malicious") {
				t.Errorf("skipped %q, want %s named", bs[0].Skipped, tt.refuse)
			}
			for _, c := range added {
				if f := res[c.ID()]; f.pass != (compareVersions(NPM, c.To, "1.6.0") < 0) {
					t.Errorf("%s recorded pass=%v", c.To, f.pass)
				}
			}
		})
	}
	// A newest version that passes, or was not installed, starts no search.
	for _, o := range []outcome{{pass: true}, {stage: "malicious"}} {
		res := map[string]finding{newest.ID(): {pass: o.pass, o: o}}
		if _, bs := bisect(context.Background(), []Candidate{newest}, lads, res, nil, nil, 1); len(bs) != 0 {
			t.Errorf("newest %+v: bisections %+v, want none", o, bs)
		}
	}
}
