package main

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// TestOnePassMatchesTwo checks that one Coraza pass blocking at PL1 and
// detecting at PL2, split by splitLevels, flags exactly what two separate
// passes at PL1 and PL2 flag. It uses a sample of the modern and prose
// sets and, when the shared corpus is there, of the CRS and
// PayloadsAllTheThings attacks; EVAL_ONEPASS_SAMPLE sets the sample size
// per corpus (default 300).
func TestOnePassMatchesTwo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Coraza three times over a sample")
	}
	n := 300
	if s := os.Getenv("EVAL_ONEPASS_SAMPLE"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	var cases []corpus.Case
	add := func(cs []corpus.Case, err error) {
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, spread(cs, n)...)
	}
	add(corpus.LoadModern())
	add(corpus.LoadProse())
	if dir, err := corpus.Dir(); err == nil {
		add(corpus.LoadCRS(dir, nil))
		add(corpus.LoadPATT(dir))
	} else {
		t.Logf("without the shared corpus (%v): benign sets only", err)
	}

	run := func(e *corazaEngine, err error) []verdict {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		vs, err := detect(context.Background(), e, cases, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		return vs
	}
	split := splitLevels(run(newCorazaLevels(1, 2)))
	for li, want := range [][]verdict{run(newCoraza(1)), run(newCoraza(2))} {
		differ := 0
		for i := range cases {
			if split[li][i].Flagged != want[i].Flagged {
				differ++
				if differ <= 5 {
					t.Errorf("PL%d %s/%s: one pass flagged %v (%+v), a PL%d pass %v (%+v)", li+1, cases[i].Corpus, cases[i].ID,
						split[li][i].Flagged, split[li][i].Detail, li+1, want[i].Flagged, want[i].Detail)
				}
			}
		}
		if differ > 0 {
			t.Errorf("PL%d: %d of %d verdicts differ", li+1, differ, len(cases))
		}
	}
}
