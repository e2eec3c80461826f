package guard

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawUpstream is an app that records the exact request line and header
// lines it receives, before any parser of Go's could change them.
type rawUpstream struct {
	l     net.Listener
	mu    sync.Mutex
	reqs  []rawRequest
	conns []net.Conn
}

type rawRequest struct {
	line   string   // "GET /p?q HTTP/1.1"
	header []string // "Name: value", as received
}

func newRawUpstream(t *testing.T) *rawUpstream {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &rawUpstream{l: l}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		u.mu.Lock()
		for _, c := range u.conns {
			c.Close()
		}
		u.mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			u.mu.Lock()
			u.conns = append(u.conns, c)
			u.mu.Unlock()
			wg.Go(func() { u.serve(c) })
		}
	})
	return u
}

func (u *rawUpstream) URL() string { return "http://" + u.l.Addr().String() }

func (u *rawUpstream) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	for {
		var req rawRequest
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			if req.line == "" {
				req.line = line
			} else {
				req.header = append(req.header, line)
			}
		}
		u.mu.Lock()
		u.reqs = append(u.reqs, req)
		u.mu.Unlock()
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
	}
}

// last returns the last request received, or false if none was.
func (u *rawUpstream) last() (rawRequest, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.reqs) == 0 {
		return rawRequest{}, false
	}
	return u.reqs[len(u.reqs)-1], true
}

func (u *rawUpstream) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.reqs)
}

// (r rawRequest) get returns the values of the header name as received.
func (r rawRequest) get(name string) []string {
	var vs []string
	for _, h := range r.header {
		k, v, _ := strings.Cut(h, ":")
		if strings.EqualFold(k, name) {
			vs = append(vs, strings.TrimSpace(v))
		}
	}
	return vs
}

// sendRaw writes req on a new connection to addr and returns the response
// status code.
func sendRaw(t *testing.T, addr, req string) int {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", req, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRequestTargetForwardedAsSent(t *testing.T) {
	up := newRawUpstream(t)
	based := newRawUpstream(t)
	gw := httptest.NewServer(mustGateway(t, Config{Upstream: up.URL()}))
	t.Cleanup(gw.Close)
	gwBased := httptest.NewServer(mustGateway(t, Config{Upstream: based.URL() + "/app/"}))
	t.Cleanup(gwBased.Close)
	addr, addrBased := gw.Listener.Addr().String(), gwBased.Listener.Addr().String()

	for _, c := range []struct {
		name, target, want string
		based              bool
	}{
		{name: "query with ';' and escapes", target: "/search?q=Tom%20%26%20Jerry;%20season%202&page=2",
			want: "/search?q=Tom%20%26%20Jerry;%20season%202&page=2"},
		{name: "query with raw characters", target: "/s?a=1;b=2&c={x}|y^z&d=%7e",
			want: "/s?a=1;b=2&c={x}|y^z&d=%7e"},
		{name: "escaped slash and lower-case escapes", target: "/files/a%2Fb/%7euser/c%2fd",
			want: "/files/a%2Fb/%7euser/c%2fd"},
		{name: "characters url.URL would escape", target: "/a|b/{c}/caf\xc3\xa9/%C3%A9",
			want: "/a|b/{c}/caf\xc3\xa9/%C3%A9"},
		{name: "escaped '#'", target: "/x%23y?k=%23", want: "/x%23y?k=%23"},
		{name: "empty query kept", target: "/x?", want: "/x?"},
		{name: "double slash", target: "//cdn.example//x", want: "//cdn.example//x"},
		{name: "absolute-form", target: "http://example.com/p;v=1?q=1", want: "/p;v=1?q=1"},
		{name: "absolute-form without path", target: "http://example.com?q=1", want: "/?q=1"},
		{name: "after the base path", target: "/x/%7E/y?z=1;2", want: "/app/x/%7E/y?z=1;2", based: true},
		{name: "double slash after the base path", target: "//x", want: "/app//x", based: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, u := addr, up
			if c.based {
				a, u = addrBased, based
			}
			status := sendRaw(t, a, "GET "+c.target+" HTTP/1.1\r\nHost: example.com\r\n\r\n")
			got, ok := u.last()
			if status != http.StatusOK || !ok {
				t.Fatalf("GET %s = %d, want 200 from the app", c.target, status)
			}
			if want := "GET " + c.want + " HTTP/1.1"; got.line != want {
				t.Errorf("GET %s reached the app as %q, want %q", c.target, got.line, want)
			}
		})
	}
}

