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
	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// newProxy returns the reverse proxy to the upstream. The request-target
// is forwarded exactly as the client sent it (after the upstream's base
// path), the bytes inspection saw. ReverseProxy drops X-Forwarded-For,
// -Host, -Proto and Forwarded before Rewrite runs; Rewrite sets them from
// what the gateway decided and, unless the peer is a trusted proxy, drops
// the other headers apps read as the client's address, scheme or URL
// ([forwardingHeaders]), so a client cannot spoof them.
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
			// SetURL re-escapes the path, and ReverseProxy has already
			// dropped query parameters with ';' (cleanQueryParams): both
			// are put back as sent.
			if ri.target.path != "" {
				ri.target.setTarget(pr.Out.URL, target)
			} else {
				pr.Out.URL.RawQuery = joinQuery(target.RawQuery, pr.In.URL.RawQuery)
			}
			pr.Out.Host = pr.In.Host // the app sees the name the client used
			h := pr.Out.Header
			if !g.resolver.Trusted(clientip.Peer(pr.In)) {
				for _, k := range forwardingHeaders {
					delete(h, k)
				}
			}
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
		Transport:      rt,
		ModifyResponse: g.markUpstream,
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

// forwardingHeaders are headers that proxies, CDNs and load balancers
// set to tell the app the client's address, scheme, port, host or
// original URL, in canonical form. Apps and frameworks believe them, so
// they reach the app only from a trusted proxy. (Method overrides such as
// X-HTTP-Method-Override are the app's own protocol: they pass, and are
// inspected like every header.)
var forwardingHeaders = []string{
	// the client's address
	"True-Client-Ip", "Cf-Connecting-Ip", "Cf-Connecting-Ipv6", "X-Client-Ip", "Client-Ip",
	"X-Cluster-Client-Ip", "Fastly-Client-Ip", "X-Original-Forwarded-For", "X-Originating-Ip",
	"X-Remote-Ip", "X-Remote-Addr", "X-Proxyuser-Ip", "X-Envoy-External-Address",
	"X-Azure-Clientip", "X-Azure-Socketip", "X-Appengine-User-Ip", "X-Forwarded",
	// the scheme and port
	"X-Forwarded-Port", "X-Forwarded-Scheme", "X-Forwarded-Ssl", "X-Forwarded-Protocol",
	"Front-End-Https", "X-Url-Scheme", "X-Arr-Ssl", "Cf-Visitor",
	// the host and the original URL
	"X-Forwarded-Server", "X-Original-Host", "X-Host", "X-Forwarded-Prefix", "X-Forwarded-Uri",
	"X-Forwarded-Path", "X-Original-Url", "X-Original-Uri", "X-Rewrite-Url", "X-Envoy-Original-Path",
	// the client's certificate, which apps behind TLS-terminating proxies trust as identity
	"X-Forwarded-Client-Cert", "X-Client-Cert", "X-Ssl-Client-Cert", "Ssl-Client-Cert",
	"X-Ssl-Client-Verify", "X-Ssl-Client-S-Dn", "X-Ssl-Client-Dn",
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
	http.StatusBadRequest:            "The request is malformed.",
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
