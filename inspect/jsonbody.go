package inspect

import (
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// bytesView returns b as a string without copying; b must not change
// while the string is in use.
func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// json inspects a JSON body: every member name and string value, named by
// its JSON path ($.user.email, $.items[2]). It reports false, having
// inspected what came before, if b is not JSON.
func (s *scan) json(b []byte) bool { return s.jsonAs(kindJSON, "$", b) }

// jsonAs inspects b, a JSON document, as inputs of kind k whose names are
// their paths under root: a JSON cookie's members are cookie:prefs.theme.
func (s *scan) jsonAs(k kind, root string, b []byte) bool {
	p := jsonParser{s: s, b: b, kind: k}
	s.jpath = append(s.jpath[:0], root...)
	p.ws()
	if !p.value(0) {
		return false
	}
	p.ws()
	return p.i == len(b) || s.stopped
}

type jsonParser struct {
	s    *scan
	b    []byte
	i    int
	kind kind // of the inputs found
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses one value at the current path; strings are inspected.
func (p *jsonParser) value(depth int) bool {
	s := p.s
	if s.stopped {
		return true
	}
	if p.i >= len(p.b) {
		return false
	}
	switch c := p.b[p.i]; {
	case c == '{' || c == '[':
		if depth >= s.e.maxDepth {
			s.limit(ruleTooDeep, "body")
			return true
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		v, ok := p.str()
		if !ok {
			return false
		}
		if v != "" && s.count() {
			s.inspect(&s.in, p.kind, p.path(), v, false)
		}
		return true
	default:
		start := p.i
		for p.i < len(p.b) && !isJSONDelim(p.b[p.i]) {
			p.i++
		}
		lit := string(p.b[start:p.i])
		switch lit {
		case "true", "false", "null":
			return true
		}
		_, err := strconv.ParseFloat(lit, 64)
		return err == nil
	}
}

func isJSONDelim(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':'
}

func (p *jsonParser) object(depth int) bool {
	s := p.s
	p.i++ // {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return true
	}
	base := len(s.jpath)
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return false
		}
		k, ok := p.str()
		if !ok {
			return false
		}
		s.jpath = append(append(s.jpath[:base], '.'), k...)
		if k != "" && !s.stopped {
			s.inspect(&s.in, p.kind, p.path(), k, true)
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return false
		}
		p.i++
		p.ws()
		if !p.value(depth) {
			return false
		}
		s.jpath = s.jpath[:base]
		if done, ok := p.separator('}'); done || !ok {
			return ok
		}
	}
}

func (p *jsonParser) array(depth int) bool {
	s := p.s
	p.i++ // [
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return true
	}
	base := len(s.jpath)
	for n := 0; ; n++ {
		s.jpath = append(strconv.AppendInt(append(s.jpath[:base], '['), int64(n), 10), ']')
		p.ws()
		if !p.value(depth) {
			return false
		}
		s.jpath = s.jpath[:base]
		if done, ok := p.separator(']'); done || !ok {
			return ok
		}
	}
}

// path returns the current JSON path; it is valid until the path changes.
func (p *jsonParser) path() string { return bytesView(p.s.jpath) }

// str parses a string; the result points into b or the arena.
func (p *jsonParser) str() (string, bool) {
	p.i++ // "
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; c {
		case '"':
			v := bytesView(p.b[start:p.i])
			p.i++
			return v, true
		case '\\':
			return p.escaped(start)
		}
		p.i++
	}
	return "", false
}

// escaped finishes a string with escapes, unescaping into the arena.
func (p *jsonParser) escaped(start int) (string, bool) {
	s := p.s
	out := len(s.buf)
	s.buf = append(s.buf, p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return s.str(out), true
		case c == '\\' && p.i+1 < len(p.b):
			p.i++
			switch e := p.b[p.i]; e {
			case 'n':
				s.buf = append(s.buf, '\n')
			case 'r':
				s.buf = append(s.buf, '\r')
			case 't':
				s.buf = append(s.buf, '\t')
			case 'b':
				s.buf = append(s.buf, '\b')
			case 'f':
				s.buf = append(s.buf, '\f')
			case 'u':
				if p.i+4 >= len(p.b) {
					return "", false
				}
				r, err := strconv.ParseUint(string(p.b[p.i+1:p.i+5]), 16, 32)
				if err != nil {
					return "", false
				}
				p.i += 4
				ru := rune(r)
				if utf8.ValidRune(ru) {
					s.buf = utf8.AppendRune(s.buf, ru)
				} else if p.i+6 < len(p.b) && p.b[p.i+1] == '\\' && p.b[p.i+2] == 'u' {
					lo, err := strconv.ParseUint(string(p.b[p.i+3:p.i+7]), 16, 32)
					if err == nil && ru >= 0xD800 && ru < 0xDC00 && lo >= 0xDC00 && lo < 0xE000 {
						s.buf = utf8.AppendRune(s.buf, (ru-0xD800)<<10|(rune(lo)-0xDC00)+0x10000)
						p.i += 6
					} else {
						s.buf = utf8.AppendRune(s.buf, utf8.RuneError)
					}
				} else {
					s.buf = utf8.AppendRune(s.buf, utf8.RuneError)
				}
			default:
				s.buf = append(s.buf, e)
			}
			p.i++
		default:
			s.buf = append(s.buf, c)
			p.i++
		}
	}
	return "", false
}

// separator reads what follows a member or element: a comma (more to come)
// or the closing byte (done); anything else is malformed.
func (p *jsonParser) separator(closing byte) (done, ok bool) {
	p.ws()
	if p.i >= len(p.b) {
		return false, false
	}
	switch p.b[p.i] {
	case ',':
		p.i++
		return false, true
	case closing:
		p.i++
		return true, true
	}
	return false, false
}
