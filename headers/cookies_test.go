package headers

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHardenCookie(t *testing.T) {
	tests := []struct {
		name  string
		cfg   CookieConfig
		https bool
		in    string
		want  string
	}{
		{"plain, http", CookieConfig{}, false, "sid=abc", "sid=abc; HttpOnly; SameSite=Lax"},
		{"plain, https", CookieConfig{}, true, "sid=abc; Path=/", "sid=abc; Path=/; HttpOnly; SameSite=Lax; Secure"},
		{"already hardened", CookieConfig{}, true, "sid=abc; HttpOnly; Secure; SameSite=Strict", "sid=abc; HttpOnly; Secure; SameSite=Strict"},
		{"attribute names in any case", CookieConfig{}, true, "sid=abc; httponly; SECURE; samesite=strict", "sid=abc; httponly; SECURE; samesite=strict"},
		{"odd spacing", CookieConfig{}, true, "sid=abc;Path=/;  HttpOnly ;secure", "sid=abc;Path=/;  HttpOnly ;secure; SameSite=Lax"},
		{"explicit samesite kept", CookieConfig{}, false, "sid=abc; SameSite=Strict", "sid=abc; SameSite=Strict; HttpOnly"},
		{"unknown samesite value kept", CookieConfig{}, false, "sid=abc; SameSite=bogus", "sid=abc; SameSite=bogus; HttpOnly"},
		{"empty samesite value kept", CookieConfig{}, false, "sid=abc; SameSite", "sid=abc; SameSite; HttpOnly"},
		{"samesite none needs secure even on http", CookieConfig{}, false, "sid=abc; SameSite=None", "sid=abc; SameSite=None; HttpOnly; Secure"},
		{"samesite none, secure never", CookieConfig{Secure: "never"}, true, "sid=abc; SameSite=None", "sid=abc; SameSite=None; HttpOnly"},
		{"trailing semicolons", CookieConfig{}, false, "sid=abc; Path=/;  ; ", "sid=abc; Path=/; HttpOnly; SameSite=Lax"},
		{"expires with comma", CookieConfig{}, false, "sid=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "sid=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; SameSite=Lax"},
		{"value containing an attribute name", CookieConfig{}, false, "note=Secure; Path=/", "note=Secure; Path=/; HttpOnly; SameSite=Lax"},
		{"attribute value containing a name", CookieConfig{}, false, "sid=abc; Path=/HttpOnly", "sid=abc; Path=/HttpOnly; HttpOnly; SameSite=Lax"},
		{"nameless cookie", CookieConfig{}, false, "justavalue", "justavalue; HttpOnly; SameSite=Lax"},
		{"empty line untouched", CookieConfig{}, true, "  ", "  "},
		{"excluded from httponly", CookieConfig{Exclude: []string{"XSRF-TOKEN"}}, true, "XSRF-TOKEN=t0k", "XSRF-TOKEN=t0k; SameSite=Lax; Secure"},
		{"exclusion is case-sensitive", CookieConfig{Exclude: []string{"XSRF-TOKEN"}}, false, "xsrf-token=t0k", "xsrf-token=t0k; HttpOnly; SameSite=Lax"},
		{"exclusion trims spaces", CookieConfig{Exclude: []string{"XSRF-TOKEN"}}, false, " XSRF-TOKEN =t0k", " XSRF-TOKEN =t0k; SameSite=Lax"},
		{"secure always", CookieConfig{Secure: "always"}, false, "sid=abc", "sid=abc; HttpOnly; SameSite=Lax; Secure"},
		{"secure never", CookieConfig{Secure: "never"}, true, "sid=abc", "sid=abc; HttpOnly; SameSite=Lax"},
		{"httponly off", CookieConfig{HTTPOnly: new(false)}, false, "sid=abc", "sid=abc; SameSite=Lax"},
		{"samesite strict", CookieConfig{SameSite: "Strict"}, false, "sid=abc", "sid=abc; HttpOnly; SameSite=Strict"},
		{"samesite none adds secure", CookieConfig{SameSite: "none"}, false, "sid=abc", "sid=abc; HttpOnly; SameSite=None; Secure"},
		{"samesite off", CookieConfig{SameSite: "off"}, false, "sid=abc", "sid=abc; HttpOnly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.cfg.compile()
			if err != nil {
				t.Fatal(err)
			}
			if got := r.harden(tt.in, tt.https); got != tt.want {
				t.Errorf("harden(%q, https=%v) = %q, want %q", tt.in, tt.https, got, tt.want)
			}
		})
	}
}

func TestNewCookies(t *testing.T) {
	shared := []string{"sid=abc", "XSRF-TOKEN=t; Secure; SameSite=Strict"}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Set-Cookie"] = shared
		w.WriteHeader(http.StatusNoContent)
	})
	tests := []struct {
		name string
		cfg  CookieConfig
		req  func(*http.Request) *http.Request
		want []string
	}{
		{"http", CookieConfig{Exclude: []string{"XSRF-TOKEN"}}, nil,
			[]string{"sid=abc; HttpOnly; SameSite=Lax", "XSRF-TOKEN=t; Secure; SameSite=Strict"}},
		{"tls", CookieConfig{}, func(r *http.Request) *http.Request { r.TLS = &tls.ConnectionState{}; return r },
			[]string{"sid=abc; HttpOnly; SameSite=Lax; Secure", "XSRF-TOKEN=t; Secure; SameSite=Strict; HttpOnly"}},
		{"https behind a proxy", CookieConfig{}, func(r *http.Request) *http.Request { return r.WithContext(WithHTTPS(r.Context())) },
			[]string{"sid=abc; HttpOnly; SameSite=Lax; Secure", "XSRF-TOKEN=t; Secure; SameSite=Strict; HttpOnly"}},
		{"disabled", CookieConfig{Disable: true}, nil, shared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, err := NewCookies(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest("GET", "/", nil)
			if tt.req != nil {
				req = tt.req(req)
			}
			rec := httptest.NewRecorder()
			mw(app).ServeHTTP(rec, req)
			if diff := cmp.Diff(tt.want, rec.Result().Header["Set-Cookie"]); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
	if shared[0] != "sid=abc" {
		t.Errorf("the application's slice was changed: %q", shared)
	}
}

func TestCookieConfigErrors(t *testing.T) {
	tests := []struct {
		cfg   CookieConfig
		field string
		want  string
	}{
		{CookieConfig{SameSite: "loose"}, "sameSite", `sameSite: "loose" is not one of lax, strict, none, off`},
		{CookieConfig{Secure: "sometimes"}, "secure", `secure: "sometimes" is not one of auto, always, never`},
		{CookieConfig{SameSite: "none", Secure: "never"}, "sameSite", "sameSite: none needs Secure"},
		{CookieConfig{Exclude: []string{"a b"}}, "exclude", `exclude: "a b" is not a cookie name`},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		var f interface{ Field() string }
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &f) || f.Field() != tt.field {
			t.Errorf("%+v.Validate() = %v, want an error at %s containing %q", tt.cfg, err, tt.field, tt.want)
		}
		if _, err := NewCookies(tt.cfg); err == nil {
			t.Errorf("NewCookies(%+v) succeeded", tt.cfg)
		}
	}
}
