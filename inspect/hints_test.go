package inspect

import (
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestHintsComplete checks that no pattern's hints hide a match: on every
// value of the attack corpora, a pattern that matches has its hint found.
func TestHintsComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("hint completeness over the corpora skipped in -short mode")
	}
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	cases, err := corpus.LoadPATT(dir)
	if err != nil {
		t.Fatal(err)
	}
	crs, err := corpus.LoadCRS(dir, crsFamilies)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, crs...)
	if min := floors["patt"].minCases + floors["crs"].minCases; len(cases) < min {
		t.Fatalf("%d cases loaded from PayloadsAllTheThings and CRS, want at least %d: is the corpus whole?", len(cases), min)
	}
	var a arena
	seen := map[string]bool{}
	for _, c := range cases {
		for _, v := range []string{c.Path, string(c.Body)} {
			a.reset()
			low := a.lower(a.decode(v))
			if seen[low] {
				continue
			}
			seen[strings.Clone(low)] = true // low lives in the arena, reused at the next reset
			m := scanHints(low)
			for _, p := range patterns {
				if !m.admits(p) && p.re.MatchString(low) {
					t.Errorf("pattern %.50q matches %.80q but its hints %q (and %q) are not found", p.re.String(), low, p.hints, p.alsoHints)
				}
			}
		}
	}
}

// TestScanHints checks the automaton against looking for every hint.
func TestScanHints(t *testing.T) {
	compilePatterns()
	naive := func(v string) hintMask {
		m := alwaysRun
		for _, p := range patterns {
			for _, h := range p.hints {
				if strings.Contains(v, h) {
					m.set(p.bit)
				}
			}
			for _, h := range p.alsoHints {
				if strings.Contains(v, h) {
					m.set(p.also)
				}
			}
			for _, w := range p.plans {
				for _, h := range w.winHints {
					if strings.Contains(v, h) {
						m.set(w.win)
					}
				}
			}
		}
		return m
	}
	for _, v := range []string{"", "abc", "ABC select", "' or 1=1--", "/etc/passwd", "ana o'brien", "<script>alert(1)</script>",
		"select * from users where id=1", "${jndi:ldap://x}", "x\xffy\x00z", "..%2f..%2fwin.ini", "{{7*7}}", "$where: sleep(100)"} {
		if got, want := scanHints(v), naive(v); got != want {
			t.Errorf("scanHints(%q) = %x, want %x", v, got, want)
		}
	}
}
