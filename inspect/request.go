package inspect

import (
	"context"
	"net/http"
	"strings"

	"github.com/bulwark-sec/bulwark/routes"
)

// A Request is what the engine inspects: the parts of an HTTP request an
// attacker controls.
type Request struct {
	Method string
	// URI is the path and query exactly as on the request line: "/p?q=1".
	// An absolute URI ("http://host/p?q=1") is accepted too.
	URI string
	// Header is the request's header as received.
	Header http.Header
	// Host is the host the request names (net/http's Request.Host, which
	// it takes out of Header). If empty, Header's Host.
	Host string
	// Body is the request body, already read and bounded by the caller.
	Body []byte
	// Types, if not nil, are the learned types of the fields of the
	// request's route, by where a finding would name them ("query:id",
	// "json:$.title"): a value off a strict type is evidence, and a
	// password field is looked at for operator injection only.
	Types map[string]routes.FieldType
	// Seen, if not nil, is shown every parameter value (query, form, JSON,
	// multipart, XML, cookie) as the app sees it, with where: what the
	// route inventory learns field types from. The strings are valid only
	// during the call.
	Seen func(where, value string)
	// Context, if not nil, is the request's: when it is done (the client
	// went away) inspection stops and the request is refused (bw-limit-006),
	// as it is when inspecting it costs more than its size allows
	// (bw-limit-005).
	Context context.Context
}

// host returns the host r names.
func (r *Request) host() string {
	if r.Host != "" {
		return r.Host
	}
	return r.Header.Get("Host")
}

var ruleFragment = newRule("bw-target-001", Protocol, 0, "request-target holding a '#' (400)")

// splitURI returns the path and query of a request-target.
func splitURI(uri string) (path, query string, hasQuery bool) {
	if i := strings.Index(uri, "://"); i > 0 && i < 10 && !strings.HasPrefix(uri, "/") {
		rest := uri[i+3:]
		if j := strings.IndexAny(rest, "/?"); j >= 0 {
			uri = rest[j:]
		} else {
			uri = "/"
		}
	}
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri = uri[:i]
	}
	path, query, hasQuery = strings.Cut(uri, "?")
	return path, query, hasQuery
}

// run inspects every input of the request.
func (s *scan) run() {
	r := s.req
	if strings.IndexByte(r.URI, '#') >= 0 {
		// Not valid in a request-target (RFC 9112 §3.2): the engine, the
		// server and the app would each cut it somewhere else.
		s.limit(ruleFragment, "target")
		return
	}
	path, query, _ := splitURI(r.URI)
	s.path(path)
	s.params(kindQuery, query)
	s.headers()
	if len(r.Body) > 0 && !s.stopped {
		s.body()
	}
}

// count admits one more input, or reports the limit.
func (s *scan) count() bool {
	if s.stopped {
		return false
	}
	s.inputs++
	if s.inputs > s.e.maxInputs {
		s.limit(ruleTooMany, "request")
		return false
	}
	return true
}

// value inspects one value.
func (s *scan) value(k kind, name, raw string) {
	if raw == "" || !s.count() {
		return
	}
	s.inspect(&s.in, k, name, raw, false)
}

// key inspects one key (a parameter, cookie or JSON member name).
func (s *scan) key(k kind, name string) {
	if name == "" || s.stopped {
		return
	}
	s.inspect(&s.in, k, name, name, true)
}

func (s *scan) inspect(in *input, k kind, name, raw string, isKey bool) {
	if !s.spend(len(raw) + inputWork) {
		return
	}
	*in = input{kind: k, name: name, key: isKey, raw: raw, base64: in == &s.sub}
	in.dec = s.decode(raw)
	in.low = s.lower(in.dec)
	in.cls = classes(in.low)
	in.unread = true
	s.check(in)
}

// body inspects the body as the app will read it: its content codings
// undone ([decodeCodings]), in UTF-8 ([decodeCharset]), parsed by its
// content type. A body no parser accepts is inspected as one value; one
// that cannot be decoded is refused.
func (s *scan) body() {
	body, refused := decodeCodings(contentCodings(s.req.Header), s.req.Body, s.e.maxBody)
	if refused != nil {
		s.limit(refused, "body")
		return
	}
	ct := parseContentType(s.req.Header.Get("Content-Type"))
	mt := ct.media
	if mt != "multipart/form-data" { // its parts name their own charsets
		var ok bool
		if body, ok = decodeCharset(ct.charset, body, mt == "application/json" || strings.HasSuffix(mt, "+json")); !ok {
			s.limit(ruleCharset, "body")
			return
		}
	}
	// A body decoded is more to inspect than the request's size counted;
	// parsing it reads it once.
	s.grow(len(body) - len(s.req.Body))
	if !s.spend(len(body)) {
		return
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		if s.json(body) {
			return
		}
	case mt == "application/x-www-form-urlencoded":
		s.params(kindForm, string(body))
		return
	case mt == "multipart/form-data":
		if s.multipart(body, ct.boundary) {
			return
		}
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		if s.xml(body) {
			return
		}
	case mt == "" || mt == "text/plain":
		// Parsed as a form by some frameworks; looks like JSON to others.
		if looksJSON(body) && s.json(body) {
			return
		}
		if looksXML(body) && s.xml(body) {
			return
		}
		if looksForm(body) {
			s.params(kindForm, string(body))
		}
	}
	if !s.stopped {
		s.value(kindBody, "", string(body))
	}
}

func looksJSON(b []byte) bool {
	t := strings.TrimSpace(string(b[:min(len(b), 16)]))
	return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
}

func looksXML(b []byte) bool {
	t := strings.TrimSpace(string(b[:min(len(b), 16)]))
	return strings.HasPrefix(t, "<")
}

// looksForm reports whether b reads as name=value pairs.
func looksForm(b []byte) bool {
	i := strings.IndexByte(string(b), '=')
	return i > 0 && !strings.ContainsAny(string(b[:i]), " \n<{")
}
