package corpus

import (
	"strings"
	"testing"
)

func TestParseRaw(t *testing.T) {
	tests := []struct {
		name, raw            string
		method, uri, version string
		header               map[string]string
		body                 string
	}{
		{"crlf", "POST /p?a=1 HTTP/1.0\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcdef", "POST", "/p?a=1", "HTTP/1.0",
			map[string]string{"Host": "h", "Content-Length": "3"}, "abc"},
		{"lf and folding", "GET / HTTP/1.1\nX-A: one\n two\nx-b:  padded \n\n", "GET", "/", "HTTP/1.1",
			map[string]string{"X-A": "one two", "X-B": "padded"}, ""},
		{"spaces in uri", "GET /a b/c HTTP/1.1\r\n\r\n", "GET", "/a b/c", "HTTP/1.1", map[string]string{}, ""},
		{"http/0.9", "GET /x\r\n\r\n", "GET", "/x", "", map[string]string{}, ""},
		{"no length", "PUT / HTTP/1.1\r\n\r\nall of it", "PUT", "/", "HTTP/1.1", map[string]string{}, "all of it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseRaw([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tt.method || r.URI != tt.uri || r.Version != tt.version || string(r.Body) != tt.body {
				t.Errorf("parseRaw = %q %q %q body %q; want %q %q %q body %q", r.Method, r.URI, r.Version, r.Body, tt.method, tt.uri, tt.version, tt.body)
			}
			for k, v := range tt.header {
				if got := r.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if len(r.Header) != len(tt.header) {
				t.Errorf("header %v, want %d fields", r.Header, len(tt.header))
			}
		})
	}
}

func TestParseRawErrors(t *testing.T) {
	for raw, want := range map[string]string{
		"GET / HTTP/1.1\r\nHost: h\r\n":                 "no empty line",
		"\r\n\r\n":                                      "line 1: empty request line",
		"GET\r\n\r\n":                                   "line 1: request line",
		"GET / HTTP/1.1\r\nbroken\r\n\r\n":              `line 2: header line "broken"`,
		"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n":   `Content-Length "x"`,
		"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab": "Content-Length is 5 but the body has only 2 bytes",
		"GET / HTTP/1.1\r\n: no name\r\n\r\n":           "line 2",
	} {
		if _, err := parseRaw([]byte(raw)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseRaw(%q) = %v, want an error containing %q", raw, err, want)
		}
	}
}

// FuzzParseRaw checks that no input makes the raw request parser panic,
// and that what it returns holds together.
func FuzzParseRaw(f *testing.F) {
	for _, s := range []string{
		"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
		"GET /a b HTTP/1.1\n X: y\n\n",
		"GET\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
		"\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := parseRaw(raw)
		if err != nil {
			return
		}
		if r.Method == "" || r.URI == "" || r.Header == nil {
			t.Errorf("parseRaw(%q) = %+v without error", raw, r)
		}
		if len(r.Body) > len(raw) {
			t.Errorf("parseRaw(%q): body longer than the input", raw)
		}
	})
}
