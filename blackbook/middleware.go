package blackbook

import (
	"net/http"
	"net/netip"

	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// MiddlewareOptions say who the client is and how a banned one is answered.
// They belong to the middleware, not to the [Book]: one Book serves the
// gateway and the commands that serve no HTTP (bulwark bans, watch). The
// zero value is usable.
type MiddlewareOptions struct {
	// ClientIP decides the client's address (from trusted proxies, say).
	// If nil, the socket peer.
	ClientIP func(*http.Request) netip.Addr
	// Deny answers a banned client. If nil, [Deny].
	Deny func(http.ResponseWriter, *http.Request, Ban)
}

// Middleware returns a stage that refuses banned clients before anything
// else runs. The allow path costs a few map probes and allocates nothing.
func (k *Book) Middleware(o MiddlewareOptions) func(http.Handler) http.Handler {
	clientIP, deny := o.ClientIP, o.Deny
	if clientIP == nil {
		clientIP = clientip.Peer
	}
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
