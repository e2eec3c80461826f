package replay

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// got is what a reader emitted for one request, in a comparable form.
type got struct {
	ID, Method, URI string
	Header          http.Header
	Body            string
}

// readAll reads in, recorded in format f, until the end or the first
// error.
func readAll(f Format, in string) ([]got, error) {
	r, err := NewReader(strings.NewReader(in), f)
	if err != nil {
		return nil, err
	}
	var out []got
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if rec.NoRequest {
			rec.Request.Method = "(none)"
		}
		out = append(out, got{rec.ID, rec.Request.Method, rec.Request.URI, rec.Request.Header, string(rec.Request.Body)})
	}
}

func accessLog(in string) ([]got, error) { return readAll(AccessLog, in) }

func jsonl(in string) ([]got, error) { return readAll(JSONL, in) }

// TestReadAccessLog checks that every part of a request the detection
// engine looks at (method, target with its query, Referer, User-Agent)
// comes out of the log line as the client sent it.
func TestReadAccessLog(t *testing.T) {
	const ts = `[10/Oct/2026:13:55:36 +0000]`
	for _, tc := range []struct {
		name, in string
		want     []got
	}{
		{"connections that sent no request: nothing, a TLS handshake, no method",
			`198.51.100.4 - - ` + ts + ` "" 400 0 "-" "-"` + "\n" +
				`198.51.100.4 - - ` + ts + ` "\x16\x03\x01\x00\xF4\x01\x00\x00" 400 157 "-" "-"` + "\n" +
				`198.51.100.4 - - ` + ts + ` "/x" 400 0 "-" "-"` + "\n" +
				`198.51.100.4 - - ` + ts + ` "GET /.env HTTP/1.1" 404 0 "-" "-"`,
			[]got{{"1", "(none)", "", nil, ""}, {"2", "(none)", "", nil, ""}, {"3", "(none)", "", nil, ""},
				{"4", "GET", "/.env", http.Header{}, ""}}},
		{"combined",
			`203.0.113.5 - - ` + ts + ` "GET /search?q=1%27%20or%201=1 HTTP/1.1" 200 2326 "https://shop.example/a" "sqlmap/1.7.2#stable (https://sqlmap.org)"`,
			[]got{{"1", "GET", "/search?q=1%27%20or%201=1", http.Header{"Referer": {"https://shop.example/a"}, "User-Agent": {"sqlmap/1.7.2#stable (https://sqlmap.org)"}}, ""}}},
		{"common log format has no headers",
			`203.0.113.5 - frank ` + ts + ` "POST /login HTTP/1.0" 401 12`,
			[]got{{"1", "POST", "/login", http.Header{}, ""}}},
		{"dash means absent",
			`2001:db8::1 - - ` + ts + ` "GET / HTTP/2.0" 200 1 "-" "-"`,
			[]got{{"1", "GET", "/", http.Header{}, ""}}},
		{"user agent without referer",
			`192.0.2.1 - - ` + ts + ` "HEAD /x HTTP/1.1" 200 0 "" "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"`,
			[]got{{"1", "HEAD", "/x", http.Header{"User-Agent": {"Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"}}, ""}}},
		{"a target with spaces is read whole",
			`192.0.2.1 - - ` + ts + ` "GET /item?id=1 union select password from users HTTP/1.1" 400 150 "-" "-"`,
			[]got{{"1", "GET", "/item?id=1 union select password from users", http.Header{}, ""}}},
		{"HTTP/0.9 request line has no protocol",
			`192.0.2.1 - - ` + ts + ` "GET /index.html" 200 1`,
			[]got{{"1", "GET", "/index.html", http.Header{}, ""}}},
		{"Apache escapes",
			`192.0.2.1 - - ` + ts + ` "GET /?q=\"><script>a(1)</script>\\ HTTP/1.1" 200 1 "-" "Mozilla/5.0 () { :; }; /bin/bash -c \"id\""`,
			[]got{{"1", "GET", `/?q="><script>a(1)</script>\`, http.Header{"User-Agent": {`Mozilla/5.0 () { :; }; /bin/bash -c "id"`}}, ""}}},
		{"nginx escapes",
			`192.0.2.1 - - ` + ts + ` "GET /?id=1\x22 or \x5C\x221\x22=\x221\xC3\xA9 HTTP/1.1" 200 1 "-" "x\x22y"`,
			[]got{{"1", "GET", `/?id=1" or \"1"="1é`, http.Header{"User-Agent": {`x"y`}}, ""}}},
		{"not an escape",
			`192.0.2.1 - - ` + ts + ` "GET /\xZZ\x4 HTTP/1.1" 200 1`,
			[]got{{"1", "GET", `/xZZx4`, http.Header{}, ""}}},
		{"ids are line numbers, blank lines skipped",
			"\n" + `192.0.2.1 - - ` + ts + ` "GET /a HTTP/1.1" 200 1 "-" "ua1"` + "\n  \n" + `192.0.2.2 - - ` + ts + ` "DELETE /b HTTP/1.1" 204 0 "-" "ua2"` + "\r\n",
			[]got{
				{"2", "GET", "/a", http.Header{"User-Agent": {"ua1"}}, ""},
				{"4", "DELETE", "/b", http.Header{"User-Agent": {"ua2"}}, ""},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := accessLog(tc.in)
			if err != nil {
				t.Fatalf("accessLog(%q): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("accessLog(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// TestReadAccessLogErrors checks that a line that is not combined log
// format is an error saying line:column and what is wrong, after the
// records of the lines before it.
func TestReadAccessLogErrors(t *testing.T) {
	const ok = `192.0.2.1 - - [10/Oct/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`
	for _, tc := range []struct{ in, want string }{
		{"192.0.2.1 GET /", "1:1: not combined log format: no [time]"},
		{ok + "\n192.0.2.1 - - [10/Oct/2026:13:55:36 +0000", "2:15: not combined log format: unterminated [time]"},
		{`192.0.2.1 - - [t] "GET / HTTP/1.1 200 1`, "1:19: not combined log format: unterminated quote"},
		{`192.0.2.1 - - [t] 200 1 "GET / HTTP/1.1 200 1`, "1:25: not combined log format: unterminated quote"},
		{`192.0.2.1 - - [t] "GET / HTTP/1.1"`, "1:19: not combined log format: want"},
		{ok + "\n" + ok + "\n" + `192.0.2.1 - - [t] "GET" 400 0`, `3:19: request "GET" has no method and path`},
		{ok + "\n" + strings.Repeat("x", DefaultMaxLine+1), "2:8388609: line too long: longer than 8388608 bytes"},
	} {
		out, err := accessLog(tc.in)
		var le *LineError
		if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("accessLog(%.60q) = %v, want a line error starting %q", tc.in, err, tc.want)
		}
		if n := strings.Count(tc.in, "\n"); len(out) != n {
			t.Errorf("accessLog(%.60q) emitted %d records before the error, want %d", tc.in, len(out), n)
		}
	}
}

// apacheQuote writes s as Apache's mod_log_config does inside quotes:
// '"' and '\' behind a backslash, other bytes outside printable ASCII
// as \xhh.
func apacheQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// nginxQuote writes s as nginx's default log escaping does: '"', '\' and
// bytes outside printable ASCII as \xHH.
func nginxQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 || c > 0x7e {
			fmt.Fprintf(&b, `\x%02X`, c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzReadAccessLog checks, for a request written to the log as Apache or
// nginx writes it, that the reader gives back the method, target, Referer
// and User-Agent the client sent; and for any line, that what it emits is
// a method without spaces and a target without the protocol, in line
// order.
func FuzzReadAccessLog(f *testing.F) {
	f.Add("GET", "/search?q=1' or 1=1--", "https://a.example/", "sqlmap/1.7", `192.0.2.1 - - [10/Oct/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`)
	f.Add("POST", `/?q="><script>`, "-", `Mozilla/5.0 () { :; }; /bin/bash -c "id"`, `::1 - u [t] "GET /\x22 HTTP/1.1" 200 1 "\\" "a\"b"`)
	f.Add("GET", "/\\x41\x00é", "", "\x7f\xff", `x [y] "`)
	f.Add("PUT", "/", "ref with spaces", "ua \\\" tricky", `a [b] "GET /" 1 2 "" ""`)
	f.Fuzz(func(t *testing.T, method, uri, referer, ua, line string) {
		for _, tc := range []struct {
			name  string
			quote func(string) string
		}{{"apache", apacheQuote}, {"nginx", nginxQuote}} {
			if !isToken(method) || uri == "" {
				break // not a request line: a method is an HTTP token
			}
			l := "203.0.113.9 - - [10/Oct/2026:13:55:36 +0000] " + tc.quote(method+" "+uri+" HTTP/1.1") +
				" 200 1 " + tc.quote(referer) + " " + tc.quote(ua)
			out, err := accessLog(l)
			if err != nil {
				t.Fatalf("%s: accessLog(%q): %v", tc.name, l, err)
			}
			want := http.Header{}
			if referer != "" && referer != "-" {
				want.Set("Referer", referer)
			}
			if ua != "" && ua != "-" {
				want.Set("User-Agent", ua)
			}
			if diff := cmp.Diff([]got{{"1", method, uri, want, ""}}, out); diff != "" {
				t.Fatalf("%s: accessLog(%q) (-want +got):\n%s", tc.name, l, diff)
			}
		}
		out, err := accessLog(line)
		var le *LineError
		if err != nil && !errors.As(err, &le) {
			t.Errorf("accessLog(%q) = %v, want an error naming the line", line, err)
		}
		for i, r := range out {
			if i > 0 && len(r.ID) < len(out[i-1].ID) || i > 0 && len(r.ID) == len(out[i-1].ID) && r.ID <= out[i-1].ID {
				t.Errorf("accessLog(%q) ids %q then %q, want increasing line numbers", line, out[i-1].ID, r.ID)
			}
			if r.Method == "(none)" {
				continue // a line that logs no request
			}
			if r.Method == "" || r.URI == "" || strings.Contains(r.Method, " ") || strings.HasSuffix(r.URI, " HTTP/1.1") {
				t.Errorf("accessLog(%q) emitted method %q target %q", line, r.Method, r.URI)
			}
		}
	})
}
