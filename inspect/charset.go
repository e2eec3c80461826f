package inspect

import (
	"encoding/base64"
	"encoding/binary"
	"mime"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Charsets. Express's body parsers decode a body with the charset its
// Content-Type names (through iconv-lite: any UTF for JSON, UTF-8 or
// ISO-8859-1 for forms, anything iconv-lite knows for text), so the engine
// inspects the body as they will read it: it decodes the charsets below
// to UTF-8 and refuses any other with 415. A decoder that cannot read
// some bytes gives U+FFFD for them, as iconv-lite does.

var ruleCharset = newRule("bw-body-003", Protocol, 0, "charset the engine does not decode (415)")

// A charsetDecoder turns a body in one charset into UTF-8.
type charsetDecoder func([]byte) []byte

// charsets maps a charset name, canonical as iconv-lite makes it (lower
// case, letters and digits only), to its decoder.
var charsets = map[string]charsetDecoder{
	"utf8": decodeUTF8, "unicode11utf8": decodeUTF8,
	"utf16le": decodeUTF16LE, "ucs2": decodeUTF16LE,
	"utf16be": decodeUTF16BE,
	"utf16":   decodeUTF16,
	"utf32le": decodeUTF32LE, "ucs4le": decodeUTF32LE,
	"utf32be": decodeUTF32BE, "ucs4be": decodeUTF32BE,
	"utf32": decodeUTF32,
	"utf7":  decodeUTF7, "unicode11utf7": decodeUTF7,
	"latin1": decodeLatin1, "iso88591": decodeLatin1, "binary": decodeLatin1, "l1": decodeLatin1,
	"isoir100": decodeLatin1, "cp819": decodeLatin1, "ibm819": decodeLatin1, "csisolatin1": decodeLatin1,
	"windows1252": decodeWindows1252, "cp1252": decodeWindows1252, "win1252": decodeWindows1252,
	"ascii": decodeASCII, "usascii": decodeASCII, "ansix341968": decodeASCII, "csascii": decodeASCII,
	"iso646us": decodeASCII, "cp367": decodeASCII, "ibm367": decodeASCII,
}

// canonicalCharset spells a charset name as iconv-lite looks it up:
// lower case, a final ":NNNN" dropped, only letters and digits.
func canonicalCharset(name string) string {
	name = strings.ToLower(name)
	if i := len(name) - 5; i >= 0 && name[i] == ':' && strings.Trim(name[i+1:], "0123456789") == "" {
		name = name[:i]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, name)
}

// A contentType is what the engine reads from a Content-Type header.
type contentType struct {
	media    string // lower case, no parameters: "application/json"
	charset  string // as sent; "" if none
	boundary string
}

// parseContentType reads a Content-Type. A header the strict parser
// refuses (a duplicate parameter, say) is read leniently, the last of a
// parameter winning, as Node's content-type package reads it: the charset
// that an app may decode is never missed.
func parseContentType(ct string) contentType {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil || mt != "" {
		return contentType{media: mt, charset: params["charset"], boundary: params["boundary"]}
	}
	media, rest, _ := strings.Cut(ct, ";")
	c := contentType{media: strings.ToLower(strings.TrimSpace(media))}
	for p := range strings.SplitSeq(rest, ";") {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "charset":
			c.charset = v
		case "boundary":
			c.boundary = v
		}
	}
	return c
}

// decodeCharset returns body, in charset (or, if charset is empty, in the
// encoding its byte order mark names, else UTF-8), as UTF-8, and whether
// the engine decodes that charset. For JSON (isJSON) without either, the
// pattern of zero bytes in its first four names the UTF, as RFC 4627
// says and some parsers read it.
func decodeCharset(charset string, body []byte, isJSON bool) ([]byte, bool) {
	if charset != "" {
		dec, ok := charsets[canonicalCharset(charset)]
		if !ok {
			return nil, false
		}
		return stripBOM(dec(body)), true
	}
	switch {
	case hasPrefix(body, 0xef, 0xbb, 0xbf):
		return body[3:], true
	case hasPrefix(body, 0xff, 0xfe, 0, 0), hasPrefix(body, 0, 0, 0xfe, 0xff):
		return stripBOM(decodeUTF32(body)), true
	case hasPrefix(body, 0xff, 0xfe), hasPrefix(body, 0xfe, 0xff):
		return stripBOM(decodeUTF16(body)), true
	case !isJSON || len(body) < 4:
		return body, true
	case body[0] == 0 && body[1] == 0 && body[2] == 0 && body[3] != 0:
		return decodeUTF32BE(body), true
	case body[0] != 0 && body[1] == 0 && body[2] == 0 && body[3] == 0:
		return decodeUTF32LE(body), true
	case body[0] == 0 && body[1] != 0 && body[2] == 0:
		return decodeUTF16BE(body), true
	case body[0] != 0 && body[1] == 0 && body[3] == 0:
		return decodeUTF16LE(body), true
	}
	return body, true
}