func TestFragmentInTargetRefused(t *testing.T) {
	up := newRawUpstream(t)
	ev := newEvents()
	g, err := New(Config{Upstream: up.URL()}, Options{Bus: ev.bus, Logger: quiet().Logger})
	if err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(g)
	t.Cleanup(gw.Close)
	for _, target := range []string{"/x#/../.env", "/app.js#", "/?q=1#/../.env", "/#", "http://example.com/x#y"} {
		if got := sendRaw(t, gw.Listener.Addr().String(), "GET "+target+" HTTP/1.1\r\nHost: example.com\r\n\r\n"); got != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", target, got)
		}
	}
	if n := up.count(); n != 0 {
		t.Errorf("%d requests with a fragment reached the app", n)
	}
	ev.wait(t, "bad-request-target")
}

func TestForwardingHeadersFromUntrustedDropped(t *testing.T) {
	spoofed := map[string]string{
		"True-Client-IP": "6.6.6.1", "CF-Connecting-IP": "6.6.6.2", "X-Client-IP": "6.6.6.3",
		"X-Forwarded-Port": "443", "X-Forwarded-Prefix": "/admin", "X-Original-URL": "/admin",
		"X-Rewrite-URL": "/admin", "X-Cluster-Client-IP": "6.6.6.4", "Fastly-Client-IP": "6.6.6.5",
		"X-Forwarded-Server": "evil", "X-Forwarded-Scheme": "https", "X-Forwarded-Ssl": "on",
		"X-Original-Host": "evil.example", "X-Host": "evil.example", "X-Originating-IP": "6.6.6.6",
		"X-Remote-IP": "6.6.6.7", "X-Remote-Addr": "6.6.6.8", "X-ProxyUser-Ip": "6.6.6.9",
		"Client-IP": "6.6.6.10", "Front-End-Https": "on", "X-Forwarded-Client-Cert": "Hash=1;Subject=\"CN=admin\"",
	}
	kept := map[string]string{"X-HTTP-Method-Override": "DELETE", "X-Custom": "1"}
	var req strings.Builder
	req.WriteString("GET / HTTP/1.1\r\nHost: example.com\r\n")
	for k, v := range spoofed {
		req.WriteString(k + ": " + v + "\r\n")
	}
	for k, v := range kept {
		req.WriteString(k + ": " + v + "\r\n")
	}
	req.WriteString("\r\n")

	for _, c := range []struct {
		name    string
		trusted []string
	}{{"untrusted client", nil}, {"trusted proxy", []string{"127.0.0.1"}}} {
		t.Run(c.name, func(t *testing.T) {
			up := newRawUpstream(t)
			gw := httptest.NewServer(mustGateway(t, Config{Upstream: up.URL(), TrustedProxies: c.trusted}))
			t.Cleanup(gw.Close)
			if got := sendRaw(t, gw.Listener.Addr().String(), req.String()); got != http.StatusOK {
				t.Fatalf("GET / = %d", got)
			}
			got, _ := up.last()
			for k, v := range spoofed {
				vs := got.get(k)
				if c.trusted == nil && len(vs) != 0 {
					t.Errorf("%s: %q reached the app from an untrusted client", k, vs)
				}
				if c.trusted != nil && (len(vs) != 1 || vs[0] != v) {
					t.Errorf("%s from a trusted proxy reached the app as %q, want %q", k, vs, v)
				}
			}
			for k, v := range kept {
				if vs := got.get(k); len(vs) != 1 || vs[0] != v {
					t.Errorf("%s reached the app as %q, want %q", k, vs, v)
				}
			}
		})
	}
}

func TestForwardingHeadersCanonical(t *testing.T) {
	for _, k := range forwardingHeaders {
		if c := http.CanonicalHeaderKey(k); c != k {
			t.Errorf("forwardingHeaders has %q, which net/http stores as %q", k, c)
		}
	}
}

func mustGateway(t *testing.T, cfg Config) *Gateway {
	t.Helper()
	g, err := New(cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestSchemeAwareHeaders checks that HSTS and upgrade-insecure-requests go
// to clients that spoke HTTPS (here: as a trusted TLS proxy says), and not
// to plain-HTTP ones, whatever they claim.
func TestSchemeAwareHeaders(t *testing.T) {
	up := newUpstream(t, nil)
	for _, c := range []struct {
		name    string
		trusted []string
		https   bool
	}{{"behind a trusted TLS proxy", []string{"127.0.0.1"}, true}, {"plain-HTTP client claiming https", nil, false}} {
		t.Run(c.name, func(t *testing.T) {
			_, gw, _ := newGateway(t, Config{Upstream: up.URL, TrustedProxies: c.trusted})
			req, _ := http.NewRequest("GET", gw.URL+"/", nil)
			req.Header.Set("X-Forwarded-Proto", "https")
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			hsts := resp.Header.Get("Strict-Transport-Security")
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'self'") {
				t.Fatalf("Content-Security-Policy = %q, want Helmet's", csp)
			}
			if got := hsts != "" || strings.Contains(csp, "upgrade-insecure-requests"); got != c.https {
				t.Errorf("HSTS %q, CSP %q: want them (with upgrade-insecure-requests) %v", hsts, csp, c.https)
			}
		})
	}
}
