package clientip

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "192.0.2.7", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, peer string
		xff        []string
		fwd        string
		want       string
	}{
		{"no headers", "203.0.113.9:5555", nil, "", "203.0.113.9"},
		{"spoofed from untrusted peer", "203.0.113.9:5555", []string{"1.2.3.4"}, "", "203.0.113.9"},
		{"one trusted proxy", "10.1.2.3:80", []string{"198.51.100.4"}, "", "198.51.100.4"},
		{"client prepends a lie", "10.1.2.3:80", []string{"1.2.3.4, 198.51.100.4"}, "", "198.51.100.4"},
		{"two trusted proxies", "10.1.2.3:80", []string{"198.51.100.4, 192.0.2.7"}, "", "198.51.100.4"},
		{"several header lines", "10.1.2.3:80", []string{"1.2.3.4", "198.51.100.4, 10.9.9.9"}, "", "198.51.100.4"},
		{"garbage hop stops the walk", "10.1.2.3:80", []string{"198.51.100.4, evil, 10.9.9.9"}, "", "10.9.9.9"},
		{"all trusted", "10.1.2.3:80", []string{"10.5.5.5"}, "", "10.5.5.5"},
		{"trusted, no header", "10.1.2.3:80", nil, "", "10.1.2.3"},
		{"ipv6 with port", "[fd00::1]:80", []string{"[2001:db8::1]:4711"}, "", "2001:db8::1"},
		{"forwarded header", "10.1.2.3:80", nil, `for=192.0.2.60;proto=https, for="[2001:db8:cafe::17]:4711"`, "2001:db8:cafe::17"},
		{"forwarded ignored from untrusted", "203.0.113.9:1", nil, `for=1.1.1.1`, "203.0.113.9"},
		{"v4-mapped peer", "[::ffff:10.1.2.3]:80", []string{"198.51.100.4"}, "", "198.51.100.4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if tt.fwd != "" {
				req.Header.Set("Forwarded", tt.fwd)
			}
			if got := r.ClientIP(req).String(); got != tt.want {
				t.Errorf("ClientIP(peer %s, xff %q, fwd %q) = %s, want %s", tt.peer, tt.xff, tt.fwd, got, tt.want)
			}
		})
	}
}

func TestHTTPS(t *testing.T) {
	r, _ := New([]string{"10.0.0.0/8"})
	req := func(peer, proto string, tlsOn bool) *http.Request {
		q := httptest.NewRequest("GET", "/", nil)
		q.RemoteAddr = peer
		if proto != "" {
			q.Header.Set("X-Forwarded-Proto", proto)
		}
		if tlsOn {
			q.TLS = &tls.ConnectionState{}
		}
		return q
	}
	tests := []struct {
		req  *http.Request
		want bool
	}{
		{req("203.0.113.9:1", "", false), false},
		{req("203.0.113.9:1", "https", false), false},
		{req("203.0.113.9:1", "", true), true},
		{req("10.0.0.1:1", "https", false), true},
		{req("10.0.0.1:1", "http", false), false},
	}
	for i, tt := range tests {
		if got := r.HTTPS(tt.req); got != tt.want {
			t.Errorf("case %d: HTTPS = %v, want %v", i, got, tt.want)
		}
	}
}

func TestNewRejectsBadCIDR(t *testing.T) {
	for _, s := range []string{"10.0.0.0/33", "not-an-ip", ""} {
		if _, err := New([]string{s}); err == nil {
			t.Errorf("New(%q) succeeded", s)
		}
	}
}

func FuzzClientIP(f *testing.F) {
	r, _ := New([]string{"10.0.0.0/8", "::1"})
	f.Add("1.2.3.4, 10.0.0.1", `for="[::1]:80"`)
	f.Add("[2001:db8::1]:1,,", "for=unknown")
	f.Fuzz(func(t *testing.T, xff, fwd string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "10.0.0.9:1"
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("Forwarded", fwd)
		if a := r.ClientIP(req); !a.IsValid() {
			t.Errorf("ClientIP gave an invalid address for %q %q", xff, fwd)
		}
	})
}
