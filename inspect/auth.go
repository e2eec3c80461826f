package inspect

import (
	"encoding/base64"
	"strings"
	"unsafe"
)

var ruleJWTNone = newRule("bw-auth-001", Protocol, 5, `JSON Web Token with "alg": "none" (signature check skipped)`)

// authorization inspects the credentials of an Authorization header, which
// applications decode and then use in queries: Basic's user name and
// password (the password is never quoted, see [input.secret]), and a JSON
// Web Token's header and claims as JSON (alg none, SQL in kid or a claim).
// Another token is inspected as a value. name is the header's name in
// lower case.
func (s *scan) authorization(name, v string) {
	scheme, cred, _ := strings.Cut(strings.TrimSpace(v), " ")
	cred = strings.TrimSpace(cred)
	if cred == "" || s.stopped {
		return
	}
	names := &authNames[0]
	if name != "authorization" {
		names = &authNames[1]
	}
	if strings.EqualFold(scheme, "basic") {
		if dec, ok := s.base64Decode(base64.StdEncoding, cred); ok {
			user, pass, _ := strings.Cut(dec, ":")
			s.value(kindHeader, names.user, user)
			s.value(kindHeader, names.password, pass)
			return
		}
		s.value(kindHeader, name, cred)
		return
	}
	// Bearer, Token (RealWorld), JWT and others carry the token alone.
	if s.jwt(names, cred) {
		return
	}
	s.value(kindHeader, name, cred)
}

// authNames are the names of the parts of Authorization and
// Proxy-Authorization, made once.
var authNames = [2]struct{ user, password, alg, header, payload string }{
	{"authorization.user", "authorization.password", "authorization.jwt.header.alg", "authorization.jwt.header", "authorization.jwt.payload"},
	{"proxy-authorization.user", "proxy-authorization.password", "proxy-authorization.jwt.header.alg", "proxy-authorization.jwt.header", "proxy-authorization.jwt.payload"},
}

// jwt inspects tok if it is a JSON Web Token (header.payload.signature,
// base64url) and reports whether it was.
func (s *scan) jwt(names *struct{ user, password, alg, header, payload string }, tok string) bool {
	h, rest, ok := strings.Cut(tok, ".")
	payload, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || !strings.HasPrefix(h, "eyJ") {
		return false
	}
	header, ok := s.base64Decode(base64.RawURLEncoding, h)
	if !ok || !strings.HasPrefix(header, "{") {
		return false
	}
	if alg, ok := jsonString(header, "alg"); ok && strings.EqualFold(strings.TrimSpace(alg), "none") {
		in := input{kind: kindHeader, name: names.alg}
		s.report(ruleJWTNone, &in, alg)
	}
	if !s.jsonAs(kindHeader, names.header, stringBytes(header)) && !s.stopped {
		s.value(kindHeader, names.header, header)
	}
	if claims, ok := s.base64Decode(base64.RawURLEncoding, payload); ok && !s.stopped {
		if !s.jsonAs(kindHeader, names.payload, stringBytes(claims)) && !s.stopped {
			s.value(kindHeader, names.payload, claims)
		}
	}
	return true
}

// base64Decode decodes v with enc, padded or not, into the scan's arena.
func (s *scan) base64Decode(enc *base64.Encoding, v string) (string, bool) {
	if enc == base64.RawURLEncoding || enc == base64.RawStdEncoding {
		v = strings.TrimRight(v, "=")
	} else if len(v)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
		v = strings.TrimRight(v, "=")
	}
	start := len(s.buf)
	b, err := enc.AppendDecode(s.buf, stringBytes(v))
	if err != nil {
		s.buf = s.buf[:start]
		return "", false
	}
	s.buf = b
	return s.str(start), true
}

// jsonString returns the string value of the top-level member key of the
// JSON object doc, found by a scan for "key" followed by a colon: enough
// for a token header's alg, which holds no nested objects.
func jsonString(doc, key string) (string, bool) {
	for i := 0; ; {
		j := strings.Index(doc[i:], `"`+key+`"`)
		if j < 0 {
			return "", false
		}
		rest := strings.TrimLeft(doc[i+j+len(key)+2:], " \t\r\n")
		i += j + len(key) + 2
		if !strings.HasPrefix(rest, ":") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if !strings.HasPrefix(rest, `"`) {
			return "", false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return "", false
		}
		return rest[1 : 1+end], true
	}
}

// stringBytes returns the bytes of v without copying, for reading only.
func stringBytes(v string) []byte { return unsafe.Slice(unsafe.StringData(v), len(v)) }
