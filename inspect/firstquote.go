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
		if s.sqlAfterQuote(in, i, q) || j != i && s.sqlAfterQuote(in, j, q) {
			return
		}
	}
}

// sqlAfterQuote reports an SQL clause right after the quote q at i in the
// value of in, and reports whether it found one. It reads past the spaces
// and line breaks after the quote (SQL skips them, however many), then to
// the end of that line, at most maxQuoteWindow bytes, with SQL comments as
// spaces.
func (s *scan) sqlAfterQuote(in *input, i int, q byte) bool {
	if i < 0 {
		return false
	}
	b := i + 1
	for b < len(in.low) && strings.IndexByte(" \t\r\n\v\f", in.low[b]) >= 0 {
		b++
	}
	e := b
	for e < len(in.low) && e-b < maxQuoteWindow && in.low[e] != '\n' {
		e++
	}
	// Is the quote's line the value's last? A comment then ends the query.
	last := strings.TrimSpace(in.low[e:]) == "" || e-b == maxQuoteWindow && strings.IndexByte(in.low[e:], '\n') < 0
	start := len(s.buf)
	s.buf = append(s.buf, q, ' ')
	s.buf = append(s.buf, in.low[b:e]...)
	w := s.sqlForm(s.str(start))
	lead := quoteLead(w, q)
	// What follows the quote is SQL code up to the next quote, which opens
	// a literal again: a delay, a union or a statement anywhere in it runs.
	code := w
	if k := strings.IndexByte(w[lead:], q); k >= 0 {
		code = w[:lead+k+1] // with the quote: waitfor delay '0:0:5'
	}
	for _, c := range firstQuoteRules {
		if c.last && !last {
			continue
		}
		for _, p := range c.ps {
			if c.inCode {
				if m := p.re.FindString(code); m != "" {
					s.report(c.r, in, m)
					return true
				}
			} else if m := p.re.FindStringIndex(w); m != nil && m[0] <= lead {
				s.report(c.r, in, w[m[0]:m[1]])
				return true
			}
		}
	}
	return false
}

// firstQuoteRules are the clauses read after the first quote: a union, a
// delay or a stacked query anywhere in the code it opens, a tautology or a
// break-out of free text right at it. A comment, or a statement with no
// semicolon before it (SQL Server runs ' insert into t … --), works only
// where it ends the value: in a value with more lines after it ("# Hello"
// in code, query('DELETE FROM …') in a JavaScript sample) the query is
// left broken.
var firstQuoteRules = []struct {
	r      *rule
	ps     []*pattern
	inCode bool // anywhere in the code after the quote, not only at it
	last   bool // only on the value's last line
}{
	{r: ruleSQLiUnion, ps: []*pattern{reSQLUnion}, inCode: true},
	{r: ruleSQLiTime, ps: []*pattern{reSQLTime}, inCode: true},
	{r: ruleSQLiStack, ps: reSQLStack, inCode: true},
	{r: ruleSQLiStack, ps: reSQLStackMore, inCode: true},
	{r: ruleSQLiTaut, ps: []*pattern{reSQLTaut[0], reSQLTaut[3], reSQLTaut[4]}}, // ' or 'a'='a, ' or 1--, ' or sleep(
	{r: ruleSQLiTaut, ps: reSQLBreakText[:len(reSQLBreakText)-1]},
	{r: ruleSQLiTaut, ps: reSQLBreakText[len(reSQLBreakText)-1:], last: true}, // ' insert into t(…) values(…
	{r: ruleSQLiCmt, ps: []*pattern{reSQLCmtText}, last: true},                // admin'--
	{r: ruleSQLiStack, ps: []*pattern{reSQLBatchText}, last: true},
}

// reSQLBatchText is a statement SQL Server runs after a quote with no
// semicolon: ' exec sp_addlogin …, ' create user x identified by ….
var reSQLBatchText = pat(`['"]\s*\)*\s*(?:exec(?:ute)?\s+(?:sp_|xp_|master\.)|create\s+(?:user|login)\s)`, "exec", "create")

// firstClosingQuote returns the index in v of the first quote q that ends
// a string literal v starts inside of, or -1: a doubled quote (two q) is part
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

// quoteLead returns how many bytes of w, from its quote q, come before the
// clause: the quote, spaces, closing parentheses, string literals next to
// it (SQL joins 'a' 'b' into one) and a semicolon.
func quoteLead(w string, q byte) int {
	n := 1
	for n < len(w) {
		switch c := w[n]; {
		case c == ' ' || c == '\t' || c == '\r' || c == ')':
			n++
		case c == q:
			end := strings.IndexByte(w[n+1:], q)
			if end < 0 {
				return n
			}
			n += end + 2
		case c == ';':
			n++
			for n < len(w) && (w[n] == ' ' || w[n] == '\t' || w[n] == '\r') {
				n++
			}
			return n
		default:
			return n
		}
	}
	return n
}
