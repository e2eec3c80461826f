package headers

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// TestValidateErrors covers the mistakes only Bulwark's additions can make,
// and the shape of the errors; Helmet's own are in parity_test.go.
func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string
		want  string
	}{
		{"report path not a path", Config{ContentSecurityPolicy: &ContentSecurityPolicy{ReportPath: "csp-report"}},
			"contentSecurityPolicy.reportPath", `"csp-report" must be a path starting with / or an http(s) URL`},
		{"report path with space", Config{ContentSecurityPolicy: &ContentSecurityPolicy{ReportPath: "/a b"}},
			"contentSecurityPolicy.reportPath", "must be printable ASCII without spaces"},
		{"report path and report-uri", Config{ContentSecurityPolicy: &ContentSecurityPolicy{ReportPath: "/r", Directives: Directives{"reportUri": {"/x"}}}},
			"contentSecurityPolicy.reportPath", "conflicts with directives.reportUri"},
		{"control character", Config{ContentSecurityPolicy: &ContentSecurityPolicy{Directives: Directives{"img-src": {"a\r\nSet-Cookie: x=y"}}}},
			"contentSecurityPolicy.directives.img-src", "must be printable ASCII"},
		{"non-ascii host", Config{ContentSecurityPolicy: &ContentSecurityPolicy{Directives: Directives{"img-src": {"https://bücher.example"}}}},
			"contentSecurityPolicy.directives.img-src", "punycode"},
		{"disabled default-src also given", Config{ContentSecurityPolicy: &ContentSecurityPolicy{DangerouslyDisableDefaultSrc: true, Directives: Directives{"defaultSrc": {"'self'"}}}},
			"contentSecurityPolicy.dangerouslyDisableDefaultSrc", "conflicts with directives.defaultSrc"},
		{"override on x-powered-by", Config{XPoweredBy: &Switch{Override: true}},
			"xPoweredBy.override", "has no meaning here"},
		{"no features", Config{PermissionsPolicy: &PermissionsPolicy{}},
			"permissionsPolicy.features", "no features"},
		{"bad feature name", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"Camera": {}}}},
			"permissionsPolicy.features.Camera", "invalid feature name"},
		{"quoted self", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"camera": {"'self'"}}}},
			"permissionsPolicy.features.camera", `"'self'" is not allowed here; write self without quotes`},
		{"none", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"camera": {"none"}}}},
			"permissionsPolicy.features.camera", "[] for none"},
		{"origin with path", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"camera": {"https://x.example/cam"}}}},
			"permissionsPolicy.features.camera", `"https://x.example/cam" is not self, * or an origin`},
		{"origin with quote", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"camera": {`https://x.example"`}}}},
			"permissionsPolicy.features.camera", "is not self, * or an origin"},
		{"star and more", Config{PermissionsPolicy: &PermissionsPolicy{Features: map[string][]string{"camera": {"*", "self"}}}},
			"permissionsPolicy.features.camera", "* already allows every origin"},
		{"negative max-age under legacy name", Config{HSTS: &StrictTransportSecurity{MaxAge: new(-5 * time.Second)}},
			"hsts.maxAge", "must be at least 0s, got -5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if err == nil {
				t.Fatal("Validate() = nil")
			}
			var f interface{ Field() string }
			if !errors.As(err, &f) || f.Field() != tt.field {
				t.Errorf("error %q is not about %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("Validate() = %q, want %s: ...%s...", err, tt.field, tt.want)
			}
			if _, err := New(tt.cfg); err == nil {
				t.Error("New succeeded")
			}
		})
	}
}

// TestAllErrors checks that Validate reports every mistake, each with its
// own path.
func TestAllErrors(t *testing.T) {
	err := Config{
		ReferrerPolicy:          &ReferrerPolicy{Policy: []string{"x"}},
		StrictTransportSecurity: &StrictTransportSecurity{MaxAge: new(-time.Second)},
		XFrameOptions:           &XFrameOptions{Action: "allow"},
	}.Validate()
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		got = append(got, e.(interface{ Field() string }).Field())
	}
	want := []string{"referrerPolicy.policy", "strictTransportSecurity.maxAge", "xFrameOptions.action"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error paths (-want +got):\n%s", diff)
	}
}

// TestYAMLRoundTrip checks that a Config printed with yaml.v3 reads back
// the same, removals and zero durations included.
func TestYAMLRoundTrip(t *testing.T) {
	in := Config{
		ContentSecurityPolicy: &ContentSecurityPolicy{
			UseDefaults: new(true),
			Directives: Directives{
				"script-src":                {"'self'", "https://cdn.example"},
				"upgrade-insecure-requests": nil,
				"sandbox":                   {},
			},
			ReportOnly: true, Nonce: true, ReportPath: "/.bulwark/csp-report",
		},
		CrossOriginEmbedderPolicy: &CrossOriginEmbedderPolicy{},
		ReferrerPolicy:            &ReferrerPolicy{Policy: []string{"no-referrer", "strict-origin-when-cross-origin"}},
		StrictTransportSecurity:   &StrictTransportSecurity{MaxAge: new(time.Duration(0)), IncludeSubDomains: new(false), Preload: true},
		XFrameOptions:             &XFrameOptions{Action: "deny", Override: true},
		XPoweredBy:                &Switch{Disable: true},
		PermissionsPolicy:         &PermissionsPolicy{Features: map[string][]string{"camera": {}, "geolocation": {"self"}}},
	}
	text, err := yaml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Config
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decoding\n%s: %v", text, err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip through\n%s(-in +out):\n%s", text, diff)
	}
	if !strings.Contains(string(text), "upgrade-insecure-requests: null") {
		t.Errorf("removal not written as null:\n%s", text)
	}
	if text, _ := yaml.Marshal(Config{}); string(text) != "{}\n" {
		t.Errorf("zero Config printed as %q, want {}", text)
	}
}
