package headers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
)

// NonceHeader is the request header that carries the response's CSP nonce
// to the application when contentSecurityPolicy.nonce is on. [New]'s
// middleware always removes a value sent by the client.
const NonceHeader = "X-CSP-Nonce"

var nonceHeaderKey = http.CanonicalHeaderKey(NonceHeader)

type nonceKey struct{}

// NonceFromContext returns the CSP nonce of the response being served, for
// use in <script nonce="..."> and <style nonce="...">, or "" if the policy
// has no nonce.
func NonceFromContext(ctx context.Context) string {
	n, _ := ctx.Value(nonceKey{}).(string)
	return n
}

// newNonce returns 128 random bits in unpadded base64url, which needs no
// escaping in HTML attributes and is valid in a CSP nonce source.
func newNonce() string {
	var raw [16]byte
	rand.Read(raw[:]) // never fails (crypto/rand since Go 1.24)
	var buf [22]byte
	base64.RawURLEncoding.Encode(buf[:], raw[:])
	return string(buf[:])
}

// A nonceCSP is a policy with places for a per-response nonce.
type nonceCSP struct {
	key      string   // canonical header name
	override bool     // replace the application's policy
	parts    []string // the policy's text; the nonce goes between each two
	size     int      // total length of parts
}

// nonceDirectives are the directives that get the nonce.
var nonceDirectives = []string{"script-src", "style-src", "script-src-elem", "style-src-elem"}

// newNonceCSP prepares list for a nonce, adding script-src and style-src
// from default-src where absent.
func newNonceCSP(name string, list []directive, override bool) *nonceCSP {
	list = slices.Clone(list)
	if i := slices.IndexFunc(list, func(d directive) bool { return d.name == "default-src" }); i >= 0 {
		def := list[i].values
		for _, name := range nonceDirectives[:2] {
			if !slices.ContainsFunc(list, func(d directive) bool { return d.name == name }) {
				list = append(list, directive{name, slices.Clone(def)})
			}
		}
	}
	t := &nonceCSP{key: http.CanonicalHeaderKey(name), override: override}
	var b strings.Builder
	for i, d := range list {
		if i > 0 {
			b.WriteByte(';')
		}
		writeDirective(&b, d)
		if v := strings.Join(d.values, " "); slices.Contains(nonceDirectives, d.name) && v != "" && v != "'none'" {
			b.WriteString(" 'nonce-")
			t.parts = append(t.parts, b.String())
			b.Reset()
			b.WriteByte('\'')
		}
	}
	t.parts = append(t.parts, b.String())
	for _, p := range t.parts {
		t.size += len(p)
	}
	return t
}

// render returns the policy with nonce in its places.
func (t *nonceCSP) render(nonce string) string {
	if len(t.parts) == 1 {
		return t.parts[0]
	}
	var b strings.Builder
	b.Grow(t.size + (len(t.parts)-1)*len(nonce))
	for i, p := range t.parts {
		if i > 0 {
			b.WriteString(nonce)
		}
		b.WriteString(p)
	}
	return b.String()
}
