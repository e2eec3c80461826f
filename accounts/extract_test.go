package accounts

import "testing"

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

func FuzzParseBody(f *testing.F) {
	f.Add("application/json", []byte(`{"username":"alice","user":{"email":"a@b.c"},"ok":true}`), "/user/email")
	f.Add("application/x-www-form-urlencoded", []byte("username=alice&password=%zz"), "username")
	f.Add("application/json", []byte(`[[[[[]]]]]`), "/0/0/0")
	f.Add("application/json", []byte(`{"~":{"/":1}}`), "/~0/~1")
	f.Fuzz(func(t *testing.T, ct string, b []byte, spec string) {
		body := parseBody(ct, b)
		body.get(spec)
		body.truthy(spec)
	})
}
