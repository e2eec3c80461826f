package guard

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// A target is the request-target split once, as the client sent it. The
// inspection stage reads r.RequestURI; the proxy forwards path and query
// from here, byte for byte, so what was inspected is what the app parses.
type target struct {
	path     string // escaped as sent: "/a%2Fb", or "*" for OPTIONS *
	query    string // as sent, without the '?'
	hasQuery bool   // a '?' was sent, even if nothing follows it
}

var (
	errFragment     = errors.New("a request-target must not contain '#'")
	errTargetForm   = errors.New("the request-target is not a path, an absolute URL or *")
	errTargetEscape = errors.New("the request-target's path cannot be forwarded as sent")
)

// parseTarget splits r.RequestURI, or refuses it. A '#' is refused: it
// is not valid in HTTP (RFC 9112 §3.2), and the gateway, a browser-style
// parser and the app would each read it differently.
func parseTarget(r *http.Request) (target, error) {
	uri := r.RequestURI
	if uri == "" { // a request built in-process, not read from a client
		uri = r.URL.RequestURI()
	}
	if strings.IndexByte(uri, '#') >= 0 {
		return target{}, errFragment
	}
	if uri == "*" {
		return target{path: "*"}, nil
	}
	if !strings.HasPrefix(uri, "/") {
		// absolute-form, "http://host/p?q": the path starts after the
		// authority, where net/http's own parse put r.URL.Host.
		i := strings.Index(uri, "://")
		if i <= 0 || r.URL.Host == "" {
			return target{}, errTargetForm
		}
		rest := uri[i+3:]
		j := strings.IndexAny(rest, "/?")
		if j < 0 {
			return target{path: "/"}, nil
		}
		uri = rest[j:]
		if uri[0] == '?' {
			uri = "/" + uri
		}
	}
	t := target{}
	t.path, t.query, t.hasQuery = strings.Cut(uri, "?")
	if strings.HasPrefix(t.path, "//") && !roundTrips(t.path) {
		// Only url.URL's own escaping can write a path starting with
		// "//" (an opaque one would become an absolute URL), and it would
		// change this one.
		return target{}, errTargetEscape
	}
	return t, nil
}

// roundTrips reports whether url.URL writes the escaped path p unchanged.
func roundTrips(p string) bool {
	dec, err := url.PathUnescape(p)
	if err != nil {
		return false
	}
	u := url.URL{Path: dec, RawPath: p}
	return u.EscapedPath() == p
}

// setTarget makes out's request-target base + t, exactly: base is the
// upstream's path ("" or "/app"), t what the client sent.
func (t target) setTarget(out *url.URL, base *url.URL) {
	p := t.path
	if p != "*" {
		p = strings.TrimSuffix(base.EscapedPath(), "/") + p
	}
	out.RawQuery = t.query
	out.ForceQuery = t.hasQuery && t.query == ""
	if base.RawQuery != "" {
		out.RawQuery = joinQuery(base.RawQuery, t.query)
		out.ForceQuery = false
	}
	if strings.HasPrefix(p, "//") {
		// parseTarget checked that url.URL writes it unchanged.
		dec, _ := url.PathUnescape(p)
		out.Opaque, out.Path, out.RawPath = "", dec, p
		return
	}
	// An opaque URL is written as it is: url.URL's escaping would
	// re-encode what the client sent ("/é", "/a%7e"→ kept, "/a|b"→"/a%7Cb").
	out.Opaque, out.RawPath = p, ""
	out.Path, _ = url.PathUnescape(p)
}

func joinQuery(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "&" + b
}
