package replay

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect"
)

// parseAccessLog reads one line of the combined log format:
//
//	1.2.3.4 - user [10/Oct/2000:13:55:36 -0700] "GET /p?q=1 HTTP/1.1" 200 2326 "referer" "user agent"
func parseAccessLog(line []byte) (Record, error) {
	s := string(line)
	open := strings.Index(s, " [")
	if open < 0 {
		return Record{}, errAt(1, "not combined log format: no [time]")
	}
	end := strings.Index(s[open:], "] ")
	if end < 0 {
		return Record{}, errAt(open+2, "not combined log format: unterminated [time]")
	}
	start := open + end + 2 // of the fields after the time, from 0
	fields, bad, err := quotedFields(s[start:])
	if err != nil {
		return Record{}, errAt(start+bad+1, "not combined log format: %v", err)
	}
	if len(fields) < 3 {
		return Record{}, errAt(start+1, `not combined log format: want "REQUEST" STATUS SIZE "REFERER" "USER-AGENT"`)
	}
	method, uri, _ := strings.Cut(fields[0], " ")
	if !isToken(method) {
		// nginx logs "" for a connection that sent no request, and the
		// bytes of one that did not speak HTTP (a TLS handshake on the
		// plain port): the server refused it; no app saw a request.
		return Record{NoRequest: true}, nil
	}
	// The target is all up to the protocol: a request line with spaces in
	// it (answered 400, but sent all the same) is judged whole, not by its
	// first word.
	if i := strings.LastIndexByte(uri, ' '); i >= 0 && strings.HasPrefix(uri[i+1:], "HTTP/") {
		uri = uri[:i]
	}
	if uri == "" {
		return Record{}, errAt(start+1, "request %q has no method and path", fields[0])
	}
	h := http.Header{}
	if len(fields) >= 5 {
		if fields[3] != "-" && fields[3] != "" {
			h.Set("Referer", fields[3])
		}
		if fields[4] != "-" && fields[4] != "" {
			h.Set("User-Agent", fields[4])
		}
	}
	return Record{Request: inspect.Request{Method: method, URI: uri, Header: h}}, nil
}

// isToken reports whether s is an HTTP method: a token (RFC 9110 §5.6.2).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// quotedFields splits `"a b" 200 123 "c" "d \"e\""` into its fields,
// unquoting the quoted ones: \" and \\ as Apache writes them, and \xHH as
// nginx writes '"', '\\' and bytes outside printable ASCII (Apache too, for
// the latter). On error, bad is the offset in s of what is wrong.
func quotedFields(s string) (fields []string, bad int, err error) {
	n := len(s)
	for s = strings.TrimLeft(s, " "); s != ""; s = strings.TrimLeft(s, " ") {
		if s[0] != '"' {
			f, rest, _ := strings.Cut(s, " ")
			fields, s = append(fields, f), rest
			continue
		}
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				if c, ok := unhex(s, i); ok { // \xHH
					b.WriteByte(c)
					i += 2
					continue
				}
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) {
			return nil, n - len(s), errors.New("unterminated quote")
		}
		fields, s = append(fields, b.String()), s[i+1:]
	}
	return fields, 0, nil
}

// unhex decodes the byte of an \xHH escape whose 'x' is at s[i].
func unhex(s string, i int) (byte, bool) {
	if s[i] != 'x' || i+2 >= len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
	return byte(v), err == nil
}
