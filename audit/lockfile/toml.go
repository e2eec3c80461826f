package lockfile

import (
	"fmt"
	"strings"
)

// A small, strict TOML reader, enough for generated lockfiles (Cargo.lock,
// poetry.lock, uv.lock): comments, [tables], [[arrays of tables]], keys
// (bare, quoted, dotted), strings of the four kinds, numbers, booleans,
// dates as text, arrays and inline tables. It returns the tables in file
// order, each with the line of its header; it does not merge or check
// redefinitions, which lockfiles do not need. Nesting is bounded.

type tomlTable struct {
	name  string // "package", "package.dependencies", "" for the top
	array bool   // [[name]]
	line  int
	kv    map[string]any // dotted keys joined with "."
}

type tomlParser struct {
	file string
	s    string
	i    int
	line int
}

func parseTOML(file string, data []byte) ([]*tomlTable, error) {
	p := &tomlParser{file: file, s: string(data), line: 1}
	cur := &tomlTable{line: 1, kv: map[string]any{}}
	tables := []*tomlTable{cur}
	for {
		p.skipSpaceAndComments(true)
		if p.i >= len(p.s) {
			return tables, nil
		}
		if p.s[p.i] == '[' {
			arr := strings.HasPrefix(p.s[p.i:], "[[")
			p.i++
			if arr {
				p.i++
			}
			p.skipSpace()
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			end := "]"
			if arr {
				end = "]]"
			}
			if !strings.HasPrefix(p.s[p.i:], end) {
				return nil, p.errf("table header: want %q", end)
			}
			p.i += len(end)
			if len(tables) >= maxPackages {
				return nil, p.errf("more than %d tables: refusing to read further", maxPackages)
			}
			cur = &tomlTable{name: strings.Join(key, "."), array: arr, line: p.line, kv: map[string]any{}}
			tables = append(tables, cur)
		} else {
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if p.i >= len(p.s) || p.s[p.i] != '=' {
				return nil, p.errf("want = after key %q", strings.Join(key, "."))
			}
			p.i++
			p.skipSpace()
			v, err := p.value(0)
			if err != nil {
				return nil, err
			}
			cur.kv[strings.Join(key, ".")] = v
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '#' {
			p.skipComment()
		}
		if p.i < len(p.s) && p.s[p.i] != '\n' && p.s[p.i] != '\r' {
			return nil, p.errf("unexpected %q at end of line", p.s[p.i])
		}
	}
}

func (p *tomlParser) errf(format string, args ...any) error {
	return errorf(p.file, p.line, "invalid TOML: %s: fix or regenerate the lockfile", fmt.Sprintf(format, args...))
}

func (p *tomlParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *tomlParser) skipComment() {
	for p.i < len(p.s) && p.s[p.i] != '\n' {
		p.i++
	}
}

// skipSpaceAndComments skips blanks, comments and, if newlines, line ends.
func (p *tomlParser) skipSpaceAndComments(newlines bool) {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			p.i++
		case c == '\n' && newlines:
			p.i++
			p.line++
		case c == '#':
			p.skipComment()
		default:
			return
		}
	}
}

func (p *tomlParser) key() ([]string, error) {
	var parts []string
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errf("want a key")
		}
		switch c := p.s[p.i]; {
		case c == '"' || c == '\'':
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		default:
			j := p.i
			for j < len(p.s) && isBareKey(p.s[j]) {
				j++
			}
			if j == p.i {
				return nil, p.errf("want a key, got %q", c)
			}
			parts = append(parts, p.s[p.i:j])
			p.i = j
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '.' {
			p.i++
			continue
		}
		return parts, nil
	}
}

func isBareKey(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (p *tomlParser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.errf("values nested more than %d deep", maxDepth)
	}
	if p.i >= len(p.s) {
		return nil, p.errf("want a value")
	}
	switch c := p.s[p.i]; c {
	case '"', '\'':
		return p.str()
	case '[':
		p.i++
		var arr []any
		for {
			p.skipSpaceAndComments(true)
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return arr, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.skipSpaceAndComments(true)
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return arr, nil
			}
			return nil, p.errf("array: want , or ]")
		}
	case '{':
		p.i++
		t := map[string]any{}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return t, nil
		}
		for {
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if p.i >= len(p.s) || p.s[p.i] != '=' {
				return nil, p.errf("inline table: want = after %q", strings.Join(key, "."))
			}
			p.i++
			p.skipSpace()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			t[strings.Join(key, ".")] = v
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return t, nil
			}
			return nil, p.errf("inline table: want , or }")
		}
	default:
		// numbers, booleans, dates: kept as their text
		j := p.i
		for j < len(p.s) && !strings.ContainsRune(" \t\r\n,]}#", rune(p.s[j])) {
			j++
		}
		if j == p.i {
			return nil, p.errf("want a value, got %q", c)
		}
		tok := p.s[p.i:j]
		p.i = j
		switch {
		case tok == "true":
			return true, nil
		case tok == "false":
			return false, nil
		case tok[0] == '+' || tok[0] == '-' || tok[0] >= '0' && tok[0] <= '9' || tok == "inf" || tok == "nan":
			return tok, nil
		}
		return nil, p.errf("want a value, got %q", clip(tok))
	}
}

// str reads a basic, literal or multi-line string.
func (p *tomlParser) str() (string, error) {
	q := p.s[p.i]
	multi := strings.HasPrefix(p.s[p.i:], strings.Repeat(string(q), 3))
	if multi {
		p.i += 3
		if strings.HasPrefix(p.s[p.i:], "\n") {
			p.i++
			p.line++
		} else if strings.HasPrefix(p.s[p.i:], "\r\n") {
			p.i += 2
			p.line++
		}
	} else {
		p.i++
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case multi && strings.HasPrefix(p.s[p.i:], strings.Repeat(string(q), 3)):
			p.i += 3
			for k := 0; k < 2 && p.i < len(p.s) && p.s[p.i] == q; k++ { // up to two quotes may end the content
				b.WriteByte(q)
				p.i++
			}
			return b.String(), nil
		case !multi && c == q:
			p.i++
			return b.String(), nil
		case c == '\n':
			if !multi {
				return "", p.errf("unterminated string")
			}
			p.line++
			b.WriteByte(c)
			p.i++
		case c == '\\' && q == '"':
			if p.i+1 >= len(p.s) {
				return "", p.errf("unterminated string")
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '"', '\\':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if p.i+n > len(p.s) {
					return "", p.errf("short \\%c escape", e)
				}
				var r rune
				for _, h := range p.s[p.i : p.i+n] {
					d := strings.IndexRune("0123456789abcdef", h|0x20)
					if d < 0 {
						return "", p.errf("bad \\%c escape", e)
					}
					r = r<<4 | rune(d)
				}
				b.WriteRune(r)
				p.i += n
			case '\n', ' ', '\t', '\r':
				if !multi {
					return "", p.errf("bad escape")
				}
				for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) { // line-ending backslash
					if p.s[p.i] == '\n' {
						p.line++
					}
					p.i++
				}
			default:
				return "", p.errf("bad escape \\%c", e)
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errf("unterminated string")
}

// tomlString is v as a string if it is one.
func tomlString(v any) string {
	s, _ := v.(string)
	return s
}
