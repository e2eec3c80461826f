package headers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlainHTTPNoUpgrade checks that a plain-HTTP client gets neither
// Strict-Transport-Security nor upgrade-insecure-requests, and every other
// header and directive exactly as an HTTPS client does.
func TestPlainHTTPNoUpgrade(t *testing.T) {
	upgrade := ";upgrade-insecure-requests"
	tests := []struct {
		name         string
		cfg          Config
		hstsOverHTTP bool // plain HTTP keeps HSTS
		keepUpgrade  bool // plain HTTP keeps upgrade-insecure-requests
	}{
		{name: "defaults", cfg: Config{}},
		{name: "nonce", cfg: Config{ContentSecurityPolicy: &ContentSecurityPolicy{Nonce: true}}},
		{name: "report-only", cfg: Config{ContentSecurityPolicy: &ContentSecurityPolicy{ReportOnly: true}}},
		{name: "overHTTP", cfg: Config{
			StrictTransportSecurity: &StrictTransportSecurity{OverHTTP: true},
			ContentSecurityPolicy:   &ContentSecurityPolicy{UpgradeOverHTTP: true},
		}, hstsOverHTTP: true, keepUpgrade: true},
		{name: "legacy hsts name", cfg: Config{HSTS: &StrictTransportSecurity{Preload: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			https := fetchScheme(t, tt.cfg, "https")
			plain := fetchScheme(t, tt.cfg, "http")
			if https.Get("Strict-Transport-Security") == "" {
				t.Fatal("HTTPS client got no Strict-Transport-Security")
			}
			csp := "Content-Security-Policy"
			if https.Get(csp) == "" {
				csp += "-Report-Only"
			}
			if !strings.HasSuffix(https.Get(csp), upgrade) {
				t.Fatalf("HTTPS client's %s = %q, want upgrade-insecure-requests last", csp, https.Get(csp))
			}
			want := https.Clone()
			if !tt.hstsOverHTTP {
				delete(want, "Strict-Transport-Security")
			}
			if !tt.keepUpgrade {
				want.Set(csp, strings.TrimSuffix(https.Get(csp), upgrade))
			}
			if diff := cmp.Diff(want, plain); diff != "" {
				t.Errorf("plain-HTTP headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTTPSFromContext checks that the gateway's word (WithHTTPS), as for a
// client behind a trusted TLS proxy, counts as HTTPS.
func TestHTTPSFromContext(t *testing.T) {
	mw, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "http://example.com/", nil)
	mw(setting()).ServeHTTP(rec, r.WithContext(WithHTTPS(context.Background())))
	if got := rec.Result().Header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" {
		t.Errorf("Strict-Transport-Security = %q behind a TLS proxy", got)
	}
}

func TestOnlyUpgradeDirective(t *testing.T) {
	cfg := Config{ContentSecurityPolicy: &ContentSecurityPolicy{DangerouslyDisableDefaultSrc: true, UseDefaults: new(false),
		Directives: Directives{"upgrade-insecure-requests": {}}}}
	if got := fetchScheme(t, cfg, "https").Get("Content-Security-Policy"); got != "upgrade-insecure-requests" {
		t.Errorf("HTTPS policy = %q", got)
	}
	if got, ok := fetchScheme(t, cfg, "http")["Content-Security-Policy"]; ok {
		t.Errorf("plain-HTTP policy = %q, want none", got)
	}
}

// fetchScheme returns the headers cfg sets on a response to a request
// made with scheme, nonces replaced by N.
func fetchScheme(t *testing.T, cfg Config, scheme string) http.Header {
	t.Helper()
	mw, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	mw(setting()).ServeHTTP(rec, httptest.NewRequest("GET", scheme+"://example.com/", nil))
	h := rec.Result().Header
	for _, k := range []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"} {
		if v := h.Get(k); v != "" {
			h.Set(k, nonceRE.ReplaceAllString(v, "'nonce-N'"))
		}
	}
	return h
}

var nonceRE = regexp.MustCompile(`'nonce-[A-Za-z0-9_-]+'`)
