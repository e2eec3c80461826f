package inspect

import "strings"

var ruleSQLiNum = newRule("bw-sqli-010", SQLi, 5, "SQL condition after a number or bare name, the whole value: 1 or is_admin=1, 1 xor 1, 0 or 1 limit 1, 1 order by (select 1)")

// sqlNum detects SQL injected where the application puts a number or a
// column name without quotes (WHERE id=$1, ORDER BY $1): no quote to break
// out of and often no function name, so the other rules see nothing. It
// reads the whole value as a number or name followed by SQL clauses and
// reports it only if every word of it parses so and one clause is one a
// sentence does not make: "1 or is_admin=1" is an attack, "pick 1 or 2
// items and order by date" and "1 or 2" are not. v is the value in lower
// case with SQL comments turned into spaces. The parse is one pass over v.
func (s *scan) sqlNum(in *input, v string) bool {
	if m, ok := sqlNumTail(v); ok {
		s.report(ruleSQLiNum, in, m)
		return true
	}
	return false
}

// sqlNumTail reports whether v is a number-led (or name-led) SQL tail, and
// the tail trimmed.
func sqlNumTail(v string) (string, bool) {
	p := sqlParser{l: sqlLexer{v: v}}
	p.advance()
	// The lead: a number or a bare name, maybe a call (iif(…)).
	numLed := false
	switch t := p.tok; {
	case t.kind == 'n' || t.kind == 'x' || t.kind == '-' && p.peekNumber():
		// 1 rlike 1, 1 between 0 and 2: a comparison in place of the
		// number, but not 7*7=49, which is arithmetic.
		numLed = true
		if _, ok := p.operand(); !ok || p.tok.kind == '=' || !p.comparison(true) {
			return "", false
		}
	case t.kind == 'w' && !sqlKeywords[t.s]:
		name := t.s
		p.advance()
		if p.tok.kind == '(' && p.tok.pos == t.pos+len(t.s) {
			g := p.group()
			// A value that is just iif(n=n, …) is sqlmap's MSSQL probe.
			if name == "iif" && g.cmp {
				p.strong, p.lit = true, true
			}
		}
	default:
		return "", false
	}
	for p.tok.kind == ')' {
		p.advance() // 1) or (1=1: closes the application's parenthesis
	}
	for p.tok.kind != 'e' {
		if !p.clause() {
			return "", false
		}
		for p.tok.kind == ')' {
			p.advance()
		}
	}
	if !p.strong || !numLed && !p.lit {
		return "", false
	}
	return strings.TrimSpace(v), true
}

// sqlKeywords are the words that are not names in a tail.
var sqlKeywords = map[string]bool{"or": true, "and": true, "xor": true, "not": true, "limit": true, "offset": true,
	"order": true, "group": true, "by": true, "having": true, "union": true, "select": true, "from": true,
	"where": true, "into": true, "procedure": true, "between": true, "is": true, "like": true, "in": true,
	"regexp": true, "rlike": true, "sounds": true, "div": true, "mod": true}

// A sqlToken is one token of a tail: kind 'n' number, 'x' hex number, 's'
// string, 'w' word, 'e' end (or a comment, or ;), '?' anything else, or
// an operator: '=' any comparison (=, <>, <=, !=, <=>…), '|' || or &&,
// '!' not, '-' minus, '+' other arithmetic; '(' ')' ','. s is its text.
type sqlToken struct {
	kind byte
	s    string
	pos  int
}

type sqlLexer struct {
	v string
	i int
}

