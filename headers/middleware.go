package headers

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync"
)

// New returns middleware that sets the headers cfg chooses on every
// response, or every mistake in cfg (see [Config.Validate]).
//
// Headers are added when the wrapped handler writes its response header
// (or when it returns without writing). A header the handler set itself is
// kept, as when an Express app sets a header after Helmet ran, unless the
// section says override: true. X-Powered-By is removed unless xPoweredBy is
// disabled. All header values are computed here, once; a response costs no
// allocations beyond the header map's own unless the CSP has a nonce.
//
// Strict-Transport-Security and the CSP's upgrade-insecure-requests go
// only to requests that came over HTTPS (r.TLS set, or a context from
// [WithHTTPS]) unless configured otherwise: over plain HTTP, HSTS breaks
// RFC 6797 §7.2, and upgrading a plain-HTTP site's requests breaks it.
//
// The middleware is safe for concurrent use. The handler must not use its
// ResponseWriter after returning, as net/http requires.
func New(cfg Config) (func(http.Handler) http.Handler, error) {
	p, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		return &handler{p: p, next: next}
	}, nil
}

// A policy is a validated [Config] with every header value computed.
type policy struct {
	headers         []fixedHeader
	removePoweredBy bool
	nonce           *nonceCSP // non-nil if the CSP takes a per-response nonce
	// noncePlain is nonce's policy for plain-HTTP clients, if it differs
	// (then nil means no policy for them).
	noncePlain   *nonceCSP
	nonceSchemed bool
}

// A fixedHeader is a header whose value never changes (for a scheme).
type fixedHeader struct {
	key      string   // canonical
	value    []string // one element, shared by all responses; never modified
	override bool     // replace the application's value
	// schemed says plain-HTTP clients get plain instead of value; a nil
	// plain is no header for them.
	schemed bool
	plain   []string
}

type handler struct {
	p    *policy
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var nonce string
	if h.p.nonce != nil {
		nonce = newNonce()
		r = r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce))
		r.Header = r.Header.Clone()
		r.Header[nonceHeaderKey] = []string{nonce}
	} else if _, ok := r.Header[nonceHeaderKey]; ok {
		r = r.WithContext(r.Context())
		r.Header = r.Header.Clone()
		delete(r.Header, nonceHeaderKey)
	}
	rw := getWriter(w, h)
	rw.nonce = nonce
	rw.https = isHTTPS(r)
	h.next.ServeHTTP(rw, r)
	rw.finish()
	putWriter(rw)
}

// before adds the headers to those the application set.
func (h *handler) before(hdr http.Header, w *writer) {
	p := h.p
	if p.removePoweredBy {
		delete(hdr, "X-Powered-By")
	}
	for i := range p.headers {
		f := &p.headers[i]
		if _, set := hdr[f.key]; set && !f.override {
			continue
		}
		v := f.value
		if f.schemed && !w.https {
			if v = f.plain; v == nil {
				continue
			}
		}
		hdr[f.key] = v
	}
	t := p.nonce
	if p.nonceSchemed && !w.https {
		t = p.noncePlain
	}
	if t != nil {
		if _, set := hdr[t.key]; !set || t.override {
			hdr[t.key] = []string{t.render(w.nonce)}
		}
	}
}

// A hook changes the response header just before it is sent.
type hook interface {
	before(h http.Header, w *writer)
}

// A writer calls its hook once, before the response header is written.
type writer struct {
	rw    http.ResponseWriter
	hook  hook
	nonce string // the CSP nonce, if any
	https bool   // the request came over HTTPS
	done  bool
}

var writers = sync.Pool{New: func() any { return new(writer) }}

func getWriter(w http.ResponseWriter, h hook) *writer {
	rw := writers.Get().(*writer)
	rw.rw, rw.hook = w, h
	return rw
}

func putWriter(w *writer) {
	*w = writer{}
	writers.Put(w)
}

// finish runs the hook if the handler returned without writing, so that the
// response net/http sends for it has the headers too.
func (w *writer) finish() {
	if !w.done {
		w.done = true
		w.hook.before(w.rw.Header(), w)
	}
}

func (w *writer) Header() http.Header { return w.rw.Header() }

func (w *writer) WriteHeader(code int) {
	if code >= 200 { // 1xx responses come before the real one
		w.finish()
	}
	w.rw.WriteHeader(code)
}

func (w *writer) Write(b []byte) (int, error) {
	w.finish()
	return w.rw.Write(b)
}

// Flush sends the header if not yet sent, then any buffered data.
func (w *writer) Flush() { _ = w.FlushError() }

// FlushError is Flush for [http.ResponseController].
func (w *writer) FlushError() error {
	w.finish()
	return http.NewResponseController(w.rw).Flush()
}

// Hijack hands over the connection if the underlying writer can.
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.rw).Hijack()
}

// Unwrap returns the underlying writer, for [http.ResponseController].
func (w *writer) Unwrap() http.ResponseWriter { return w.rw }
