package inspect

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// crsFamilies are the CRS rule families whose attack tests count toward
// recall.
var crsFamilies = []string{"913", "930", "931", "932", "933", "934", "941", "942", "944"}

// floors are what the corpus tests must reach, as counts of cases, a few
// cases from what the engine does today: a rule going missing loses more
// than that (libinjection's SQL rule alone catches 14 CRS and 69
// PayloadsAllTheThings cases no other rule does). A corpus that loads
// fewer cases than it holds fails too, so a missing file is no pass.
var floors = map[string]struct {
	minCases int // cases the corpus must load
	hits     int // attacks caught at least, or benign requests blocked at most
}{
	"crs":     {3592, 3163},    // 3166 caught on 3,592 (88.14%)
	"patt":    {107805, 99790}, // 99803 caught on 107,805 (92.58%)
	"csic":    {72000, 2},      // 0 blocked
	"prose":   {3600, 1},       // 0 blocked
	"modern":  {2350, 6},       // 5 blocked
	"content": {18232, 84},     // 80 blocked (0.44%; 1893 before free text was judged as such, issue 21)
}

// TestCorpus measures recall on the attack corpora and false positives on
// the benign ones. It needs ../shared/corpus: without it the test fails
// when $CI is set and is skipped, loudly, otherwise (RealPartMissing). Set
// BULWARK_EVAL_DUMP to a file name to write every miss and false positive.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus evaluation skipped in -short mode")
	}
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	type tally struct{ n, hit int }
	run := func(name string, cases []corpus.Case, err error) map[string]*tally {
		t.Helper()
		if err != nil {
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
	report := func(name string, groups map[string]*tally, attack bool) {
		t.Helper()
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
		what := "recall"
		if !attack {
			what = "false positives"
		}
		t.Logf("%s: %s %d/%d = %.3f%%", name, what, hit, n, 100*float64(hit)/float64(max(n, 1)))
		f := floors[name]
		switch {
		case n < f.minCases:
			t.Errorf("%s: %d cases loaded, want %d: is the corpus whole?", name, n, f.minCases)
		case attack && hit < f.hits:
			t.Errorf("%s: %d attacks caught, want at least %d: a rule went missing or got weaker", name, hit, f.hits)
		case !attack && hit > f.hits:
			t.Errorf("%s: %d benign requests blocked, want at most %d", name, hit, f.hits)
		}
	}

	crs, err := corpus.LoadCRS(dir, crsFamilies)
	var attacks []corpus.Case
	for _, c := range crs {
		if c.Attack {
			attacks = append(attacks, c)
		}
	}
	report("crs", run("crs", attacks, err), true)
	patt, err := corpus.LoadPATT(dir)
	report("patt", run("patt", patt, err), true)
	csic, err := corpus.LoadCSIC(dir, 0)
	report("csic", run("csic", csic, err), false)
	prose, err := corpus.LoadProse()
	report("prose", run("prose", prose, err), false)
	modern, err := corpus.LoadModern()
	report("modern", run("modern", modern, err), false)
	content, err := corpus.LoadContent(dir)
	report("content", run("content", content, err), false)

	if f := os.Getenv("BULWARK_EVAL_DUMP"); f != "" {
		if err := os.WriteFile(f, []byte(dump.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
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
