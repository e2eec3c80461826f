package inspect

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of the strings [requiredHints] works with.
const (
	maxHintSet   = 64  // strings one part of an expression matches exactly
	maxHintAlts  = 256 // strings of a set gathered over alternatives
	maxHintClass = 6   // characters of a class taken as one-character strings
	maxHintLen   = 32  // bytes of a string built by joining parts
)

// requiredHints returns strings one of which every match of expr contains,
// found from the expression's syntax tree, or nil if it finds none. Unlike
// [literalHints] it is exact: a literal or small character class counts
// only where a match cannot skip it, and alternatives each give theirs.
// Where several parts of a concatenation qualify, it takes the set least
// likely to occur in benign text.
func requiredHints(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	req, _ := required(re.Simplify())
	if req == nil || slices.Contains(req, "") {
		return nil
	}
	// A string holding another of the set adds nothing: drop it.
	slices.SortFunc(req, func(a, b string) int { return len(a) - len(b) })
	var out []string
	for _, r := range req {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.Contains(r, o) }) {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

// exact returns every string re matches, if they are few and short.
func exact(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		var b []byte
		for _, r := range re.Rune {
			if r == utf8.RuneError {
				return nil, false // also matches invalid bytes
			}
			b = utf8.AppendRune(b, r)
		}
		return []string{string(b)}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo >= maxHintClass || len(out)+int(hi-lo)+1 > maxHintClass {
				return nil, false
			}
			for r := lo; r <= hi; r++ {
				if r == utf8.RuneError {
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		s, ok := exact(re.Sub[0])
		if !ok || len(s)+1 > maxHintSet {
			return nil, false
		}
		return append(s, ""), true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok || len(out)+len(s) > maxHintSet {
				return nil, false
			}
			out = append(out, s...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if out = cross(out, s); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// cross returns every a followed by every b, or nil if too many or too
// long.
func cross(a, b []string) []string {
	if len(a)*len(b) > maxHintSet {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if len(x)+len(y) > maxHintLen {
				return nil
			}
			out = append(out, x+y)
		}
	}
	return out
}

// required returns strings one of which every match of re contains, and
// their cost (see [hintCost]); nil if there are none.
func required(re *syntax.Regexp) ([]string, float64) {
	if s, ok := exact(re); ok {
		if !slices.Contains(s, "") {
			return s, hintCost(s)
		}
		if re.Op != syntax.OpConcat {
			return nil, 1
		}
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s, _ := required(sub)
			if s == nil || len(out)+len(s) > maxHintAlts {
				return nil, 1
			}
			out = append(out, s...)
		}
		return out, hintCost(out)
	case syntax.OpConcat:
		var best []string
		bestCost := 1.0
		take := func(s []string) {
			if s == nil || slices.Contains(s, "") {
				return
			}
			if c := hintCost(s); c < bestCost {
				best, bestCost = s, c
			}
		}
		exacts := make([][]string, len(re.Sub))
		for i, sub := range re.Sub {
			exacts[i], _ = exact(sub)
			s, _ := required(sub)
			take(s)
		}
		// Runs of parts with exact strings, joined: \.(?:exec|spawn) is
		// ".exec" or ".spawn".
		for i := range re.Sub {
			run := []string{""}
			for j := i; j < len(re.Sub) && exacts[j] != nil; j++ {
				if run = cross(run, exacts[j]); run == nil {
					break
				}
				take(run)
			}
		}
		return best, bestCost
	}
	return nil, 1
}

// hintCost estimates how likely one of ss is to occur in a benign value:
// the sum over the strings of the product of their characters' odds.
func hintCost(ss []string) float64 {
	total := 0.0
	for _, s := range ss {
		p := 1.0
		for i := 0; i < len(s); i++ {
			p *= charOdds(s[i])
		}
		total += p
	}
	return min(total, 1)
}

// charOdds is a rough chance that a character of a benign value is c.
func charOdds(c byte) float64 {
	switch {
	case c == ' ' || c == 'e' || c == 'a' || c == 't' || c == 'o' || c == 'i' || c == 'n':
		return 0.08
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return 0.04
	case strings.IndexByte("./-_,:=&", c) >= 0:
		return 0.03
	case c >= 0x80:
		return 0.02
	}
	return 0.01
}
