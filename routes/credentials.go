package routes

import (
	"net/http"
	"strings"
)

// Credentials names the cookies and headers that carry credentials. The
// Authorization header always does.
type Credentials struct {
	// Cookies are session cookie names. If empty, [DefaultCredentialCookies].
	Cookies []string `yaml:"cookies"`
	// Headers are header names such as X-Api-Key. If empty, none.
	Headers []string `yaml:"headers"`
}

// DefaultCredentialCookies are the session cookies of the common web
// frameworks (express-session, Rails, Django, PHP, Laravel…) and the usual
// names of token cookies.
var DefaultCredentialCookies = []string{
	"connect.sid", "sid", "session", "sessionid", "session_id", "PHPSESSID", "JSESSIONID",
	"laravel_session", "_session_id", "token", "jwt", "access_token", "auth",
}

// In reports whether r carries credentials: Authorization, one of the
// headers, one of the cookies, or the session cookie named (the account
// watch's, if known).
func (c Credentials) In(r *http.Request, session string) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	for _, h := range c.Headers {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	if r.Header.Get("Cookie") == "" {
		return false
	}
	for _, ck := range r.Cookies() { // one parse of the header
		if ck.Value == "" {
			continue
		}
		if ck.Name == session {
			return true
		}
		for _, name := range c.Cookies {
			if ck.Name == name {
				return true
			}
		}
	}
	return false
}

// MediaType is a Content-Type without its parameters, lower case.
func MediaType(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(strings.TrimSpace(v))
}