func (l *sqlLexer) next() sqlToken {
	v := l.v
space:
	for l.i < len(v) {
		switch c := v[l.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			l.i++
			continue
		case c == '*' && l.i+1 < len(v) && v[l.i+1] == '/':
			l.i += 2 // the end of a /*! … */ comment MySQL runs
			continue
		case c == '/' && l.i+1 < len(v) && v[l.i+1] == '*':
			if l.i+2 < len(v) && v[l.i+2] == '!' {
				l.i += 3 // MySQL runs the inside of /*! … */
				for l.i < len(v) && '0' <= v[l.i] && v[l.i] <= '9' {
					l.i++
				}
				continue
			}
			end := strings.Index(v[l.i+2:], "*/")
			if end < 0 {
				l.i = len(v)
			} else {
				l.i += end + 4
			}
			continue
		}
		break space
	}
	start := l.i
	if l.i >= len(v) {
		return sqlToken{kind: 'e', pos: start}
	}
	c := v[l.i]
	switch {
	case c == '#' || c == ';' || strings.HasPrefix(v[l.i:], "--"):
		l.i = len(v) // the rest is a comment or another statement
		return sqlToken{kind: 'e', pos: start}
	case c == '0' && l.i+2 < len(v) && v[l.i+1] == 'x' && ishex(v[l.i+2]):
		l.i += 2
		for l.i < len(v) && ishex(v[l.i]) {
			l.i++
		}
		return l.tok('x', start)
	case '0' <= c && c <= '9' || c == '.' && l.i+1 < len(v) && '0' <= v[l.i+1] && v[l.i+1] <= '9':
		for l.i < len(v) && ('0' <= v[l.i] && v[l.i] <= '9' || v[l.i] == '.') {
			l.i++
		}
		if l.i < len(v) && v[l.i] == 'e' && l.i+1 < len(v) && '0' <= v[l.i+1] && v[l.i+1] <= '9' {
			l.i++
			for l.i < len(v) && '0' <= v[l.i] && v[l.i] <= '9' {
				l.i++
			}
		}
		if l.i < len(v) && isSQLWordByte(v[l.i]) {
			return sqlToken{kind: '?', pos: start} // 2nd, 10px
		}
		return l.tok('n', start)
	case isSQLWordByte(c) || c == '@':
		for l.i < len(v) && (isSQLWordByte(v[l.i]) || v[l.i] == '@' || v[l.i] == '.' || v[l.i] == '$') {
			l.i++
		}
		return l.tok('w', start)
	case c == '`':
		j := strings.IndexByte(v[l.i+1:], '`')
		if j < 0 {
			return sqlToken{kind: '?', pos: start}
		}
		l.i += j + 2
		return l.tok('w', start)
	case c == '\'' || c == '"':
		j := strings.IndexByte(v[l.i+1:], c)
		if j < 0 {
			return sqlToken{kind: '?', pos: start}
		}
		l.i += j + 2
		return l.tok('s', start)
	}
	l.i++
	switch c {
	case '<', '>', '!', '=':
		for l.i < len(v) && l.i-start < 3 && (v[l.i] == '=' || v[l.i] == '>' || v[l.i] == '<') {
			l.i++
		}
		if c == '!' && l.i == start+1 {
			return l.tok('!', start) // not
		}
		return l.tok('=', start)
	case '|', '&':
		if l.i < len(v) && v[l.i] == c {
			l.i++
			return l.tok('|', start) // || and &&
		}
		return l.tok('+', start)
	case '+', '-', '*', '/', '%', '^':
		if c == '-' {
			return l.tok('-', start)
		}
		return l.tok('+', start)
	case '(', ')', ',':
		return l.tok(c, start)
	}
	return sqlToken{kind: '?', pos: start}
}

func (l *sqlLexer) tok(kind byte, start int) sqlToken {
	return sqlToken{kind: kind, s: l.v[start:l.i], pos: start}
}

func isSQLWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_'
}

// A sqlParser reads a tail token by token; it never backs up, and reads
// a parenthesized group as one token, so its work is linear in the value.
type sqlParser struct {
	l      sqlLexer
	tok    sqlToken
	strong bool // a clause that sentences do not make
	lit    bool // a comparison with a literal operand
}

func (p *sqlParser) advance() { p.tok = p.l.next() }

// peekNumber reports whether a number follows the current token directly.
func (p *sqlParser) peekNumber() bool {
	i := p.l.i
	return i < len(p.l.v) && ('0' <= p.l.v[i] && p.l.v[i] <= '9')
}

// A sqlGroup is what a parenthesized group holds.
type sqlGroup struct {
	sel, cmp bool // a subquery; a comparison
}

