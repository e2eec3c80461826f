package inspect

import (
	"net/http"
	"net/url"
	"testing"
)

// Prose that puts "at" or "IP" after a semicolon passes; at with a time
// and ip with an object after a separator still block, in free text and
// in a value.
func TestCommandArgsFit(t *testing.T) {
	e := newTestEngine(t)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for _, c := range []struct {
		v     string
		block bool
	}{
		{"Drag the window wider until the lines are becoming quite long; at this point you've got space for the navigation.", false},
		{"The control's UI varies in general from browser to browser; at the moment support is patchy, with only Chrome.", false},
		{"That's perfectly fine for computers (they are numbers; IP addresses can change) but we human beings have a hard time.", false},
		{"127.0.0.1; at now -f /tmp/x", true},
		{"x; at 10:00 -f /tmp/job", true},
		{"x; at -f /tmp/evil.sh teatime", true},
		{"a post ending in x; at now -f /tmp/evil.sh and more words after it", true},
		{"x; ip addr", true},
		{"x; ip -4 route", true},
		{"x| ip link set eth0 down", true},
	} {
		for _, field := range []string{"body", "q"} {
			r := &Request{Method: "POST", URI: "/posts", Header: form, Body: []byte(url.Values{field: {c.v}}.Encode())}
			if field == "q" {
				r = &Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(c.v)}
			}
			if v := e.Inspect(r); (v.Action == Block) != c.block {
				t.Errorf("%s=%q: %v, want blocked=%v", field, c.v, v, c.block)
			}
		}
	}
}
