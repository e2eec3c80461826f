package inspect

import (
	"strings"
)

// deriveHints gives the patterns without hints those [requiredHints]
// finds, and those with hints a second set where it is less likely to
// occur in benign text than theirs (by [hintCost]): a match holds one of
// each set.
func deriveHints() {
	next := len(patterns)
	for _, p := range patterns {
		h := requiredHints(p.expr)
		switch {
		case h == nil:
		case len(p.hints) == 0:
			p.hints = h
		case hintCost(h) < hintCost(p.hints) && next < len(hintMask{})*64:
			p.also, p.alsoHints = next, h
			next++
		}
	}
}

// literalHints returns strings one of which every match of alt contains:
// the words of a leading group of plain alternatives ("\b(?:load_file|
// extractvalue)\s*\("), or else the first run of three literal letters or
// more outside any group. It returns nil (always run) when it finds none.
func literalHints(alt string) []string {
	a := strings.TrimPrefix(alt, `\b`)
	a = strings.TrimPrefix(a, `^`)
	if strings.HasPrefix(a, "(?:") {
		end := matchingParen(a)
		if end > 0 && (end+1 >= len(a) || strings.IndexByte("?*{", a[end+1]) < 0) {
			inner := a[3:end]
			var words []string
			for _, w := range splitAlternatives(inner) {
				lit := leadingLiteral(w)
				if len(lit) < 2 {
					words = nil
					break
				}
				words = append(words, lit)
			}
			if words != nil {
				return words
			}
		}
	}
	// The first literal run outside groups and classes, not made optional.
	depth := 0
	for i := 0; i < len(a); i++ {
		c := a[i]
		switch {
		case c == '\\':
			i++
			continue
		case c == '(':
			depth++
			continue
		case c == ')':
			depth--
			continue
		case c == '{':
			for i < len(a) && a[i] != '}' {
				i++
			}
			continue
		case c == '[':
			for i < len(a) && a[i] != ']' {
				if a[i] == '\\' {
					i++
				}
				i++
			}
			continue
		}
		if depth != 0 || !isLit(c) {
			continue
		}
		j := i
		for j < len(a) && isLit(a[j]) {
			j++
		}
		lit := a[i:j]
		if j < len(a) && strings.IndexByte("?*{", a[j]) >= 0 {
			lit = lit[:len(lit)-1] // the last letter is optional
		}
		if len(lit) >= 3 || len(lit) == 2 && i == 0 {
			return []string{lit}
		}
		i = j - 1
	}
	return nil
}

func isLit(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' ||
		c == '@' || c == '~' || c == ':' || c == '<' || c == '>' || c == '=' || c == '!' ||
		c == '#' || c == '%' || c == ',' || c == '\'' || c == '"' || c == '/' || c == '&' ||
		c == ';' || c == '-'
}

// leadingLiteral returns the literal text at the start of w, if it is all
// of w up to a point where the match may continue with anything.
func leadingLiteral(w string) string {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '\\' && i+1 < len(w) && (w[i+1] == '.' || w[i+1] == '$' || w[i+1] == '(' || w[i+1] == '[' || w[i+1] == '{') {
			b.WriteByte(w[i+1])
			i++
			continue
		}
		if !isLit(c) {
			break
		}
		if i+1 < len(w) && strings.IndexByte("?*{", w[i+1]) >= 0 {
			break
		}
		b.WriteByte(c)
	}
	return b.String()
}

func matchingParen(a string) int {
	depth := 0
	for i := 0; i < len(a); i++ {
		switch a[i] {
		case '\\':
			i++
		case '[':
			for i < len(a) && a[i] != ']' {
				if a[i] == '\\' {
					i++
				}
				i++
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
