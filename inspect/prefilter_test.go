package inspect

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRequiredHints(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{`\$\(\(`, []string{"$(("}},
		{`\.(?:exec|spawn)\s*\(`, []string{".exec", ".spawn"}},
		{`['"]\s*(?:--|#)`, []string{"#", "--"}},   // the rarer part
		{`[<>]\(\s*[a-z]`, []string{"<(", ">("}},   // class and literal joined
		{`\bfoo\b|bar\d+`, []string{"bar", "foo"}}, // each alternative gives its own
		{`(?:foo)?bar`, []string{"bar"}},           // an optional part is skipped
		{`x*y?`, nil},                              // nothing required
		{`\bselect\b|.+`, nil},                     // an alternative with none
		{`[a-z]+=\d`, []string{"="}},               // a wide class is not a hint
		{`(?i)select`, nil},                        // case folding: not exact
		{`a{0,3}b{2}`, []string{"bb"}},             // a repeat is written out
		{`[^a-z]`, nil},                            // a negated class is wide
		{`(?:ab|c)+`, []string{"ab", "c"}},         // one or more keeps its part's hints
	} {
		if got := requiredHints(tc.expr); !slices.Equal(got, tc.want) {
			t.Errorf("requiredHints(%q) = %q, want %q", tc.expr, got, tc.want)
		}
	}
}

// FuzzRequiredHints checks that the hints are sound: whatever an
// expression matches holds one of them.
func FuzzRequiredHints(f *testing.F) {
	f.Add(`['"]\s*(?:--|#)`, `x' --`)
	f.Add(`\.(?:exec|spawn)\s*\(`, `a.spawn (`)
	f.Add(`(?:foo)?bar|[<>]\(`, `<(`)
	f.Add(`a{0,3}b{2}`, `aabb`)
	f.Add(`[\x{fffd}é]x`, "\xffx")
	f.Fuzz(func(t *testing.T, expr, v string) {
		if len(expr) > 256 {
			return // longer ones teach the fuzzer nothing more
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		hints := requiredHints(expr)
		if hints == nil || !re.MatchString(v) {
			return
		}
		if !slices.ContainsFunc(hints, func(h string) bool { return strings.Contains(v, h) }) {
			t.Errorf("%q matches %q but holds none of its hints %q", expr, v, hints)
		}
	})
}
