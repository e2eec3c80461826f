package inspect

import (
	"encoding/base64"
	"unicode/utf8"
)

// maxBase64 bounds the length of values tried as base64.
const maxBase64 = 4096

// base64 inspects again, decoded, a value that is base64 text of printable
// text: cookies and parameters carrying serialized payloads.
func (s *scan) base64(in *input) {
	v := in.raw
	if len(v) < 12 || len(v) > maxBase64 || in.kind == kindPath || !base64ish(v) {
		return
	}
	enc := base64.StdEncoding
	if stripped := trimPad(v); len(stripped) != len(v) || len(v)%4 != 0 {
		v = stripped
		enc = base64.RawStdEncoding
	}
	for i := 0; i < len(v); i++ {
		if v[i] == '-' || v[i] == '_' {
			if enc == base64.StdEncoding {
				enc = base64.URLEncoding
			} else {
				enc = base64.RawURLEncoding
			}
			break
		}
	}
	start := len(s.buf)
	s.buf = append(s.buf, make([]byte, enc.DecodedLen(len(v)))...)
	n, err := enc.Decode(s.buf[start:], []byte(v))
	if err != nil && n == 0 {
		s.buf = s.buf[:start]
		return
	}
	s.buf = s.buf[:start+n]
	dec := s.str(start)
	if !printable(dec) {
		return
	}
	sub := &s.sub
	s.inspect(sub, in.kind, in.name, dec, in.key)
}

func trimPad(v string) string {
	for len(v) > 0 && v[len(v)-1] == '=' {
		v = v[:len(v)-1]
	}
	return v
}

// printable reports whether v reads as text: valid UTF-8, few control
// characters.
func printable(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	bad := 0
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			bad++
		}
	}
	return bad*20 <= len(v)
}
