package replay

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect"
)

// readHTTP reads the next request of the HTTP format: a request line,
// header lines up to a blank line (or the end of the input), and a body of
// Content-Length bytes.
func (r *Reader) readHTTP() (Record, error) {
	if r.br == nil {
		r.br = bufio.NewReaderSize(r.in, 64<<10)
	}
	var first []byte
	for { // blank lines between requests
		line, err := r.httpLine()
		if err != nil {
			return Record{}, err
		}
		if line == nil {
			return Record{}, io.EOF
		}
		if len(bytes.TrimSpace(line)) > 0 {
			first = line
			break
		}
	}
	n := r.line
	req, err := parseRequestLine(string(first))
	if err != nil {
		return Record{}, r.fail(n, err)
	}
	h := http.Header{}
	head := len(first)
	for {
		line, err := r.httpLine()
		if err != nil {
			return Record{}, err
		}
		if len(line) == 0 { // the blank line, or the end of the input
			break
		}
		if head += len(line); head > r.MaxLine {
			return Record{}, r.fail(r.line, errAt(1, "%w: request head longer than %d bytes", ErrLineTooLong, r.MaxLine))
		}
		if line[0] == ' ' || line[0] == '\t' {
			return Record{}, r.fail(r.line, errAt(1, "folded header line (obsolete line folding): write the value on one line"))
		}
		k, v, ok := strings.Cut(string(line), ":")
		if !ok || !isToken(k) {
			return Record{}, r.fail(r.line, errAt(1, `not a header line: want "Name: value"`))
		}
		h.Add(k, strings.Trim(v, " \t"))
	}
	req.Header = h
	if te := h.Get("Transfer-Encoding"); te != "" {
		return Record{}, r.fail(n, errAt(1, "Transfer-Encoding %q: a body must be given with Content-Length", te))
	}
	if cl := h.Values("Content-Length"); len(cl) > 0 {
		size, err := strconv.ParseInt(cl[0], 10, 64)
		switch {
		case err != nil || size < 0 || cl[0][0] == '+':
			return Record{}, r.fail(n, errAt(1, "Content-Length %q: want a number of bytes", cl[0]))
		case slices.ContainsFunc(cl, func(v string) bool { return v != cl[0] }):
			return Record{}, r.fail(n, errAt(1, "Content-Length given %d times, differently", len(cl)))
		case size > int64(r.MaxLine):
			return Record{}, r.fail(n, errAt(1, "%w: body of %d bytes, over %d", ErrLineTooLong, size, r.MaxLine))
		}
		body := make([]byte, size)
		got, err := io.ReadFull(r.br, body)
		r.line += bytes.Count(body[:got], []byte{'\n'})
		if err != nil {
			return Record{}, r.fail(n, errAt(1, "body ends after %d of its %d bytes (Content-Length)", got, size))
		}
		req.Body = body
	}
	if host := h.Get("Host"); host != "" { // as net/http gives it: apart from the header
		req.Host = host
		h.Del("Host")
	}
	return Record{Line: n, ID: strconv.Itoa(n), Request: req}, nil
}

// fail makes err, on line n, the Reader's last word: past a request that
// could not be read, where the next one starts is not known.
func (r *Reader) fail(n int, err error) error {
	col := 1
	var ce *colError
	if errors.As(err, &ce) {
		col, err = ce.col, ce.err
	}
	r.err = &LineError{n, col, err}
	return r.err
}

// httpLine reads the next line without its line ending; nil at the end
// of the input.
func (r *Reader) httpLine() ([]byte, error) {
	var line []byte
	for {
		frag, err := r.br.ReadSlice('\n')
		if len(line)+len(frag) > r.MaxLine+2 {
			return nil, r.fail(r.line+1, errAt(r.MaxLine+1, "%w: longer than %d bytes", ErrLineTooLong, r.MaxLine))
		}
		if need := len(line) + len(frag); need > cap(line) { // doubling: at most twice the line held, all told
			line = append(make([]byte, 0, min(max(2*cap(line), need), r.MaxLine+2)), line...)
		}
		line = append(line, frag...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(line) == 0:
			return nil, nil
		case err != nil && err != io.EOF:
			return nil, r.fail(r.line+1, err)
		}
		r.line++
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'})
		if len(line) > r.MaxLine {
			return nil, r.fail(r.line, errAt(r.MaxLine+1, "%w: longer than %d bytes", ErrLineTooLong, r.MaxLine))
		}
		if line == nil {
			line = []byte{}
		}
		return line, nil
	}
}

// parseRequestLine reads "METHOD TARGET HTTP/1.1".
func parseRequestLine(s string) (inspect.Request, error) {
	method, rest, ok1 := strings.Cut(s, " ")
	target, proto, ok2 := strings.Cut(rest, " ")
	switch {
	case !ok1 || !ok2:
		return inspect.Request{}, errAt(1, `not an HTTP request line: want "METHOD /target HTTP/1.1"`)
	case !isToken(method):
		return inspect.Request{}, errAt(1, "method %q is not an HTTP token", method)
	case target == "" || strings.ContainsAny(target, " \t"):
		return inspect.Request{}, errAt(len(method)+2, "no target: want one path, query included, without spaces")
	}
	if major, minor, ok := http.ParseHTTPVersion(proto); !ok || major != 1 || minor > 1 {
		return inspect.Request{}, errAt(len(method)+len(target)+3, "protocol %q: want HTTP/1.0 or HTTP/1.1", proto)
	}
	return inspect.Request{Method: method, URI: target}, nil
}
