package inspect

import "strings"

// textOnly returns v with Markdown code (`spans` and ``` fences ```)
// blanked out, when in is a body field that reads as Markdown prose: four
// words or more outside the code. Comments and posts quote SQL and shell
// commands in code spans; the rules that read such text as an attack
// (SQL phrases, shell commands, system paths) see only the prose, while
// the others (libinjection, XSS, template and code injection) still see
// everything. Otherwise v is returned as is.
func (s *scan) textOnly(in *input, v string) string {
	if in.text || !in.has(cQuote) || in.key || strings.IndexByte(v, '`') < 0 {
		return v
	}
	switch in.kind {
	case kindJSON, kindForm, kindMultipart, kindXML:
	default:
		return v
	}
	start := len(s.buf)
	code := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '`' {
			n := 1
			for i+n < len(v) && v[i+n] == '`' {
				n++
			}
			code = !code
			i += n - 1
			s.buf = append(s.buf, ' ')
			continue
		}
		if code {
			if c == '\n' {
				s.buf = append(s.buf, '\n')
			}
			continue
		}
		s.buf = append(s.buf, c)
	}
	out := s.str(start)
	if code || countWords(out) < 4 {
		s.buf = s.buf[:start]
		return v // unbalanced backticks, or no prose around the code
	}
	return out
}

func countWords(v string) int {
	n, in := 0, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || c >= 0x80 {
			if !in {
				n++
			}
			in = true
		} else {
			in = false
		}
	}
	return n
}
