package guard

import (
	"bufio"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzTarget checks the one parse of the request-target the gateway
// shares between inspection and the proxy: a '#' is never accepted, and
// an accepted target is forwarded byte for byte after the upstream's base
// path, which is what inspection read.
func FuzzTarget(f *testing.F) {
	for _, s := range []string{
		"/", "/x#/../.env", "/a?b=c;d&e", "/%2e%2e/.env", "/a|b?q=%zz", "//a/b", "//a%2Fb",
		"/?", "/a?", "*", "http://h/p?q", "http://h?q", "/é?ü", "/a%7e/%7E",
	} {
		f.Add(s, "")
		f.Add(s, "/app")
	}
	f.Fuzz(func(t *testing.T, uri, base string) {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + uri + " HTTP/1.1\r\nHost: h\r\n\r\n")))
		if err != nil {
			return // net/http refuses it before the gateway sees it
		}
		tg, err := parseTarget(r)
		if strings.Contains(uri, "#") {
			if err == nil {
				t.Fatalf("parseTarget(%q) accepted a '#'", uri)
			}
			return
		}
		if err != nil || tg.path == "*" {
			return
		}
		up := "http://127.0.0.1:1" + base
		if checkUpstream(up) != nil || strings.ContainsAny(base, "?#") {
			return // guard's configuration refuses this upstream
		}
		b, _ := url.Parse(up)
		out := &url.URL{Scheme: "http", Host: "127.0.0.1:1"}
		tg.setTarget(out, b)
		want := strings.TrimSuffix(b.EscapedPath(), "/") + tg.path
		if tg.hasQuery {
			want += "?" + tg.query
		}
		if got := out.RequestURI(); got != want {
			t.Fatalf("%q under base %q is forwarded as %q, want %q", uri, base, got, want)
		}
		// What inspection reads: the path and query the client sent.
		sent := uri
		if i := strings.Index(sent, "://"); i > 0 && !strings.HasPrefix(sent, "/") {
			if j := strings.IndexAny(sent[i+3:], "/?"); j >= 0 {
				sent = sent[i+3+j:]
			} else {
				sent = "/"
			}
			if strings.HasPrefix(sent, "?") {
				sent = "/" + sent
			}
		}
		if got := tg.path + map[bool]string{true: "?" + tg.query}[tg.hasQuery]; got != sent {
			t.Fatalf("parseTarget(%q) = %q, not what was sent (%q)", uri, got, sent)
		}
	})
}
