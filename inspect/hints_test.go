package inspect

import (
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// TestHintsComplete checks that no pattern's hints hide a match: on every
// value of the attack corpora, a pattern that matches has its hint found.
func TestHintsComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("hint completeness over the corpora skipped in -short mode")
	}
	dir, err := corpus.Dir()
	if err != nil {
		t.Skip(err)
	}
	cases, _ := corpus.LoadPATT(dir)
	crs, _ := corpus.LoadCRS(dir, crsFamilies)
	cases = append(cases, crs...)
	var a arena
	seen := map[string]bool{}
	for _, c := range cases {
		for _, v := range []string{c.Path, string(c.Body)} {
			a.reset()
			low := a.lower(a.decode(v))
			if seen[low] {
				continue
			}
			seen[low] = true
			m := scanHints(low)
			for _, p := range patterns {
				if !m.admits(p) && p.re.MatchString(low) {
					t.Errorf("pattern %.50q matches %.80q but its hints %q (and %q) are not found", p.re.String(), low, p.hints, p.alsoHints)
				}
			}
		}
	}
}
