package corpus

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// RemoteAddr is the client address of the requests [Case.HTTPRequest] makes.
const RemoteAddr = "192.0.2.10:40000"

// HTTPRequest returns the case as net/http's server hands a request to a
// handler, for engines that take an *http.Request: RequestURI is the case's
// Path, URL is parsed from it, Host comes out of the header, ContentLength
// from Content-Length, and Body reads a copy of the case's body. Each call
// returns a new request the caller may modify.
//
// It fails, as net/http's server would with 400 Bad Request, when the path
// does not parse as a request URI; engines driven by raw strings see such
// cases through [Case.Path] instead.
func (c *Case) HTTPRequest() (*http.Request, error) {
	u, err := url.ParseRequestURI(c.Path)
	if err != nil {
		return nil, fmt.Errorf("case %s/%s: net/http would refuse the request line: %w", c.Corpus, c.ID, err)
	}
	r := &http.Request{
		Method:     c.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     c.Header.Clone(),
		RequestURI: c.Path,
		RemoteAddr: RemoteAddr,
		Body:       http.NoBody,
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Host = r.Header.Get("Host")
	r.Header.Del("Host")
	body := c.Body
	if n, err := strconv.Atoi(r.Header.Get("Content-Length")); err == nil && n >= 0 && n < len(body) {
		body = body[:n] // the server reads no further than announced
	}
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(bytes.Clone(body)))
		r.ContentLength = int64(len(body))
	}
	return r, nil
}
