package inspect

import (
	"html"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// maxDecodeRounds bounds repeated URL decoding: a value encoded more often
// than this is left as is (and %25 sequences still look suspicious).
const maxDecodeRounds = 3

// Normalize returns v decoded the way some backend might decode it before
// use: URL decoding (with %uXXXX) repeated up to three times, overlong UTF-8
// sequences as the ASCII they encode, HTML entities, JavaScript \xXX and
// \uXXXX escapes, fullwidth and other look-alike characters as ASCII, null
// bytes removed, then ASCII lower case. It never fails: undecodable
// sequences stay as they are.
func Normalize(v string) string {
	var a arena
	return strings.Clone(a.lower(a.decode(v)))
}

// An arena holds the decoded forms of one request's values. Strings it
// returns point into its buffer and are valid until reset; they must be
// cloned to outlive the request.
type arena struct{ buf []byte }

func (a *arena) reset() { a.buf = a.buf[:0] }

// str returns the bytes appended since start as a string.
func (a *arena) str(start int) string {
	b := a.buf[start:]
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// decode applies every decoding in turn, repeating while one of them
// uncovers another. It allocates nothing when v needs no decoding.
func (a *arena) decode(v string) string {
	for round := 0; round < maxDecodeRounds+1; round++ {
		before := v
		if round < maxDecodeRounds && strings.IndexByte(v, '%') >= 0 {
			v = a.urlDecode(v, false)
		}
		if hasOverlong(v) {
			v = a.overlong(v)
		}
		if strings.IndexByte(v, '&') >= 0 {
			v = a.entities(v)
		}
		if strings.IndexByte(v, '\\') >= 0 {
			v = a.jsEscapes(v)
		}
		if !isASCII(v) {
			v = a.confusables(v)
		}
		if strings.IndexByte(v, 0) >= 0 {
			v = a.dropNUL(v)
		}
		if v == before {
			break
		}
	}
	return v
}

// urlDecode decodes %XX and %uXXXX; plus turns '+' into a space, as in
// query strings. Malformed escapes are kept.
func (a *arena) urlDecode(v string, plus bool) string {
	if strings.IndexByte(v, '%') < 0 && (!plus || strings.IndexByte(v, '+') < 0) {
		return v
	}
	start := len(a.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '+' && plus:
			a.buf = append(a.buf, ' ')
		case c == '%' && i+2 < len(v) && ishex(v[i+1]) && ishex(v[i+2]):
			a.buf = append(a.buf, unhex(v[i+1])<<4|unhex(v[i+2]))
			i += 2
		case c == '%' && i+5 < len(v) && (v[i+1] == 'u' || v[i+1] == 'U') &&
			ishex(v[i+2]) && ishex(v[i+3]) && ishex(v[i+4]) && ishex(v[i+5]):
			r := rune(unhex(v[i+2]))<<12 | rune(unhex(v[i+3]))<<8 | rune(unhex(v[i+4]))<<4 | rune(unhex(v[i+5]))
			a.buf = utf8.AppendRune(a.buf, r)
			i += 5
		default:
			a.buf = append(a.buf, c)
		}
	}
	return a.str(start)
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// hasOverlong reports whether v may hold an overlong UTF-8 sequence.
func hasOverlong(v string) bool {
	for i := 0; i+1 < len(v); i++ {
		c := v[i]
		if c == 0xC0 || c == 0xC1 || (c == 0xE0 && v[i+1] < 0xA0) || (c == 0xF0 && v[i+1] < 0x90) || c == 0xF8 || c == 0xFC {
			return true
		}
	}
	return false
}

// overlong replaces overlong UTF-8 sequences (%c0%af for '/') with the
// ASCII character they encode, as old decoders did.
func (a *arena) overlong(v string) string {
	start := len(a.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case (c == 0xC0 || c == 0xC1) && i+1 < len(v) && v[i+1]&0xC0 == 0x80:
			a.buf = append(a.buf, (c&0x1F)<<6|v[i+1]&0x3F)
			i++
		case c == 0xE0 && i+2 < len(v) && v[i+1] < 0xA0 && v[i+1]&0xC0 == 0x80 && v[i+2]&0xC0 == 0x80:
			r := rune(v[i+1]&0x3F)<<6 | rune(v[i+2]&0x3F)
			if r < 0x80 {
				a.buf = append(a.buf, byte(r))
			} else {
				a.buf = utf8.AppendRune(a.buf, r)
			}
			i += 2
		case c == 0xF0 && i+3 < len(v) && v[i+1] < 0x90 && v[i+1]&0xC0 == 0x80 && v[i+2]&0xC0 == 0x80 && v[i+3]&0xC0 == 0x80:
			r := rune(v[i+1]&0x3F)<<12 | rune(v[i+2]&0x3F)<<6 | rune(v[i+3]&0x3F)
			if r < 0x80 {
				a.buf = append(a.buf, byte(r))
			} else {
				a.buf = utf8.AppendRune(a.buf, r)
			}
			i += 3
		case (c == 0xF8 || c == 0xFC) && i+4 < len(v):
			// 5- and 6-byte forms, invalid since 2003, still met in attacks.
			n := 5
			if c == 0xFC {
				n = 6
			}
			if i+n > len(v) {
				a.buf = append(a.buf, c)
				continue
			}
			r, ok := rune(0), true
			for _, b := range []byte(v[i+1 : i+n]) {
				if b&0xC0 != 0x80 {
					ok = false
					break
				}
				r = r<<6 | rune(b&0x3F)
			}
			if ok && r < 0x80 {
				a.buf = append(a.buf, byte(r))
				i += n - 1
				continue
			}
			a.buf = append(a.buf, c)
		default:
			a.buf = append(a.buf, c)
		}
	}
	return a.str(start)
}

// entities decodes HTML character references, named and numeric, with or
// without the final semicolon where browsers accept that.
func (a *arena) entities(v string) string {
	i := strings.IndexByte(v, '&')
	if i < 0 || i+2 >= len(v) {
		return v
	}
	u := html.UnescapeString(v)
	if u == v {
		return v
	}
	start := len(a.buf)
	a.buf = append(a.buf, u...)
	return a.str(start)
}

// jsEscapes decodes JavaScript and C-style \xXX, \uXXXX and \u{X…} escapes.
func (a *arena) jsEscapes(v string) string {
	if !strings.Contains(v, `\x`) && !strings.Contains(v, `\u`) && !strings.Contains(v, `\X`) && !strings.Contains(v, `\U`) {
		return v
	}
	start := len(a.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+3 < len(v) && (v[i+1] == 'x' || v[i+1] == 'X') && ishex(v[i+2]) && ishex(v[i+3]) {
			a.buf = append(a.buf, unhex(v[i+2])<<4|unhex(v[i+3]))
			i += 3
			continue
		}
		if c == '\\' && i+5 < len(v) && (v[i+1] == 'u' || v[i+1] == 'U') && ishex(v[i+2]) && ishex(v[i+3]) && ishex(v[i+4]) && ishex(v[i+5]) {
			r := rune(unhex(v[i+2]))<<12 | rune(unhex(v[i+3]))<<8 | rune(unhex(v[i+4]))<<4 | rune(unhex(v[i+5]))
			a.buf = utf8.AppendRune(a.buf, r)
			i += 5
			continue
		}
		if c == '\\' && i+3 < len(v) && v[i+1] == 'u' && v[i+2] == '{' {
			r, j := rune(0), i+3
			for ; j < len(v) && j < i+10 && ishex(v[j]); j++ {
				r = r<<4 | rune(unhex(v[j]))
			}
			if j < len(v) && v[j] == '}' && j > i+3 && r <= utf8.MaxRune {
				a.buf = utf8.AppendRune(a.buf, r)
				i = j
				continue
			}
		}
		a.buf = append(a.buf, c)
	}
	return a.str(start)
}

// confusables maps characters that some backend folds to ASCII (fullwidth
// forms, division slash, ideographic full stop, circled letters and digits)
// to that ASCII. Other non-ASCII text is kept.
func (a *arena) confusables(v string) string {
	changed := false
	for _, r := range v {
		if _, ok := confusable(r); ok {
			changed = true
			break
		}
	}
	if !changed {
		return v
	}
	start := len(a.buf)
	for i := 0; i < len(v); {
		r, n := utf8.DecodeRuneInString(v[i:])
		if c, ok := confusable(r); ok {
			a.buf = append(a.buf, c)
		} else {
			// Invalid bytes stay as they are: U+FFFD would triple them.
			a.buf = append(a.buf, v[i:i+n]...)
		}
		i += n
	}
	return a.str(start)
}

func confusable(r rune) (byte, bool) {
	switch {
	case r < 0x80:
		return 0, false
	case r >= 0xFF01 && r <= 0xFF5E: // fullwidth ASCII
		return byte(r - 0xFEE0), true
	case r >= 0x2460 && r <= 0x2468: // ①..⑨
		return byte('1' + r - 0x2460), true
	case r == 0x24EA: // ⓪
		return '0', true
	case r >= 0x24B6 && r <= 0x24CF: // Ⓐ..Ⓩ
		return byte('a' + r - 0x24B6), true
	case r >= 0x24D0 && r <= 0x24E9: // ⓐ..ⓩ
		return byte('a' + r - 0x24D0), true
	}
	switch r {
	case 0x2215, 0x2044, 0x29F8: // division slash, fraction slash, big solidus
		return '/', true
	case 0x2216, 0x29F9, 0xFE68: // set minus, big reverse solidus, small reverse solidus
		return '\\', true
	case 0x3002, 0xFF61, 0x2024, 0xFE52: // ideographic and halfwidth full stops, one dot leader
		return '.', true
	case 0x02BC, 0x2018, 0x2019, 0x2032: // modifier apostrophe, quotes, prime
		return '\'', true
	case 0x02BA, 0x201C, 0x201D, 0x2033:
		return '"', true
	case 0x2039, 0x3008, 0xFE64: // single angle quotation, angle brackets
		return '<', true
	case 0x203A, 0x3009, 0xFE65:
		return '>', true
	}
	return 0, false
}

func (a *arena) dropNUL(v string) string {
	start := len(a.buf)
	for i := 0; i < len(v); i++ {
		if v[i] != 0 {
			a.buf = append(a.buf, v[i])
		}
	}
	return a.str(start)
}

// lower returns v in ASCII lower case.
func (a *arena) lower(v string) string {
	i := 0
	for i < len(v) && !('A' <= v[i] && v[i] <= 'Z') {
		i++
	}
	if i == len(v) {
		return v
	}
	start := len(a.buf)
	a.buf = append(a.buf, v[:i]...)
	for ; i < len(v); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		a.buf = append(a.buf, c)
	}
	return a.str(start)
}

func isASCII(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			return false
		}
	}
	return true
}
