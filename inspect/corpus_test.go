package inspect

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// crsFamilies are the CRS rule families whose attack tests count toward
// recall.
var crsFamilies = []string{"913", "930", "931", "932", "933", "934", "941", "942", "944"}

// floors are the figures corpus tests must reach: a little below what the
// engine achieves, so that a regression fails loudly.
var floors = struct {
	crsRecall, pattRecall     float64
	csicFP, proseFP, modernFP float64
}{crsRecall: 86, pattRecall: 92, csicFP: 0.01, proseFP: 0.5, modernFP: 0.5}

// TestCorpus measures recall on the attack corpora and false positives on
// the benign ones. It needs ../shared/corpus: without it the test fails
// when $CI is set and is skipped, loudly, otherwise. Set
// BULWARK_EVAL_DUMP to a file name to write every miss and false positive.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus evaluation skipped in -short mode")
	}
	dir, err := corpus.Dir()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared corpus missing in CI: %v", err)
		}
		t.Skipf("SKIPPING CORPUS EVALUATION: %v (set %s or place the corpus at ../shared/corpus)", err, corpus.EnvDir)
	}
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	type tally struct{ n, hit int }
	run := func(name string, cases []corpus.Case, err error) map[string]*tally {
		t.Helper()
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("loading %s: %v", name, err)
		}
		groups := map[string]*tally{}
		for _, c := range cases {
			v := e.Inspect(&Request{Method: c.Method, URI: c.Path, Header: c.Header, Body: c.Body})
			g := groups[c.Group]
			if g == nil {
				g = &tally{}
				groups[c.Group] = g
			}
			g.n++
			hit := v.Action == Block
			if hit {
				g.hit++
			}
			if hit != c.Attack {
				var rules []string
				for _, f := range v.Findings {
					rules = append(rules, f.RuleID+"@"+f.Where)
				}
				fmt.Fprintf(&dump, "%s %s %s score=%d %v\n\t%s %s %q %q\n", map[bool]string{true: "MISS", false: "FP"}[c.Attack],
					c.Corpus, c.ID, v.Score, rules, c.Method, c.Path, headerSummary(c), c.Body)
			}
		}
		return groups
	}
	report := func(name string, groups map[string]*tally, attack bool) float64 {
		var n, hit int
		keys := make([]string, 0, len(groups))
		for k, g := range groups {
			keys = append(keys, k)
			n += g.n
			hit += g.hit
		}
		slices.Sort(keys)
		for _, k := range keys {
			g := groups[k]
			t.Logf("  %-8s %-40s %5d/%-5d %6.2f%%", name, k, g.hit, g.n, 100*float64(g.hit)/float64(max(g.n, 1)))
		}
		rate := 100 * float64(hit) / float64(max(n, 1))
		what := "recall"
		if !attack {
			what = "false positives"
		}
		t.Logf("%s: %s %d/%d = %.3f%%", name, what, hit, n, rate)
		return rate
	}

	crs, err := corpus.LoadCRS(dir, crsFamilies)
	var attacks []corpus.Case
	for _, c := range crs {
		if c.Attack {
			attacks = append(attacks, c)
		}
	}
	crsRecall := report("crs", run("crs", attacks, err), true)
	patt, err := corpus.LoadPATT(dir)
	pattRecall := report("patt", run("patt", patt, err), true)
	csic, err := corpus.LoadCSIC(dir, 0)
	csicFP := report("csic", run("csic", csic, err), false)
	prose, err := corpus.LoadProse()
	proseFP := report("prose", run("prose", prose, err), false)
	modern, err := corpus.LoadModern()
	modernFP := report("modern", run("modern", modern, err), false)

	if f := os.Getenv("BULWARK_EVAL_DUMP"); f != "" {
		if err := os.WriteFile(f, []byte(dump.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
	check := func(name string, got, floor float64, atLeast bool) {
		if atLeast && got < floor || !atLeast && got > floor {
			t.Errorf("%s = %.3f%%, want %s %.3f%%", name, got, map[bool]string{true: ">=", false: "<="}[atLeast], floor)
		}
	}
	check("CRS recall", crsRecall, floors.crsRecall, true)
	check("PayloadsAllTheThings recall", pattRecall, floors.pattRecall, true)
	check("CSIC false positives", csicFP, floors.csicFP, false)
	check("prose false positives", proseFP, floors.proseFP, false)
	check("modern false positives", modernFP, floors.modernFP, false)
}

func headerSummary(c corpus.Case) string {
	var b strings.Builder
	for k, v := range c.Header {
		switch k {
		case "Host", "Accept", "Accept-Language", "Accept-Encoding", "Content-Length", "Connection":
			continue
		}
		if k == "User-Agent" && (strings.HasPrefix(v[0], "Mozilla/5.0 (X11") || v[0] == "OWASP CRS test agent") {
			continue
		}
		fmt.Fprintf(&b, "%s: %s; ", k, strings.Join(v, ","))
	}
	return b.String()
}
