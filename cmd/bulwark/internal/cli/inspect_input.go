package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect"
)

// maxInputLine bounds one line of inspect's input.
const maxInputLine = 8 << 20

// lineError names the input line a problem is on.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("%d: %v", e.line, e.err) }

// eachLine calls fn for every non-empty line of in.
func eachLine(in io.Reader, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxInputLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := fn(n, line); err != nil {
			return &lineError{n, err}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", maxInputLine)
		}
		return &lineError{n + 1, err}
	}
	return nil
}

// jsonRequest is one line of the jsonl format.
type jsonRequest struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func readJSONL(in io.Reader, emit func(record) error) error {
	return eachLine(in, func(n int, line []byte) error {
		var jr jsonRequest
		if err := json.Unmarshal(line, &jr); err != nil {
			return fmt.Errorf("not a JSON request object: %v", err)
		}
		if jr.Method == "" || !strings.HasPrefix(jr.Path, "/") {
			return errors.New(`a request needs "method" and a "path" starting with /`)
		}
		h := make(http.Header, len(jr.Headers))
		for k, v := range jr.Headers {
			h.Add(k, v)
		}
		id := jr.ID
		if id == "" {
			id = strconv.Itoa(n)
		}
		return emit(record{id: id, req: inspect.Request{Method: jr.Method, URI: jr.Path, Header: h, Body: []byte(jr.Body)}})
	})
}

// readAccessLog reads the combined log format:
//
//	1.2.3.4 - user [10/Oct/2000:13:55:36 -0700] "GET /p?q=1 HTTP/1.1" 200 2326 "referer" "user agent"
func readAccessLog(in io.Reader, emit func(record) error) error {
	return eachLine(in, func(n int, line []byte) error {
		s := string(line)
		_, rest, ok := strings.Cut(s, " [")
		if !ok {
			return errors.New("not combined log format: no [time]")
		}
		_, rest, ok = strings.Cut(rest, "] ")
		if !ok {
			return errors.New("not combined log format: unterminated [time]")
		}
		fields, err := quotedFields(rest)
		if err != nil || len(fields) < 3 {
			return errors.New(`not combined log format: want "REQUEST" STATUS SIZE "REFERER" "USER-AGENT"`)
		}
		method, uri, _ := strings.Cut(fields[0], " ")
		if !isToken(method) {
			// nginx logs "" for a connection that sent no request, and the
			// bytes of one that did not speak HTTP (a TLS handshake on the
			// plain port): the server refused it; no app saw a request.
			return emit(record{id: strconv.Itoa(n), noRequest: true})
		}
		// The target is all up to the protocol: a request line with
		// spaces in it (answered 400, but sent all the same) is judged
		// whole, not by its first word.
		if i := strings.LastIndexByte(uri, ' '); i >= 0 && strings.HasPrefix(uri[i+1:], "HTTP/") {
			uri = uri[:i]
		}
		if method == "" || uri == "" {
			return fmt.Errorf("request %q has no method and path", fields[0])
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
		return emit(record{id: strconv.Itoa(n), req: inspect.Request{Method: method, URI: uri, Header: h}})
	})
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
// the latter).
func quotedFields(s string) ([]string, error) {
	var out []string
	for s = strings.TrimLeft(s, " "); s != ""; s = strings.TrimLeft(s, " ") {
		if s[0] != '"' {
			f, rest, _ := strings.Cut(s, " ")
			out, s = append(out, f), rest
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
			return nil, errors.New("unterminated quote")
		}
		out, s = append(out, b.String()), s[i+1:]
	}
	return out, nil
}

// unhex decodes the byte of an \xHH escape whose 'x' is at s[i].
func unhex(s string, i int) (byte, bool) {
	if s[i] != 'x' || i+2 >= len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
	return byte(v), err == nil
}
