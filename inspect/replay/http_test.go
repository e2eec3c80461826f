package replay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// httpGot is what the HTTP reader gave for one request.
type httpGot struct {
	Line            int
	ID, Method, URI string
	Host            string
	Header          http.Header
	Body            string
}

func readHTTP(in string, max int) ([]httpGot, error) {
	r, _ := NewReader(strings.NewReader(in), HTTP)
	r.MaxLine = max
	var out []httpGot
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		q := rec.Request
		out = append(out, httpGot{rec.Line, rec.ID, q.Method, q.URI, q.Host, q.Header, string(q.Body)})
	}
}

// TestReadHTTP checks that requests as sent on the wire come out whole:
// method, target, Host, every header and the body of Content-Length bytes,
// each named by the line of its request line.
func TestReadHTTP(t *testing.T) {
	in := "POST /login?next=/a HTTP/1.1\r\n" +
		"Host: shop.example\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\n" +
		"X-Forwarded-For: 1.2.3.4\r\n" +
		"X-Forwarded-For:5.6.7.8 \r\n" +
		"Content-Length: 27\r\n" +
		"\r\n" +
		"user=a&pass=' or 1=1--\nline" +
		"\r\n\r\n" +
		"GET /search?q=<script> HTTP/1.0\n" +
		"User-Agent: sqlmap/1.7\n" +
		"\n" +
		"GET /last HTTP/1.1\n" +
		"Cookie: a=b"
	want := []httpGot{
		{1, "1", "POST", "/login?next=/a", "shop.example", http.Header{
			"Content-Type":    {"application/x-www-form-urlencoded"},
			"X-Forwarded-For": {"1.2.3.4", "5.6.7.8"},
			"Content-Length":  {"27"},
		}, "user=a&pass=' or 1=1--\nline"},
		{11, "11", "GET", "/search?q=<script>", "", http.Header{"User-Agent": {"sqlmap/1.7"}}, ""},
		{14, "14", "GET", "/last", "", http.Header{"Cookie": {"a=b"}}, ""},
	}
	got, err := readHTTP(in, DefaultMaxLine)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reading %q (-want +got):\n%s", in, diff)
	}
}

// TestReadHTTPErrors checks that what is not an HTTP/1 request is an error
// saying line:column and what is wrong, after the requests before it, and
// that it ends the input.
func TestReadHTTPErrors(t *testing.T) {
	const ok = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
	for _, tc := range []struct {
		in   string
		max  int
		want string
		n    int // requests read before the error
	}{
		{"hello\r\n", 0, `1:1: not an HTTP request line`, 0},
		{ok + "G(T / HTTP/1.1\r\n\r\n", 0, `4:1: method "G(T" is not an HTTP token`, 1},
		{"GET  HTTP/1.1\r\n", 0, "1:5: no target", 0},
		{"GET / HTTP/2\r\n", 0, `1:7: protocol "HTTP/2": want HTTP/1.0 or HTTP/1.1`, 0},
		{"GET / HTTP/1.1\r\nHost a\r\n\r\n", 0, `2:1: not a header line`, 0},
		{"GET / HTTP/1.1\r\nA: b\r\n  c\r\n\r\n", 0, `3:1: folded header line`, 0},
		{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 0, `1:1: Transfer-Encoding "chunked"`, 0},
		{"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 0, `1:1: Content-Length "-1"`, 0},
		{"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 0, `1:1: Content-Length given 2 times`, 0},
		{ok + "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc\n", 0, `4:1: body ends after 4 of its 10 bytes`, 1},
		{"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n", 50, `1:1: line too long: body of 100 bytes, over 50`, 0},
		{"GET /" + strings.Repeat("a", 60) + " HTTP/1.1\r\n", 50, `1:51: line too long: longer than 50 bytes`, 0},
		{"GET / HTTP/1.1\r\nA: " + strings.Repeat("a", 20) + "\r\nB: " + strings.Repeat("b", 20) + "\r\n", 50, `3:1: line too long: request head longer than 50 bytes`, 0},
	} {
		max := tc.max
		if max == 0 {
			max = DefaultMaxLine
		}
		r, _ := NewReader(strings.NewReader(tc.in), HTTP)
		r.MaxLine = max
		n := 0
		var err error
		for err == nil {
			if _, err = r.Read(); err == nil {
				n++
			}
		}
		var le *LineError
		if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), tc.want) || n != tc.n {
			t.Errorf("reading %.60q: %d requests then %v; want %d then an error starting %q", tc.in, n, err, tc.n, tc.want)
		}
		if _, again := r.Read(); again != err {
			t.Errorf("reading %.60q: Read after %v = %v, want the same error", tc.in, err, again)
		}
	}
}

// FuzzReadHTTP checks that requests written as a client sends them read
// back as sent (two in a row, the first with a body of any bytes), and
// that whatever the input, what comes out is a request with a method, a
// target without spaces and a body within the bound, or an error naming
// a line.
func FuzzReadHTTP(f *testing.F) {
	f.Add("POST", "/login?a=1", "X-Api-Key", " secret\t", []byte("user=a&pass=' or 1=1--\r\n\r\nGET / HTTP/1.1"), []byte("GET / HTTP/1.1\r\n\r\n"))
	f.Add("GET", "http://a.example/p", "Cookie", "", []byte{}, []byte("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab"))
	f.Add("PATCH", "*", "User-Agent", "() { :; }; /bin/bash -c id", []byte("\n\n\n"), []byte("\r\n\r\nGET /\xff HTTP/1.0\nA:\n\n"))
	f.Fuzz(func(t *testing.T, method, target, key, value string, body, raw []byte) {
		value = strings.Trim(value, " \t")
		if isToken(method) && isToken(key) && target != "" && !strings.ContainsAny(target, " \t\r\n") &&
			!strings.ContainsAny(value, "\r\n") && len(body) < 1<<16 && http.CanonicalHeaderKey(key) != "Host" &&
			http.CanonicalHeaderKey(key) != "Content-Length" && http.CanonicalHeaderKey(key) != "Transfer-Encoding" {
			var b bytes.Buffer
			fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: h.example\r\n%s: %s\r\nContent-Length: %d\r\n\r\n", method, target, key, value, len(body))
			b.Write(body)
			first := b.Len()
			fmt.Fprintf(&b, "%s %s HTTP/1.0\n%s: %s\n\n", method, target, key, value)
			got, err := readHTTP(b.String(), DefaultMaxLine)
			if err != nil {
				t.Fatalf("reading %q: %v", b.String(), err)
			}
			h := http.Header{}
			h.Add(key, value)
			h.Set("Content-Length", strconv.Itoa(len(body)))
			second := 1 + strings.Count(b.String()[:first], "\n")
			want := []httpGot{
				{1, "1", method, target, "h.example", h, string(body)},
				{second, strconv.Itoa(second), method, target, "", http.Header{http.CanonicalHeaderKey(key): {value}}, ""},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("reading %q (-want +got):\n%s", b.String(), diff)
			}
		}
		got, err := readHTTP(string(raw), 64)
		var le *LineError
		if err != nil && !errors.As(err, &le) {
			t.Errorf("reading %q: %v, want an error naming a line", raw, err)
		}
		for _, g := range got {
			if !isToken(g.Method) || g.URI == "" || strings.ContainsAny(g.URI, " \t") || len(g.Body) > 64 {
				t.Errorf("reading %q gave %+v", raw, g)
			}
		}
	})
}
