package guard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/bulwark-sec/bulwark/event"
)

// newProxy returns the reverse proxy to the upstream. Inbound forwarding
// headers are dropped by ReverseProxy before Rewrite runs; Rewrite then
// sets them from what the gateway decided, so a client cannot spoof them.
func (g *Gateway) newProxy(target *url.URL) *httputil.ReverseProxy {
	dialer := &net.Dialer{Timeout: g.cfg.Proxy.DialTimeout, KeepAlive: 30e9}
	transport := &http.Transport{
		Proxy:                  nil, // never an environment proxy between us and the app
		DialContext:            dialer.DialContext,
		MaxIdleConns:           g.cfg.Proxy.MaxIdleConns,
		MaxIdleConnsPerHost:    g.cfg.Proxy.MaxIdleConns,
		IdleConnTimeout:        90e9,
		ResponseHeaderTimeout:  g.cfg.Proxy.ResponseHeaderTimeout,
		ExpectContinueTimeout:  1e9,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 1 << 20,
	}
	var rt http.RoundTripper = transport
	if g.app != nil {
		rt = &retryRefused{next: transport, app: g.app}
	}
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			ri := infoFrom(pr.In.Context())
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host // the app sees the name the client used
			h := pr.Out.Header
			h.Set("X-Forwarded-For", ri.clientIP.String())
			h.Set("X-Real-Ip", ri.clientIP.String())
			h.Set("X-Forwarded-Host", pr.In.Host)
			if ri.https {
				h.Set("X-Forwarded-Proto", "https")
			} else {
				h.Set("X-Forwarded-Proto", "http")
			}
			h.Set(RequestHeader, ri.id)
		},
		Transport: rt,
		// FlushInterval stays 0: ReverseProxy already streams event
		// streams and responses of unknown length as the app writes them;
		// flushing every write (-1) costs a write syscall per response.
		ErrorHandler: g.proxyError,
		ErrorLog:     nil,
		// Without a pool, every response copies through a new 32 KiB
		// buffer: most of the gateway's allocation under load.
		BufferPool: copyBuffers{},
	}
}

// copyBuffers recycles ReverseProxy's copy buffers.
type copyBuffers struct{}

var copyBufferPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (copyBuffers) Get() []byte  { return *copyBufferPool.Get().(*[]byte) }
func (copyBuffers) Put(b []byte) { copyBufferPool.Put(&b) }

// proxyError answers a request the upstream could not: 413 for a body over
// the limit, 504 for an upstream timeout, 502 otherwise, each naming the
// request id so a user's report can be matched to the event.
func (g *Gateway) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	ri := infoFrom(r.Context())
	var tooLarge *http.MaxBytesError
	var netErr net.Error
	status, kind := http.StatusBadGateway, "unavailable"
	switch {
	case errors.As(err, &tooLarge):
		status, kind = http.StatusRequestEntityTooLarge, "body_too_large"
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away; nobody is left to answer.
		g.metrics.upstreamErrors.WithLabelValues("canceled").Inc()
		return
	case errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		status, kind = http.StatusGatewayTimeout, "timeout"
	}
	g.metrics.upstreamErrors.WithLabelValues(kind).Inc()
	sev := event.SeverityMedium
	if status == http.StatusRequestEntityTooLarge {
		sev = event.SeverityLow
	}
	g.publish(r, event.Event{
		Category: event.CategoryWeb, Type: "error", Action: "upstream-" + strings.ReplaceAll(kind, "_", "-"),
		Outcome: event.OutcomeFailure, Severity: sev, Status: status,
		Message: fmt.Sprintf("upstream error: %v", err),
	})
	writeError(w, status, ri.id, 0)
}

var errorText = map[int]string{
	http.StatusRequestEntityTooLarge: "Request body too large.",
	http.StatusBadGateway:            "The application is not reachable right now.",
	http.StatusGatewayTimeout:        "The application took too long to answer.",
	http.StatusServiceUnavailable:    "The application is restarting; please try again shortly.",
}

// writeError writes a short plain-text error naming the request id, with
// Retry-After when retryAfter (seconds) is positive.
func writeError(w http.ResponseWriter, status int, id string, retryAfter int) {
	h := w.Header()
	for k := range h {
		delete(h, k) // nothing of a failed upstream response leaks through
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set(RequestHeader, id)
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "%d %s\n%s\nRequest id: %s\n", status, http.StatusText(status), errorText[status], id)
}
