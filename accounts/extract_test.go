package accounts

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBodyGet(t *testing.T) {
	for _, tc := range []struct {
		ct, body, spec, want string
	}{
		{"application/x-www-form-urlencoded", "username=alice&password=x", "username", "alice"},
		{"application/x-www-form-urlencoded", "username=alice", "/username", "alice"},
		{"application/json", `{"username":"alice"}`, "username", "alice"},
		{"application/json; charset=utf-8", `{"user":{"name":"bob"}}`, "/user/name", "bob"},
		{"application/json", `{"a/b":"c"}`, "a/b", "c"},
		{"application/json", `{"username":{"$ne":null}}`, "username", ""},
		{"application/json", `{"n":42}`, "n", "42"},
		{"application/json", `[1,"x"]`, "/1", "x"},
		{"text/plain", "username=alice", "username", ""},
		{"application/json", `{bad`, "username", ""},
	} {
		if got := parseBody(tc.ct, []byte(tc.body)).get(tc.spec); got != tc.want {
			t.Errorf("parseBody(%q, %q).get(%q) = %q, want %q", tc.ct, tc.body, tc.spec, got, tc.want)
		}
	}
}

// TestBodyTruthy checks what counts as a success flag in a JSON response:
// anything but false, null, 0 and "" (or a member that is absent).
func TestBodyTruthy(t *testing.T) {
	b := parseBody("application/json", []byte(`{"t":true,"f":false,"n":null,"z":0,"z2":0.0,"one":1,"neg":-2,"s":"no","e":"","o":{},"a":[]}`))
	for p, want := range map[string]bool{"/t": true, "/f": false, "/n": false, "/z": false, "/z2": false, "/one": true,
		"/neg": true, "/s": true, "/e": false, "/o": true, "/a": true, "/absent": false} {
		if got := b.truthy(p); got != want {
			t.Errorf("truthy(%q) = %v, want %v", p, got, want)
		}
	}
}

// FuzzParseBody checks, for a field written as a client writes it, that
// get reads back the value sent: a JSON member by its name and by its
// pointer under an object (names with '/' and '~' escaped, RFC 6901), a
// form field by its name; truthy agrees with the value. Whatever the body,
// neither panics.
func FuzzParseBody(f *testing.F) {
	f.Add("application/json", []byte(`{"username":"alice","user":{"email":"a@b.c"},"ok":true}`), "/user/email", "username", "alice")
	f.Add("application/x-www-form-urlencoded", []byte("username=alice&password=%zz"), "username", "a/b~c", "x y&z=1")
	f.Add("application/json", []byte(`[[[[[]]]]]`), "/0/0/0", "~1/~0", "")
	f.Add("application/json", []byte(`{"~":{"/":1}}`), "/~0/~1", "pass word", "é\u2028\"")
	f.Fuzz(func(t *testing.T, ct string, b []byte, spec, key, value string) {
		body := parseBody(ct, b)
		body.get(spec)
		body.truthy(spec)

		if key == "" {
			return
		}
		if utf8.ValidString(key) && utf8.ValidString(value) {
			flat, _ := json.Marshal(map[string]string{key: value})
			nested, _ := json.Marshal(map[string]any{"user": map[string]string{key: value}})
			if got := parseBody("application/json", flat).get(key); got != value && key[0] != '/' { // a spec starting with / is a pointer
				t.Errorf("parseBody(%s).get(%q) = %q, want %q", flat, key, got, value)
			}
			p := "/user/" + escapePointer(key)
			nb := parseBody("application/json; charset=utf-8", nested)
			if got := nb.get(p); got != value {
				t.Errorf("parseBody(%s).get(%q) = %q, want %q", nested, p, got, value)
			}
			if got := nb.truthy(p); got != (value != "") {
				t.Errorf("parseBody(%s).truthy(%q) = %v, want %v", nested, p, got, value != "")
			}
		}
		if !strings.Contains(key, "/") {
			form := url.Values{key: {value}}.Encode()
			if got := parseBody("application/x-www-form-urlencoded", []byte(form)).get(key); got != value {
				t.Errorf("parseBody(form %q).get(%q) = %q, want %q", form, key, got, value)
			}
		}
	})
}
