package limit

import (
	"net/http"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// Middleware returns middleware that checks each request with [Limiter.Allow]
// and answers a refused one with 429 Too Many Requests, a Retry-After header
// in whole seconds (rounded up, at least 1) and a short plain-text body.
// [Options.ClientIP] tells the client's address and [Options.OnLimit] hears
// of each refused request. On the allowed path it does not allocate (with a
// local store). A disabled Limiter's middleware is next itself.
func (l *Limiter) Middleware() func(http.Handler) http.Handler {
	clientIP, onLimit := l.clientIP, l.onLimit
	if clientIP == nil {
		clientIP = clientip.Peer
	}
	return func(next http.Handler) http.Handler {
		if l.disabled {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d := l.allow(r.Context(), clientIP(r), r.Method, r.URL.Path)
			if d.Allowed {
				next.ServeHTTP(w, r)
				return
			}
			if onLimit != nil {
				onLimit(r, d)
			}
			secs := RetryAfterSeconds(d.RetryAfter)
			h := w.Header()
			h.Set("Retry-After", strconv.FormatInt(secs, 10))
			h.Set("Content-Type", "text/plain; charset=utf-8")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte("Too Many Requests: retry in " + strconv.FormatInt(secs, 10) + " s.\n"))
		})
	}
}

// RetryAfterSeconds is d in whole seconds for a Retry-After header: rounded
// up, and at least 1.
func RetryAfterSeconds(d time.Duration) int64 {
	return max(1, int64((d+time.Second-1)/time.Second))
}
