package inspect

import "strings"

// Quoted code and SQL. Markdown shows a code block as text, but a database
// reads the bytes the app puts in its query, fences and all: a payload in
// a code block still breaks out of the app's string literal. It breaks out
// at the value's first quote — the one that closes the literal the app
// opened — and the clause that works must follow that quote at once; a
// quote before it (an apostrophe in "Here's") closes the literal there and
// leaves the rest an error, and SQL quoted in an article opens its
// literals (name = 'x') rather than closing one. So the whole value, code
// included, is read at its first single and first double quote (a doubled
// or backslash-escaped quote stays in the literal), for the clauses free
// text blocks after a quote.

// sqliFirstQuote reports an SQL clause right after the first quote of
// each kind in the whole value of in, free text with quoted code.
func (s *scan) sqliFirstQuote(in *input) {
	if !in.has(cQuote) || !s.spend(len(in.low)) {
		return
	}
	for _, q := range []byte{'\'', '"'} {
		// A backslash escapes a quote in MySQL and not in standard SQL:
		// both readings are tried.
		i := firstClosingQuote(in.low, q, true)
		j := firstClosingQuote(in.low, q, false)
		if s.sqlAfterQuote(in, i) || j != i && s.sqlAfterQuote(in, j) {
			return
		}
	}
}

// sqlAfterQuote reports an SQL clause right after the quote at i in the
// value of in, reading to the end of its line, at most maxQuoteWindow
// bytes, and reports whether it found one.
func (s *scan) sqlAfterQuote(in *input, i int) bool {
	if i < 0 {
		return false
	}
	e := i + 1
	for e < len(in.low) && e-i < maxQuoteWindow && in.low[e] != '\n' {
		e++
	}
	w := in.low[i:e]
	lead := quoteLead(w)
	for _, c := range firstQuoteRules {
		for _, p := range c.ps {
			if m := p.re.FindStringIndex(w); m != nil && m[0] <= lead {
				s.report(c.r, in, w[m[0]:m[1]])
				return true
			}
		}
	}
	return false
}

// firstQuoteRules are the clauses read after the first quote: a union, a
// delay, a tautology, a stacked query, the break-outs of free text. Not a
// quote compared with a quote ('='. in an error message) nor a quote then
// a comment ("# Hello") alone: a comment ends one line of a value that has
// more.
var firstQuoteRules = []struct {
	r  *rule
	ps []*pattern
}{
	{ruleSQLiUnion, []*pattern{reSQLUnion}},
	{ruleSQLiTime, []*pattern{reSQLTime}},
	{ruleSQLiTaut, []*pattern{reSQLTaut[0], reSQLTaut[3], reSQLTaut[4]}}, // ' or 'a'='a, ' or 1--, ' or sleep(
	{ruleSQLiStack, reSQLStack},
	{ruleSQLiStack, reSQLStackMore},
	{ruleSQLiTaut, reSQLBreakText},
}

// firstClosingQuote returns the index in v of the first quote q that ends
// a string literal v starts inside of, or -1: a doubled quote (”) is part
// of the literal, and so is one after a backslash (\') if backslash
// escapes.
func firstClosingQuote(v string, q byte, backslash bool) int {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if backslash {
				i++
			}
		case q:
			if i+1 < len(v) && v[i+1] == q {
				i++
				continue
			}
			return i
		}
	}
	return -1
}

// quoteLead returns how many bytes of w, from its quote, come before the
// clause: the quote, closing parentheses, a semicolon and spaces.
func quoteLead(w string) int {
	n := 1
	for n < len(w) && strings.IndexByte(" \t\r)", w[n]) >= 0 {
		n++
	}
	if n < len(w) && w[n] == ';' {
		n++
		for n < len(w) && strings.IndexByte(" \t\r", w[n]) >= 0 {
			n++
		}
	}
	return n
}
