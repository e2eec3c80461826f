package headers

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNonceCSP(t *testing.T) {
	tests := []struct {
		name string
		csp  ContentSecurityPolicy
		want string // with the nonce N
	}{
		{"defaults", ContentSecurityPolicy{},
			"default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';" +
				"script-src 'self' 'nonce-N';script-src-attr 'none';style-src 'self' https: 'unsafe-inline' 'nonce-N';upgrade-insecure-requests"},
		{"created from default-src", ContentSecurityPolicy{UseDefaults: new(false), Directives: Directives{"default-src": {"'self'", "https://cdn.example"}}},
			"default-src 'self' https://cdn.example;script-src 'self' https://cdn.example 'nonce-N';style-src 'self' https://cdn.example 'nonce-N'"},
		{"none stays none", ContentSecurityPolicy{UseDefaults: new(false), Directives: Directives{"default-src": {"'none'"}, "style-src": {}}},
			"default-src 'none';style-src;script-src 'none'"},
		{"elem directives", ContentSecurityPolicy{UseDefaults: new(false), Directives: Directives{"default-src": {"'self'"}, "scriptSrcElem": {"'self'"}}},
			"default-src 'self';script-src-elem 'self' 'nonce-N';script-src 'self' 'nonce-N';style-src 'self' 'nonce-N'"},
		{"without default-src", ContentSecurityPolicy{DangerouslyDisableDefaultSrc: true, UseDefaults: new(false), Directives: Directives{"img-src": {"'self'"}}},
			"img-src 'self'"},
		{"with report path", ContentSecurityPolicy{UseDefaults: new(false), Directives: Directives{"default-src": {"'self'"}}, ReportPath: "/.bulwark/csp-report"},
			"default-src 'self';report-uri /.bulwark/csp-report;script-src 'self' 'nonce-N';style-src 'self' 'nonce-N'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.csp.Nonce = true
			p, err := Config{ContentSecurityPolicy: &tt.csp}.compile()
			if err != nil {
				t.Fatal(err)
			}
			if got := p.nonce.render("N"); got != tt.want {
				t.Errorf("policy =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestNonceReachesApp checks that every response gets a fresh nonce, that
// the application sees the same nonce as the policy, and that a nonce sent
// by the client never reaches it.
func TestNonceReachesApp(t *testing.T) {
	for _, on := range []bool{true, false} {
		mw, err := New(Config{ContentSecurityPolicy: &ContentSecurityPolicy{Nonce: on}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if got, ctx := r.Header.Get(NonceHeader), NonceFromContext(r.Context()); got != ctx {
				t.Errorf("nonce header %q != NonceFromContext %q", got, ctx)
			}
			io.WriteString(w, r.Header.Get(NonceHeader))
		})))
		seen := map[string]bool{}
		for range 3 {
			req, _ := http.NewRequest("GET", srv.URL, nil)
			req.Header.Set(NonceHeader, "attacker")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			nonce, csp := string(body), resp.Header.Get("Content-Security-Policy")
			if !on {
				if nonce != "" || strings.Contains(csp, "nonce-") {
					t.Errorf("nonce off: app saw %q, policy %q", nonce, csp)
				}
				continue
			}
			if raw, err := base64.RawURLEncoding.DecodeString(nonce); err != nil || len(raw) != 16 {
				t.Errorf("nonce %q is not 16 bytes in base64url", nonce)
			}
			if seen[nonce] {
				t.Errorf("nonce %q used twice", nonce)
			}
			seen[nonce] = true
			if n := strings.Count(csp, "'nonce-"+nonce+"'"); n != 2 {
				t.Errorf("policy has the app's nonce %d times, want 2: %s", n, csp)
			}
		}
		srv.Close()
	}
}
