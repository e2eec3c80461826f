package inspect

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
)

// RequestIDHeader is the header the block page takes the request id from,
// on the response (where the gateway sets it) or else the request.
const RequestIDHeader = event.RequestIDHeader

var ruleBodyTooLarge = newRule("bw-limit-003", Protocol, 0, "body larger than maxBody, or an upload larger than maxUpload (413)")

// refusals maps the ids of the rules that refuse a body the engine cannot
// inspect to the status of the refusal.
var refusals = map[string]int{
	ruleBodyTooLarge.id: http.StatusRequestEntityTooLarge,
	ruleBomb.id:         http.StatusRequestEntityTooLarge,
	ruleCoding.id:       http.StatusUnsupportedMediaType,
	ruleCharset.id:      http.StatusUnsupportedMediaType,
	ruleBadCoding.id:    http.StatusBadRequest,
	ruleFragment.id:     http.StatusBadRequest,
	ruleGone.id:         http.StatusBadRequest, // nobody is left to read it
}

// Refused returns the status with which the middleware refuses a request
// whose verdict is v because its body cannot be inspected: too large
// (413), in a content coding or charset the engine does not decode (415),
// or not decoding in its coding (400); or because its request-target
// holds a '#' (400), or its client went away while it was inspected (400,
// which nobody reads). It returns 0 if v refuses nothing.
// A refusal is no attack: its rules score 0, and a verdict that refuses
// blocks only for the other findings in it.
func Refused(v Verdict) int {
	for _, f := range v.Findings {
		if st := f.Refusal(); st != 0 {
			return st
		}
	}
	return 0
}

// Refusal returns the status of the refusal f is (see [Refused]), or 0 if
// f is a finding of an attack.
func (f Finding) Refusal() int { return refusals[f.RuleID] }

// MiddlewareOptions are [Engine.Middleware]'s collaborators, named as the
// other stages name theirs (limit.Options, blackbook.MiddlewareOptions).
type MiddlewareOptions struct {
	// OnVerdict, if set, is called for every verdict other than [Allow],
	// refusals included, before the response: to log it or publish an
	// event. It runs on the request's goroutine and must not keep r.
	OnVerdict func(r *http.Request, v Verdict)
}

// Middleware returns middleware that inspects each request before passing
// it on. It reads the body, up to [Config.MaxBody] (a multipart upload up
// to [Config.MaxUpload], spooled to a file), and gives the next handler an
// identical one: the bytes as sent, content codings and all, inspected as
// decoded. A request whose verdict is [Block] gets a 403 with a plain-text
// body naming the request id ([Config.BlockBody]); one whose body cannot
// be inspected gets the status [Refused] gives, and one that cannot be
// read a 400: the middleware fails closed. [MiddlewareOptions.OnVerdict],
// if set, is told of every verdict other than [Allow], refusals included,
// before the response.
//
// The middleware is safe for concurrent use.
func (e *Engine) Middleware(o MiddlewareOptions) func(http.Handler) http.Handler {
	report := o.OnVerdict
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, sp, status := e.readBody(r)
			if sp != nil {
				defer sp.Close()
			}
			if status != 0 {
				if status == http.StatusRequestEntityTooLarge && report != nil {
					in := input{kind: kindRaw, name: "body"}
					report(r, Verdict{Action: Log, Findings: []Finding{{
						RuleID: ruleBodyTooLarge.id, Class: Protocol, Severity: severity(ruleBodyTooLarge.score),
						Score: ruleBodyTooLarge.score, Where: in.name}}})
				}
				http.Error(w, http.StatusText(status), status)
				return
			}
			uri := r.RequestURI
			if uri == "" {
				uri = r.URL.RequestURI()
			}
			types, seen := fieldsFrom(r.Context())
			v := e.Inspect(&Request{Method: r.Method, URI: uri, Header: r.Header, Host: r.Host, Body: body,
				Context: r.Context(), Types: types, Seen: seen})
			if v.Action != Allow && report != nil {
				report(r, v)
			}
			if v.Action == Block {
				e.block(w, r)
				return
			}
			if st := Refused(v); st != 0 {
				http.Error(w, http.StatusText(st), st)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// readBody reads r's body for inspection and gives r an identical one; a
// non-zero status refuses r. A multipart body over maxBody is spooled
// ([spoolUpload]) and what is returned is its digest, with the spool for
// the caller to close when r is done.
func (e *Engine) readBody(r *http.Request) ([]byte, *spool, int) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil, 0
	}
	upload, boundary := e.spoolable(r)
	if r.ContentLength > e.maxUpload || r.ContentLength > e.maxBody && !upload {
		return nil, nil, http.StatusRequestEntityTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, e.maxBody+1))
	if err != nil {
		r.Body.Close()
		return nil, nil, readStatus(err)
	}
	if int64(len(body)) <= e.maxBody {
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		return body, nil, 0
	}
	if !upload {
		r.Body.Close()
		return nil, nil, http.StatusRequestEntityTooLarge
	}
	sp, digest, err := spoolUpload(body, r.Body, boundary, e.maxUpload, e.maxBody)
	r.Body.Close()
	if err != nil {
		return nil, nil, readStatus(err)
	}
	r.Body, r.GetBody = sp, nil
	return digest, sp, 0
}

// spoolable reports whether r's body may be spooled: a multipart/form-data
// upload, in no content coding, and its boundary.
func (e *Engine) spoolable(r *http.Request) (bool, string) {
	ct := parseContentType(r.Header.Get("Content-Type"))
	return ct.media == "multipart/form-data" && ct.boundary != "" && len(contentCodings(r.Header)) == 0 &&
		e.maxUpload > e.maxBody, ct.boundary
}

// readStatus is the status refusing a body whose reading failed with err.
func readStatus(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, errTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
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
