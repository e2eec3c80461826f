package corpus

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// A rawRequest is an HTTP/1.x request as written on the wire, parsed
// leniently: corpora hold requests that net/http would refuse (spaces and
// raw bytes in the URI, odd header names), and those are the interesting
// ones. Nothing is decoded or re-encoded.
type rawRequest struct {
	Method, URI, Version string
	Header               http.Header
	Body                 []byte
}

// parseRaw parses a whole raw request: request line, header lines, an
// empty line and the body. Lines may end in CRLF or LF. When the head has
// a Content-Length the body is cut to it; a body shorter than announced is
// an error, as a server would wait for the rest forever.
func parseRaw(raw []byte) (rawRequest, error) {
	head, body, found := cutHead(raw)
	if !found {
		return rawRequest{}, fmt.Errorf("no empty line after the headers")
	}
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	r, err := parseHead(lines)
	if err != nil {
		return rawRequest{}, err
	}
	if cl := r.Header.Get("Content-Length"); cl != "" {
		n, err := strconv.Atoi(strings.TrimSpace(cl))
		if err != nil || n < 0 {
			return rawRequest{}, fmt.Errorf("Content-Length %q is not a length", cl)
		}
		if n > len(body) {
			return rawRequest{}, fmt.Errorf("Content-Length is %d but the body has only %d bytes", n, len(body))
		}
		body = body[:n]
	}
	if len(body) > 0 {
		r.Body = body
	}
	return r, nil
}

// cutHead splits raw at the first empty line, which ends the head.
func cutHead(raw []byte) (head, body []byte, found bool) {
	crlf := bytes.Index(raw, []byte("\r\n\r\n"))
	lf := bytes.Index(raw, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf < lf):
		return raw[:crlf], raw[crlf+4:], true
	case lf >= 0:
		return raw[:lf], raw[lf+2:], true
	}
	return nil, nil, false
}

// parseHead parses a request line and the header lines after it, each
// without its line ending. Header lines that start with a space or a tab
// continue the previous header (obsolete line folding). Errors name the
// 1-based line within lines.
func parseHead(lines []string) (rawRequest, error) {
	if len(lines) == 0 || lines[0] == "" {
		return rawRequest{}, fmt.Errorf("line 1: empty request line")
	}
	var r rawRequest
	fields := strings.Split(lines[0], " ")
	switch {
	case len(fields) == 2: // HTTP/0.9
		r.Method, r.URI = fields[0], fields[1]
	case len(fields) >= 3:
		// A URI with raw spaces in it: keep them, as a lenient server does.
		r.Method, r.Version = fields[0], fields[len(fields)-1]
		r.URI = strings.Join(fields[1:len(fields)-1], " ")
	default:
		return rawRequest{}, fmt.Errorf("line 1: request line %q is not METHOD URI VERSION", lines[0])
	}
	if r.Method == "" || r.URI == "" {
		return rawRequest{}, fmt.Errorf("line 1: request line %q is not METHOD URI VERSION", lines[0])
	}
	r.Header = http.Header{}
	last := ""
	for i, l := range lines[1:] {
		if l == "" {
			return rawRequest{}, fmt.Errorf("line %d: empty line inside the headers", i+2)
		}
		if (l[0] == ' ' || l[0] == '\t') && last != "" {
			vs := r.Header[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(l)
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || name == "" {
			return rawRequest{}, fmt.Errorf("line %d: header line %q has no name and colon", i+2, l)
		}
		last = http.CanonicalHeaderKey(name)
		r.Header[last] = append(r.Header[last], strings.Trim(value, " \t"))
	}
	return r, nil
}
