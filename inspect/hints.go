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
		buildHints()
	})
}

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

// hintMask is a set of patterns, by bit.
type hintMask [8]uint64

func (m *hintMask) set(bit int)      { m[bit/64] |= 1 << (bit % 64) }
func (m *hintMask) has(bit int) bool { return m[bit/64]&(1<<(bit%64)) != 0 }
func (m *hintMask) or(o *hintMask) {
	for i := range m {
		m[i] |= o[i]
	}
}
func (m *hintMask) empty() bool { return *m == hintMask{} }

// admits reports whether the hints of p found in m let it match.
func (m *hintMask) admits(p *pattern) bool {
	return m.has(p.bit) && (p.also == 0 || m.has(p.also))
}

// An automaton finds every hint in one pass. Its transition table has a
// column per byte that occurs in some hint (and one for all other bytes),
// so that it stays small enough for the CPU's caches.
type automaton struct {
	class  [256]uint8 // byte -> column; 0 for the bytes of no hint
	width  int        // columns
	next   []uint16   // state*width + column -> state
	outIdx []uint16   // state -> index in out; 0 if none
	out    []hintMask // the distinct outputs; out[0] is empty
}

var (
	hintAC    *automaton
	alwaysRun hintMask // patterns without hints
)

// buildHints builds the automaton; called once, after all patterns exist.
func buildHints() {
	next := make([][256]int32, 1, 1024)
	out := make([]hintMask, 1, 1024)
	add := func(bit int, hints []string) {
		for _, h := range hints {
			n := int32(0)
			for i := 0; i < len(h); i++ {
				c := h[i]
				if next[n][c] == 0 {
					next = append(next, [256]int32{})
					out = append(out, hintMask{})
					next[n][c] = int32(len(next) - 1)
				}
				n = next[n][c]
			}
			out[n].set(bit)
		}
	}
	for _, p := range patterns {
		if len(p.hints) == 0 {
			alwaysRun.set(p.bit)
			continue
		}
		add(p.bit, p.hints)
		if p.also != 0 {
			add(p.also, p.alsoHints)
		}
	}
	if len(patterns) > len(hintMask{})*64 {
		panic("inspect: too many patterns for hintMask")
	}
	if len(next) > 1<<16 {
		panic("inspect: too many hint automaton states for uint16")
	}
	// Breadth-first: fail links folded into a full transition table.
	fail := make([]int32, len(next))
	queue := make([]int32, 0, len(next))
	for c := 0; c < 256; c++ {
		if n := next[0][c]; n != 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		out[n].or(&out[fail[n]])
		for c := 0; c < 256; c++ {
			m := next[n][c]
			if m == 0 {
				next[n][c] = next[fail[n]][c]
				continue
			}
			fail[m] = next[fail[n]][c]
			queue = append(queue, m)
		}
	}
	// Compress: the bytes of no hint all lead back to the root.
	a := &automaton{width: 1, out: []hintMask{{}}}
	for c := 0; c < 256; c++ {
		for n := range next {
			if next[n][c] != 0 {
				if a.width > 255 {
					panic("inspect: too many hint bytes for the automaton's columns")
				}
				a.class[c] = uint8(a.width)
				a.width++
				break
			}
		}
	}
	a.next = make([]uint16, len(next)*a.width)
	for n := range next {
		row := a.next[n*a.width : (n+1)*a.width]
		for c := 0; c < 256; c++ {
			if k := a.class[c]; k != 0 {
				row[k] = uint16(next[n][c])
			}
		}
	}
	a.outIdx = make([]uint16, len(next))
	index := map[hintMask]uint16{}
	for n := range out {
		if out[n].empty() {
			continue
		}
		k, ok := index[out[n]]
		if !ok {
			k = uint16(len(a.out))
			index[out[n]] = k
			a.out = append(a.out, out[n])
		}
		a.outIdx[n] = k
	}
	hintAC = a
}

// scanHints returns the patterns whose hints occur in v.
func scanHints(v string) hintMask {
	a := hintAC
	m := alwaysRun
	n := 0
	for i := 0; i < len(v); i++ {
		n = int(a.next[n*a.width+int(a.class[v[i]])])
		if k := a.outIdx[n]; k != 0 {
			m.or(&a.out[k])
		}
	}
	return m
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
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '@' || c == '~' || c == ':' || c == '<' || c == '>' || c == '=' || c == '!' || c == '#' || c == '%' || c == ',' || c == '\'' || c == '"' || c == '/' || c == '&' || c == ';' || c == '-'
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
