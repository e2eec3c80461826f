package blackbook

import (
	"net/http"
	"net/netip"
)

// Middleware returns a stage that refuses banned clients before anything
// else runs: clientIP decides who the client is (the gateway's trusted-proxy
// resolution), and deny answers a banned one. If deny is nil, [Deny]. The
// allow path costs a few map probes and allocates nothing.
func (k *Book) Middleware(clientIP func(*http.Request) netip.Addr, deny func(http.ResponseWriter, *http.Request, Ban)) func(http.Handler) http.Handler {
	if deny == nil {
		deny = Deny
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if b, ok := k.Banned(clientIP(r)); ok {
				deny(w, r, b)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Deny answers a banned client with 403 and a short body that says nothing
// of the rule or the ban's length.
func Deny(w http.ResponseWriter, r *http.Request, _ Ban) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte("403 Forbidden\n"))
}