// group reads a parenthesized group from the current '(' to its closing
// parenthesis (or the end of the value: the application's closes it).
func (p *sqlParser) group() sqlGroup {
	v := p.l.v
	i := p.tok.pos + 1
	depth := 1
	var quote byte
	for ; i < len(v) && depth > 0; i++ {
		switch c := v[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
	}
	inner := v[p.tok.pos+1 : i]
	g := sqlGroup{sel: containsWord(inner, "select"), cmp: hasComparison(inner)}
	p.l.i = i
	p.advance()
	return g
}

// hasComparison reports whether v compares two operands: 1=1, a<>b, x>64;
// not an operator named in prose ("&=").
func hasComparison(v string) bool {
	for i := 0; i < len(v); i++ {
		if strings.IndexByte("=<>!", v[i]) < 0 {
			continue
		}
		j := i
		for j < len(v) && strings.IndexByte("=<>!", v[j]) >= 0 {
			j++
		}
		l, r := strings.TrimRight(v[:i], " "), strings.TrimLeft(v[j:], " ")
		if v[i:j] != "!" && l != "" && r != "" && isOperandEnd(l[len(l)-1]) && isOperandStart(r[0]) {
			return true
		}
		i = j - 1
	}
	return false
}

func isOperandEnd(c byte) bool {
	return isSQLWordByte(c) || c == ')' || c == '\'' || c == '"' || c == '`'
}

func isOperandStart(c byte) bool {
	return isSQLWordByte(c) || c == '(' || c == '\'' || c == '"' || c == '`' || c == '-' || c == '@'
}

// containsWord reports whether w occurs in v as a whole word.
func containsWord(v, w string) bool {
	for i := 0; ; {
		j := strings.Index(v[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || !isSQLWordByte(v[j-1])) && (j+len(w) == len(v) || !isSQLWordByte(v[j+len(w)])) {
			return true
		}
		i = j + len(w)
	}
}

// clause reads one clause after the lead.
func (p *sqlParser) clause() bool {
	t := p.tok
	switch {
	case t.kind == '|':
		p.strong = true
		p.advance()
		return p.expr()
	case t.kind == 'w' && (t.s == "or" || t.s == "and" || t.s == "xor"):
		if t.s == "xor" {
			p.strong = true
		}
		p.advance()
		if w := p.tok; w.kind == 'w' && (w.s == "true" || w.s == "false" || w.s == "null") {
			p.strong = true
		}
		return p.expr()
	case t.kind == 'w' && t.s == "limit":
		p.advance()
		if p.tok.kind != 'n' {
			return false
		}
		p.advance()
		if p.tok.kind == ',' || p.tok.kind == 'w' && p.tok.s == "offset" {
			p.advance()
			if p.tok.kind != 'n' {
				return false
			}
			p.advance()
		}
		p.strong = true
		return true
	case t.kind == 'w' && (t.s == "order" || t.s == "group"):
		p.advance()
		if p.tok.kind != 'w' || p.tok.s != "by" {
			return false
		}
		for {
			p.advance()
			switch p.tok.kind {
			case '(':
				if g := p.group(); g.sel || g.cmp {
					p.strong, p.lit = true, true
				}
			case 'n':
				p.strong = true
				p.advance()
			default:
				if !p.primary() {
					return false
				}
			}
			if w := p.tok; w.kind == 'w' && (w.s == "asc" || w.s == "desc") {
				p.advance()
			}
			if p.tok.kind != ',' {
				return true
			}
		}
	case t.kind == 'w' && t.s == "having":
		p.strong = true
		p.advance()
		return p.expr()
	case t.kind == 'w' && t.s == "procedure":
		p.advance()
		if p.tok.kind != 'w' || p.tok.s != "analyse" {
			return false
		}
		p.advance()
		if p.tok.kind == '(' {
			p.group()
		}
		p.strong, p.lit = true, true
		return true
	case t.kind == 'w' && t.s == "into":
		p.advance()
		if p.tok.kind != 'w' || p.tok.s != "outfile" && p.tok.s != "dumpfile" {
			return false
		}
		p.advance()
		if p.tok.kind != 's' {
			return false
		}
		p.advance()
		p.strong, p.lit = true, true
		return true
	case t.kind == ',':
		// 1,(select …), 1,iif(…): another column of an ORDER BY.
		p.advance()
		if p.tok.kind == 'w' && !sqlKeywords[p.tok.s] {
			p.advance()
		}
		if p.tok.kind != '(' {
			return false
		}
		if g := p.group(); g.sel || g.cmp {
			p.strong, p.lit = true, true
			return true
		}
		return false
	}
	return false
}

// expr reads a condition: [not] operand [comparison].
func (p *sqlParser) expr() bool {
	for p.tok.kind == '!' || p.tok.kind == 'w' && p.tok.s == "not" {
		p.advance()
	}
	lit, ok := p.operand()
	if !ok {
		return false
	}
	return p.comparison(lit)
}

// comparison reads what may follow an operand: a comparison, or nothing.
// lit tells whether the operand is a literal.
func (p *sqlParser) comparison(lit bool) bool {
	not := false
	if p.tok.kind == 'w' && p.tok.s == "not" {
		not = true
		p.advance()
	}
	t := p.tok
	switch {
	case t.kind == '=':
		p.advance()
		rlit, ok := p.operand()
		if !ok {
			return false
		}
		p.cmp(lit || rlit)
	case t.kind == 'w' && t.s == "between":
		p.advance()
		l1, ok := p.operand()
		if !ok || p.tok.kind != 'w' || p.tok.s != "and" {
			return false
		}
		p.advance()
		l2, ok := p.operand()
		if !ok {
			return false
		}
		p.cmp(lit || l1 || l2)
	case t.kind == 'w' && t.s == "is" && !not:
		p.advance()
		if p.tok.kind == 'w' && p.tok.s == "not" {
			p.advance()
		}
		if w := p.tok; w.kind != 'w' || w.s != "null" && w.s != "true" && w.s != "false" && w.s != "unknown" {
			return false
		}
		p.advance()
		p.cmp(true)
	case t.kind == 'w' && (t.s == "like" || t.s == "regexp" || t.s == "rlike" || t.s == "sounds"):
		p.advance()
		if t.s == "sounds" {
			if p.tok.kind != 'w' || p.tok.s != "like" {
				return false
			}
			p.advance()
		}
		// Only a literal pattern: "1 or 2 like this" is a sentence.
		if k := p.tok.kind; k != 's' && k != 'n' && k != 'x' {
			return false
		}
		p.advance()
		p.cmp(true)
	case t.kind == 'w' && t.s == "in":
		p.advance()
		if p.tok.kind != '(' {
			return false
		}
		p.group()
		p.cmp(true)
	case not:
		return false
	}
	return true
}

// cmp records a comparison, with a literal operand or not.
func (p *sqlParser) cmp(lit bool) {
	p.strong = true
	if lit {
		p.lit = true
	}
}

// operand reads primaries joined by arithmetic: 2*3, length(x)-1.
func (p *sqlParser) operand() (lit bool, ok bool) {
	for {
		l, ok := p.primaryLit()
		if !ok {
			return false, false
		}
		lit = lit || l
		if k := p.tok.kind; k != '+' && k != '-' {
			return lit, true
		}
		p.advance()
	}
}

func (p *sqlParser) primary() bool {
	_, ok := p.primaryLit()
	return ok
}

// primaryLit reads a number, string, name, call or parenthesized group and
// reports whether it is a literal.
func (p *sqlParser) primaryLit() (lit bool, ok bool) {
	switch t := p.tok; t.kind {
	case 'n', 'x', 's':
		p.advance()
		return true, true
	case '-':
		p.advance()
		if p.tok.kind != 'n' {
			return false, false
		}
		p.advance()
		return true, true
	case '(':
		if g := p.group(); g.sel || g.cmp {
			p.strong, p.lit = true, true
		}
		return false, true
	case 'w':
		if sqlKeywords[t.s] {
			return false, false
		}
		p.advance()
		lit := t.s == "null" || t.s == "true" || t.s == "false"
		if p.tok.kind == '(' && p.tok.pos == t.pos+len(t.s) { // a call: sqrt(2), not "word (aside)"
			if g := p.group(); g.sel || g.cmp {
				p.strong, p.lit = true, true
			}
		}
		return lit, true
	}
	return false, false
}