func hasPrefix(b []byte, p ...byte) bool { return len(b) >= len(p) && string(b[:len(p)]) == string(p) }

func stripBOM(b []byte) []byte {
	if hasPrefix(b, 0xef, 0xbb, 0xbf) {
		return b[3:]
	}
	return b
}

// decodeUTF8 keeps valid UTF-8 and gives U+FFFD for the rest, as Node's
// Buffer does.
func decodeUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
}

func decodeUTF16LE(b []byte) []byte { return decodeUTF16With(b, binary.LittleEndian) }
func decodeUTF16BE(b []byte) []byte { return decodeUTF16With(b, binary.BigEndian) }

// decodeUTF16With decodes UTF-16 in byte order o; an odd last byte is
// dropped, an unpaired surrogate is U+FFFD.
func decodeUTF16With(b []byte, o binary.ByteOrder) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = o.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(u)))
}

// decodeUTF16 is iconv-lite's "utf-16": the byte order its BOM names, else
// the one in which more of its first 100 units look like ASCII, else
// little endian.
func decodeUTF16(b []byte) []byte {
	switch {
	case hasPrefix(b, 0xff, 0xfe):
		return decodeUTF16LE(b)
	case hasPrefix(b, 0xfe, 0xff):
		return decodeUTF16BE(b)
	}
	le, be := 0, 0
	for i := 0; i+1 < len(b) && i < 200; i += 2 {
		switch {
		case b[i] == 0 && b[i+1] != 0:
			be++
		case b[i] != 0 && b[i+1] == 0:
			le++
		}
	}
	if be > le {
		return decodeUTF16BE(b)
	}
	return decodeUTF16LE(b)
}

func decodeUTF32LE(b []byte) []byte { return decodeUTF32With(b, binary.LittleEndian) }
func decodeUTF32BE(b []byte) []byte { return decodeUTF32With(b, binary.BigEndian) }

// decodeUTF32With decodes UTF-32 in byte order o; trailing bytes short of
// a unit are dropped, a value that is no scalar is U+FFFD.
func decodeUTF32With(b []byte, o binary.ByteOrder) []byte {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i+3 < len(b); i += 4 {
		out = utf8.AppendRune(out, rune(o.Uint32(b[i:]))) // invalid runes append U+FFFD
	}
	return out
}

// decodeUTF32 is iconv-lite's "utf-32": the byte order its BOM names, else
// the one in which more of its first 100 units are valid BMP characters,
// else little endian.
func decodeUTF32(b []byte) []byte {
	switch {
	case hasPrefix(b, 0xff, 0xfe, 0, 0):
		return decodeUTF32LE(b)
	case hasPrefix(b, 0, 0, 0xfe, 0xff):
		return decodeUTF32BE(b)
	}
	var badLE, badBE, bmpLE, bmpBE int
	for i := 0; i+3 < len(b) && i < 400; i += 4 {
		if b[i] != 0 || b[i+1] > 0x10 {
			badBE++
		}
		if b[i+3] != 0 || b[i+2] > 0x10 {
			badLE++
		}
		if b[i] == 0 && b[i+1] == 0 && (b[i+2] != 0 || b[i+3] != 0) {
			bmpBE++
		}
		if (b[i] != 0 || b[i+1] != 0) && b[i+2] == 0 && b[i+3] == 0 {
			bmpLE++
		}
	}
	if bmpBE-badBE > bmpLE-badLE {
		return decodeUTF32BE(b)
	}
	return decodeUTF32LE(b)
}

// decodeUTF7 decodes UTF-7 (RFC 2152) as iconv-lite does: "+" starts a
// run of modified base64 holding UTF-16BE, which any other byte ends (a
// "-" ending it is dropped); "+-" is "+". Bits short of a unit are dropped.
func decodeUTF7(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '+' {
			out = appendASCII(out, c)
			continue
		}
		j := i + 1
		for j < len(b) && isBase64(b[j]) {
			j++
		}
		if j == i+1 && j < len(b) && b[j] == '-' {
			out = append(out, '+')
		} else {
			out = append(out, decodeUTF16BE(unbase64(b[i+1:j]))...)
		}
		if j < len(b) && b[j] != '-' {
			j-- // the byte that ended the run is read again, directly
		}
		i = j
	}
	return out
}

func isBase64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

// unbase64 decodes unpadded base64, dropping bits short of a byte.
func unbase64(s []byte) []byte {
	if len(s)%4 == 1 {
		s = s[:len(s)-1]
	}
	out, _ := base64.RawStdEncoding.DecodeString(string(s))
	return out
}

// appendASCII appends a byte read as US-ASCII: U+FFFD if it is not.
func appendASCII(out []byte, c byte) []byte {
	if c < utf8.RuneSelf {
		return append(out, c)
	}
	return append(out, "\uFFFD"...)
}

func decodeASCII(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = appendASCII(out, c)
	}
	return out
}

func decodeLatin1(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

func decodeWindows1252(b []byte) []byte {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return decodeLatin1(b) // not reached: every byte maps
	}
	return out
}
