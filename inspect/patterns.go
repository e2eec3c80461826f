package inspect

import (
	"regexp"
	"strings"
	"sync"
)

// A pattern is a regular expression with the literal strings one of which
// any match must contain. All patterns' hints are found together in one
// pass over an input (an Aho–Corasick automaton), so that a pattern's
// regular expression runs only on inputs that hold one of its hints.
type pattern struct {
	expr  string
	re    *regexp.Regexp // set by compilePatterns
	bit   int            // index in the automaton's output masks
	hints []string
	// also is a second bit, for more hints one of which must occur too
	// (found by [requiredHints]); 0 if none.
	also      int
	alsoHints []string
	// plans, if set, say how p runs on long values: only around its
	// exact hints (see window.go).
	plans []*windowPlan
}

var patterns []*pattern

// pat declares a pattern for expr; hints must be lower case and each match
// of expr must contain at least one of them. More are found from expr by
// [deriveHints]; with none at all, the expression always runs. The
// expressions are compiled by [compilePatterns], when the
// first Engine is made: compiling them at init cost every bulwark command,
// even those that inspect nothing, 30 ms and 22 MB.
func pat(expr string, hints ...string) *pattern {
	p := &pattern{expr: expr, bit: len(patterns), hints: hints}
	patterns = append(patterns, p)
	return p
}

// anyOf joins alternatives into one alternation, so that a long
// expression can be written one alternative a line, each with a comment
// naming the case it exists for.
func anyOf(alts ...string) string { return strings.Join(alts, "|") }

var compileOnce sync.Once

// compilePatterns compiles every pattern and builds the hint automaton,
// once. Everything that matches patterns runs after it: [New] calls it.
func compilePatterns() {
	compileOnce.Do(func() {
		for _, p := range patterns {
			p.re = regexp.MustCompile(p.expr)
		}
		deriveHints()
		next := len(patterns)
		for _, p := range patterns {
			next = max(next, p.also+1)
		}
		for _, p := range patterns {
			planWindows(p, &next)
		}
		buildHints()
	})
}

// pats compiles each top-level alternative of expr as its own pattern,
// with the hints a match of it must contain, found by [literalHints]. A
// big alternation costs then only the alternatives whose hints occur.
func pats(expr string) []*pattern {
	var out []*pattern
	for _, alt := range splitAlternatives(expr) {
		out = append(out, pat(alt, literalHints(alt)...))
	}
	return out
}

// splitAlternatives splits expr at its top-level | signs.
func splitAlternatives(expr string) []string {
	var alts []string
	depth, start := 0, 0
	inClass := false
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; {
		case c == '\\':
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			alts = append(alts, expr[start:i])
			start = i + 1
		}
	}
	return append(alts, expr[start:])
}
