package inspect

import "strings"

// A kind is the place of a request an input comes from.
type kind uint8

const (
	kindPath kind = iota
	kindQuery
	kindForm
	kindJSON
	kindMultipart
	kindFilename // a multipart file name
	kindXML
	kindCookie
	kindHeader
	kindBody // a body no parser understood, as one value
	kindRaw  // where is the name itself
)

var kindNames = [...]string{"path", "query", "form", "json", "multipart", "multipart-filename", "xml", "cookie", "header", "body", ""}

// An input is one value or key of a request, decoded.
type input struct {
	kind   kind
	name   string   // parameter, header or cookie name; JSON path
	key    bool     // the input is a key (parameter name), not a value
	base64 bool     // the input was found base64-encoded inside another
	text   bool     // the prose of free text, its quoted code removed (see freetext.go)
	noXSS  bool     // the XSS rules read another view of this input
	raw    string   // as the application sees it
	dec    string   // fully decoded (see [Normalize]), case kept
	low    string   // dec in lower case
	cls    uint32   // character classes present in low
	hints  hintMask // patterns whose hints occur in low
	unread bool     // hints not read yet (see [scan.readHints])

	// verbatim: text whose prose is the value's own text, nothing removed
	// as code and nothing decoded.
	verbatim bool
}

// maxWhereName bounds the part of an input's name a finding's Where
// holds. A name may be far longer than the input (a JSON path 64 keys
// deep), and each finding builds it: names are cut to this, marked "…".
const maxWhereName = 256

// where names the input for a finding.
func (in *input) where(s *scan) string {
	name := in.name
	if len(name) > maxWhereName {
		name = name[:maxWhereName] + "…"
	}
	switch in.kind {
	case kindRaw:
		return name
	case kindPath, kindBody:
		if name == "" {
			return kindNames[in.kind]
		}
	}
	return kindNames[in.kind] + ":" + name
}

// secret reports whether the input's value must not be quoted.
func (in *input) secret() bool {
	switch in.kind {
	case kindCookie:
		return !in.key
	case kindHeader:
		switch in.name {
		case "authorization", "proxy-authorization", "x-api-key", "x-auth-token", "x-csrf-token", "x-xsrf-token":
			return true
		}
	}
	if in.key {
		return false
	}
	return secretName(in.name)
}

// secretName reports whether a field name says it holds a secret.
func secretName(name string) bool {
	if i := strings.LastIndexAny(name, ".[:"); i >= 0 {
		name = name[i+1:]
	}
	n := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

var secretWords = []string{"pass", "pwd", "token", "secret", "auth", "apikey", "api_key", "api-key",
	"credential", "session", "otp", "pin", "cvv", "cvc", "card", "ssn", "private", "signature", "jwt", "cookie"}

// Character classes of an input, to skip detectors that cannot match.
const (
	cQuote     uint32 = 1 << iota // ' " `
	cLT                           // <
	cGT                           // >
	cSlash                        // /
	cBackslash                    // \
	cDot                          // .
	cDollar                       // $
	cBrace                        // { }
	cParen                        // ( )
	cSemi                         // ;
	cPipe                         // |
	cAmp                          // &
	cEq                           // =
	cHash                         // #
	cDash                         // -
	cColon                        // :
	cSpace                        // space, tab
	cDigit                        // 0-9
	cAlpha                        // a-z
	cHigh                         // non-ASCII
	cNewline                      // \r \n
	cCtl                          // other control characters
	cPercent                      // %
	cAt                           // @
	cComma                        // ,
	cStar                         // *
	cBracket                      // [ ]
	cExcl                         // !
	cTilde                        // ~
	cQuestion                     // ?
	cCaret                        // ^
	cPlus                         // +
)

var classOf = func() (t [256]uint32) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			t[c] = cAlpha
		case c >= '0' && c <= '9':
			t[c] = cDigit
		case c >= 0x80:
			t[c] = cHigh
		case c == '\r' || c == '\n':
			t[c] = cNewline
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			t[c] = cSpace
		case c < 0x20 || c == 0x7f:
			t[c] = cCtl
		}
	}
	for _, p := range []struct {
		chars string
		cls   uint32
	}{
		{"'\"`", cQuote}, {"<", cLT}, {">", cGT}, {"/", cSlash}, {`\`, cBackslash}, {".", cDot},
		{"$", cDollar}, {"{}", cBrace}, {"()", cParen}, {";", cSemi}, {"|", cPipe}, {"&", cAmp},
		{"=", cEq}, {"#", cHash}, {"-", cDash}, {":", cColon}, {"%", cPercent}, {"@", cAt},
		{",", cComma}, {"*", cStar}, {"[]", cBracket}, {"!", cExcl}, {"~", cTilde}, {"?", cQuestion},
		{"^", cCaret}, {"+", cPlus},
	} {
		for i := 0; i < len(p.chars); i++ {
			t[p.chars[i]] = p.cls
		}
	}
	return t
}()

func classes(v string) uint32 {
	var m uint32
	for i := 0; i < len(v); i++ {
		m |= classOf[v[i]]
	}
	return m
}

// plain is the classes of inputs made of words only.
const plain = cAlpha | cDigit | cSpace | cDash | cHigh

// has reports whether the input has any of the classes in m.
func (in *input) has(m uint32) bool { return in.cls&m != 0 }
