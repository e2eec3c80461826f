package replay

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id":"a1","method":"POST","path":"/login?next=/x","headers":{"user-agent":"curl/8","X-Forwarded-For":"1.2.3.4"},"body":"user=a&pass=' or 1=1--","extra":1}` + "\n\n" +
		`{"method":"GET","path":"/"}` + "\n"
	want := []got{
		{"a1", "POST", "/login?next=/x", http.Header{"User-Agent": {"curl/8"}, "X-Forwarded-For": {"1.2.3.4"}}, "user=a&pass=' or 1=1--"},
		{"3", "GET", "/", http.Header{}, ""},
	}
	out, err := jsonl(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("jsonl (-want +got):\n%s", diff)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"method":"GET","path":"/"}` + "\nnot json", "2:2: not a JSON request object"},
		{`{"method":"GET","path":"x"}`, "1:1: a request needs"},
		{`{"path":"/"}`, "1:1: a request needs"},
		{`["GET","/"]`, "1:1: not a JSON request object"},
		{`{"method":"GET","path":"/","headers":{"a":1}}`, "1:43: not a JSON request object"},
		{`{"method":"GET","path":"/" "body":""}`, "1:28: not a JSON request object"},
	} {
		if _, err := jsonl(tc.in); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("jsonl(%q) = %v, want an error starting %q", tc.in, err, tc.want)
		}
	}
}

// FuzzReadJSONL checks that a request written as a jsonl line comes back
// as it was sent (headers by their canonical names), and that whatever a
// line holds, an emitted request has a method and a target starting
// with '/'.
func FuzzReadJSONL(f *testing.F) {
	f.Add("POST", "/login?a=1", "user-agent", "sqlmap/1.7", "user=a&pass=' or 1=1--", `{"method":"GET","path":"/","headers":{"a":"1","A":"2"}}`)
	f.Add("GET", "/\u2028\x00", "X-Forwarded-For", "1.2.3.4", "", `{"method":"","path":"/"}`)
	f.Fuzz(func(t *testing.T, method, path, key, value, body, line string) {
		if method != "" && strings.HasPrefix(path, "/") && allValid(method, path, key, value, body) {
			b, err := json.Marshal(map[string]any{"id": "x", "method": method, "path": path, "headers": map[string]string{key: value}, "body": body})
			if err != nil {
				t.Fatal(err)
			}
			out, err := jsonl(string(b))
			if err != nil {
				t.Fatalf("jsonl(%s): %v", b, err)
			}
			want := http.Header{}
			want.Add(key, value)
			if diff := cmp.Diff([]got{{"x", method, path, want, body}}, out); diff != "" {
				t.Fatalf("jsonl(%s) (-want +got):\n%s", b, diff)
			}
		}
		out, _ := jsonl(line)
		for _, r := range out {
			if r.Method == "" || !strings.HasPrefix(r.URI, "/") {
				t.Errorf("jsonl(%q) emitted method %q target %q", line, r.Method, r.URI)
			}
		}
	})
}

// allValid reports whether each of ss is valid UTF-8, as JSON carries
// them unchanged (their concatenation may be valid when they are not).
func allValid(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
