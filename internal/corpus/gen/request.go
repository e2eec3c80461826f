package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
)

// minModern is the size the modern corpus promises.
const minModern = 2000

// A request is one line of requests.jsonl, in the format corpus reads.
type request struct {
	ID      string            `json:"id"`
	Group   string            `json:"group"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body,omitempty"`
}

// encodeJSONL writes one request a line, as JSON.stringify would (no
// \u003c escapes); map keys come out sorted, so the output is stable.
func encodeJSONL(reqs []request) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, r := range reqs {
		if err := enc.Encode(r); err != nil {
			return nil, fmt.Errorf("encoding %s: %w", r.ID, err)
		}
	}
	return b.Bytes(), nil
}

// A gen makes requests of one group from a seeded random source.
type gen struct {
	r     *rand.Rand
	group string
	reqs  []request
}

// newGen returns a generator for group whose choices depend only on seed.
func newGen(group string, seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x6275_6c77_6172_6b)), group: group}
}

func (g *gen) intn(n int) int         { return g.r.IntN(n) }
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) chance(p float64) bool  { return g.r.Float64() < p }
func pick[T any](g *gen, xs []T) T    { return xs[g.r.IntN(len(xs))] }
func (g *gen) hex(n int) string       { return g.alphabet(n, "0123456789abcdef") }
func (g *gen) digits(n int) string    { return g.alphabet(n, "0123456789") }
func (g *gen) token(n int) string     { return g.alphabet(n, alnum) }
func (g *gen) b64url(n int) string    { return g.alphabet(n, alnum+"-_") }
func (g *gen) price() float64         { return float64(g.between(99, 49999)) / 100 }
func (g *gen) pickN(xs []string, n int) []string {
	out := make([]string, 0, n)
	for _, i := range g.r.Perm(len(xs))[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func (g *gen) alphabet(n int, chars string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.r.IntN(len(chars))]
	}
	return string(b)
}

// uuid returns a random version-4 UUID.
func (g *gen) uuid() string {
	h := g.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-" + string("89ab"[g.intn(4)]) + h[17:20] + "-" + h[20:]
}

// date returns a date in 2024 or 2025 as YYYY-MM-DD.
func (g *gen) date() string {
	return fmt.Sprintf("%d-%02d-%02d", g.between(2024, 2025), g.between(1, 12), g.between(1, 28))
}

// timestamp returns an ISO 8601 UTC time.
func (g *gen) timestamp() string {
	return fmt.Sprintf("%sT%02d:%02d:%02d.%03dZ", g.date(), g.intn(24), g.intn(60), g.intn(60), g.intn(1000))
}

// jwt returns a well-formed HS256 or RS256 JWT for a user, with a random
// signature.
func (g *gen) jwt(sub, email string) string {
	enc := base64.RawURLEncoding
	head := pick(g, []string{`{"alg":"HS256","typ":"JWT"}`, `{"alg":"RS256","typ":"JWT","kid":"` + g.hex(16) + `"}`})
	iat := 1717000000 + g.intn(30000000)
	claims := fmt.Sprintf(`{"sub":%q,"email":%q,"iat":%d,"exp":%d,"iss":"https://auth.example.com/","aud":"api.example.com","scope":%q}`,
		sub, email, iat, iat+3600, pick(g, scopes))
	sig := make([]byte, 32+32*g.intn(2))
	for i := range sig {
		sig[i] = byte(g.intn(256))
	}
	return enc.EncodeToString([]byte(head)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(sig)
}

// add appends a request; a body gets its Content-Length.
func (g *gen) add(method, path string, h map[string]string, body string) {
	if body != "" {
		h["Content-Length"] = strconv.Itoa(len(body))
	}
	g.reqs = append(g.reqs, request{
		ID:    fmt.Sprintf("%s-%04d", g.group, len(g.reqs)+1),
		Group: g.group, Method: method, Path: path, Headers: h, Body: body,
	})
}

// browser returns the headers of a page load from a browser, with the
// site's cookies.
func (g *gen) browser(referer string) map[string]string {
	h := map[string]string{
		"Host":                      host,
		"User-Agent":                pick(g, browserAgents),
		"Accept":                    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
		"Accept-Language":           pick(g, acceptLanguages),
		"Accept-Encoding":           "gzip, deflate, br, zstd",
		"Cookie":                    g.cookies(),
		"Sec-Fetch-Dest":            "document",
		"Sec-Fetch-Mode":            "navigate",
		"Sec-Fetch-Site":            "same-origin",
		"Upgrade-Insecure-Requests": "1",
	}
	if referer != "" {
		h["Referer"] = referer
	} else {
		h["Sec-Fetch-Site"] = "none"
	}
	return h
}

// api returns the headers of a fetch from the site's single-page app or
// a mobile client to its JSON API, signed in with a JWT.
func (g *gen) api(contentType string) map[string]string {
	u := pick(g, people)
	h := map[string]string{
		"Host":            host,
		"User-Agent":      pick(g, apiAgents),
		"Accept":          "application/json",
		"Accept-Language": pick(g, acceptLanguages),
		"Accept-Encoding": "gzip, deflate, br",
		"Authorization":   "Bearer " + g.jwt("usr_"+g.token(12), u.email()),
		"X-Request-Id":    g.uuid(),
	}
	if g.chance(0.6) {
		h["Origin"] = origin
		h["Referer"] = origin + pick(g, appPages)
		h["Sec-Fetch-Mode"] = "cors"
		h["Sec-Fetch-Site"] = "same-origin"
	}
	if g.chance(0.3) {
		h["Traceparent"] = "00-" + g.hex(32) + "-" + g.hex(16) + "-01"
	}
	if contentType != "" {
		h["Content-Type"] = contentType
	}
	return h
}

// cookies returns a Cookie header: a session, and sometimes consent and
// analytics cookies.
func (g *gen) cookies() string {
	c := []string{"sid=" + g.b64url(32)}
	if g.chance(0.5) {
		c = append(c, "cookie_consent="+url.QueryEscape(pick(g, consentValues)))
	}
	if g.chance(0.5) {
		c = append(c, fmt.Sprintf("_ga=GA1.1.%s.%d", g.digits(10), 1700000000+g.intn(30000000)))
	}
	if g.chance(0.3) {
		c = append(c, "theme="+pick(g, []string{"dark", "light", "system"}))
	}
	return strings.Join(c, "; ")
}

// jsonBody encodes v as a browser's JSON.stringify would.
func jsonBody(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices and strings are encoded: a bug here
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// form encodes key, value pairs in order, as a browser submits a form.
func form(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[i]) + "=" + url.QueryEscape(kv[i+1]))
	}
	return b.String()
}

// withQuery returns path with the pairs as its query string, if any.
func withQuery(path string, kv ...string) string {
	if q := form(kv...); q != "" {
		return path + "?" + q
	}
	return path
}

// obj is a JSON object whose keys come out in the order given, as an
// application's JSON.stringify writes them.
type obj []any // key, value, key, value, …

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i+1 < len(o); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(o[i])
		if err != nil {
			return nil, err
		}
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(o[i+1]); err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(bytes.TrimSuffix(v.Bytes(), []byte("\n")))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
