package inspect

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
)

// RequestIDHeader is the header the block page takes the request id from,
// on the response (where the gateway sets it) or else the request.
const RequestIDHeader = "X-Request-Id"

var ruleBodyTooLarge = newRule("bw-limit-003", Protocol, 5, "body larger than maxBody")

// Middleware returns middleware that inspects each request before passing
// it on. It reads the body, up to [Config.MaxBody], and gives the next
// handler an identical one. A request whose verdict is [Block] gets a 403
// with a plain-text body naming the request id ([Config.BlockBody]); a body
// over the limit gets a 413, and one that cannot be read a 400: the
// middleware fails closed. report, if not nil, is called for every verdict
// other than [Allow], before the response.
//
// The middleware is safe for concurrent use.
func (e *Engine) Middleware(report func(*http.Request, Verdict)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, status := e.readBody(r)
			if status != 0 {
				if status == http.StatusRequestEntityTooLarge && report != nil {
					report(r, Verdict{Action: Block, Score: ruleBodyTooLarge.score, Findings: []Finding{{
						RuleID: ruleBodyTooLarge.id, Class: Protocol, Severity: severity(ruleBodyTooLarge.score),
						Score: ruleBodyTooLarge.score, Where: "body"}}})
				}
				http.Error(w, http.StatusText(status), status)
				return
			}
			uri := r.RequestURI
			if uri == "" {
				uri = r.URL.RequestURI()
			}
			v := e.Inspect(&Request{Method: r.Method, URI: uri, Header: r.Header, Body: body})
			if v.Action != Allow && report != nil {
				report(r, v)
			}
			if v.Action == Block {
				e.block(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// readBody reads and restores r's body; a non-zero status refuses r.
func (e *Engine) readBody(r *http.Request) ([]byte, int) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, 0
	}
	if r.ContentLength > e.maxBody {
		return nil, http.StatusRequestEntityTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, e.maxBody+1))
	r.Body.Close()
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, http.StatusRequestEntityTooLarge
		}
		return nil, http.StatusBadRequest
	}
	if int64(len(body)) > e.maxBody {
		return nil, http.StatusRequestEntityTooLarge
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, 0
}

// block answers a blocked request.
func (e *Engine) block(w http.ResponseWriter, r *http.Request) {
	id := w.Header().Get(RequestIDHeader)
	if id == "" {
		id = r.Header.Get(RequestIDHeader)
	}
	if id == "" {
		id = "none"
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, strings.ReplaceAll(e.blockBody, "{id}", sanitizeID(id)))
}

// sanitizeID keeps a request id printable, short and free of markup.
func sanitizeID(id string) string {
	if len(id) > 128 {
		id = id[:128]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e || r == '<' || r == '>' || r == '&' {
			return '_'
		}
		return r
	}, id)
}
