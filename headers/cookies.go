package headers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// CookieConfig configures [NewCookies], which hardens the cookies the
// application sets. Its zero value adds HttpOnly, SameSite=Lax, and Secure
// on HTTPS.
type CookieConfig struct {
	// Disable leaves cookies as the application set them. If false, they are
	// hardened.
	Disable bool `yaml:"disable,omitempty"`
	// HTTPOnly adds HttpOnly, hiding cookies from JavaScript, except those
	// named in Exclude. If nil, true.
	HTTPOnly *bool `yaml:"httpOnly,omitempty"`
	// SameSite is the SameSite attribute added to cookies that have none:
	// lax, strict, none, or off to add none. If empty, lax. A cookie with
	// SameSite=None also gets Secure, unless secure is never.
	SameSite string `yaml:"sameSite,omitempty"`
	// Secure says when to add Secure: auto (when the request came over
	// HTTPS, see [WithHTTPS]), always, or never. If empty, auto.
	Secure string `yaml:"secure,omitempty"`
	// Exclude names cookies that JavaScript must read, such as XSRF-TOKEN;
	// they do not get HttpOnly. Names are case-sensitive. If nil, none.
	Exclude []string `yaml:"exclude,omitempty"`
}

// Validate reports the mistakes in c. Each error has a Field method naming
// the YAML key it is about, relative to c.
func (c CookieConfig) Validate() error {
	_, err := c.compile()
	return err
}

type secureMode int

const (
	secureAuto secureMode = iota
	secureAlways
	secureNever
)

// cookieRules is a validated [CookieConfig].
type cookieRules struct {
	httpOnly bool
	sameSite string // "Lax", "Strict", "None", or "" to add none
	secure   secureMode
	exclude  []string
}

func (c CookieConfig) compile() (*cookieRules, error) {
	b := &builder{}
	r := &cookieRules{httpOnly: c.HTTPOnly == nil || *c.HTTPOnly, exclude: c.Exclude}
	switch strings.ToLower(c.SameSite) {
	case "", "lax":
		r.sameSite = "Lax"
	case "strict":
		r.sameSite = "Strict"
	case "none":
		r.sameSite = "None"
	case "off":
	default:
		b.fail("sameSite", "%q is not one of lax, strict, none, off", c.SameSite)
	}
	switch strings.ToLower(c.Secure) {
	case "", "auto":
	case "always":
		r.secure = secureAlways
	case "never":
		r.secure = secureNever
	default:
		b.fail("secure", "%q is not one of auto, always, never", c.Secure)
	}
	if r.sameSite == "None" && r.secure == secureNever {
		b.fail("sameSite", "none needs Secure, which secure: never forbids; browsers would drop the cookies")
	}
	for _, name := range c.Exclude {
		if name == "" || strings.ContainsAny(name, "=; \t\r\n,\"") {
			b.fail("exclude", "%q is not a cookie name", name)
		}
	}
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	return r, nil
}

// NewCookies returns middleware that hardens every Set-Cookie header of the
// response: it adds HttpOnly, SameSite and Secure where the cookie lacks
// them, per c, and changes nothing else. It never logs cookies. It is safe
// for concurrent use.
func NewCookies(c CookieConfig) (func(http.Handler) http.Handler, error) {
	r, err := c.compile()
	if err != nil {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		if c.Disable {
			return next
		}
		return &cookieHandler{r: r, next: next}
	}, nil
}

type httpsKey struct{}

// WithHTTPS marks a request's context as having come over HTTPS, for a
// gateway behind a proxy that terminates TLS. Requests with a non-nil TLS
// field count as HTTPS without it.
func WithHTTPS(ctx context.Context) context.Context {
	return context.WithValue(ctx, httpsKey{}, true)
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Context().Value(httpsKey{}) != nil
}

type cookieHandler struct {
	r    *cookieRules
	next http.Handler
}

func (h *cookieHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := getWriter(w, h)
	rw.https = isHTTPS(r)
	h.next.ServeHTTP(rw, r)
	rw.finish()
	putWriter(rw)
}

func (h *cookieHandler) before(hdr http.Header, w *writer) {
	cookies := hdr["Set-Cookie"]
	changed := false
	for i, c := range cookies {
		hc := h.r.harden(c, w.https)
		if hc == c {
			continue
		}
		if !changed { // the slice may be shared with the application
			cookies, changed = slices.Clone(cookies), true
			hdr["Set-Cookie"] = cookies
		}
		cookies[i] = hc
	}
}

// harden returns the Set-Cookie value line with the missing attributes
// added. Attribute names are matched without regard to case, and an
// attribute present in any form is never added again.
func (r *cookieRules) harden(line string, https bool) string {
	pair, attrs, _ := strings.Cut(line, ";")
	if strings.TrimSpace(pair) == "" {
		return line // browsers ignore it
	}
	name, _, ok := strings.Cut(pair, "=")
	if !ok {
		name = "" // a nameless cookie
	}
	name = strings.TrimSpace(name)
	var httpOnly, secure, sameSite, sameSiteNone bool
	for attrs != "" {
		var attr string
		attr, attrs, _ = strings.Cut(attrs, ";")
		k, v, _ := strings.Cut(attr, "=")
		switch k = strings.TrimSpace(k); {
		case strings.EqualFold(k, "HttpOnly"):
			httpOnly = true
		case strings.EqualFold(k, "Secure"):
			secure = true
		case strings.EqualFold(k, "SameSite"):
			sameSite = true
			sameSiteNone = strings.EqualFold(strings.TrimSpace(v), "None")
		}
	}
	addHTTPOnly := r.httpOnly && !httpOnly && !slices.Contains(r.exclude, name)
	addSameSite := !sameSite && r.sameSite != ""
	if addSameSite {
		sameSiteNone = r.sameSite == "None"
	}
	addSecure := !secure && r.secure != secureNever && (r.secure == secureAlways || https || sameSiteNone)
	if !addHTTPOnly && !addSameSite && !addSecure {
		return line
	}
	line = strings.TrimRight(line, "; \t")
	var b strings.Builder
	b.Grow(len(line) + len("; HttpOnly; SameSite=Strict; Secure"))
	b.WriteString(line)
	if addHTTPOnly {
		b.WriteString("; HttpOnly")
	}
	if addSameSite {
		b.WriteString("; SameSite=")
		b.WriteString(r.sameSite)
	}
	if addSecure {
		b.WriteString("; Secure")
	}
	return b.String()
}
