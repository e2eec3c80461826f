package console

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

func TestMain(m *testing.M) {
	bcryptCost = bcrypt.MinCost // the cost is bcrypt's, not what these tests check
	os.Exit(m.Run())
}

const testToken = "admin-token-for-tests"

// fakeAPI stands for the admin API: it answers with what it was asked.
var fakeAPI = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"method": r.Method, "path": r.URL.Path,
		"rawPath": r.URL.RawPath, "cookie": r.Header.Get("Cookie"), "csrf": r.Header.Get(csrfHeader)})
})

type testConsole struct {
	*Console
	srv *httptest.Server
	db  *sqlite.DB
}

func newTestConsole(t *testing.T, cfg Config) *testConsole {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bulwark.db"), sqlite.Migrations{"console": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, err := New(ctx, cfg, Options{DB: db, Bus: event.NewBus(nil)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	mux := http.NewServeMux()
	mux.Handle("/v1/", c.Recorder().Handler())
	mux.Handle("/v1/bans", fakeAPI)
	mux.Handle("/v1/bans/", fakeAPI)
	root := http.NewServeMux()
	root.Handle("/console/", c.Handler(mux, testToken))
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	return &testConsole{Console: c, srv: srv, db: db}
}

// client returns a browser-like client: cookies kept, redirects not
// followed. httptest serves plain http, so the jar is told the cookie's
// Secure flag may be sent (as browsers do for loopback addresses).
func (tc *testConsole) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: secureJar{jar}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type secureJar struct{ *cookiejar.Jar }

func (j secureJar) Cookies(u *url.URL) []*http.Cookie {
	v := *u
	v.Scheme = "https"
	return j.Jar.Cookies(&v)
}

func (j secureJar) SetCookies(u *url.URL, cs []*http.Cookie) {
	v := *u
	v.Scheme = "https"
	j.Jar.SetCookies(&v, cs)
}

func (tc *testConsole) login(t *testing.T, c *http.Client, password string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(tc.srv.URL+"/console/login", url.Values{"password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestLogin(t *testing.T) {
	tc := newTestConsole(t, Config{})
	pw := tc.StartPassword()
	if len(pw) < MinPassword {
		t.Fatalf("StartPassword() = %q, want a generated password", pw)
	}
	tests := []struct {
		name     string
		password string
		want     int
	}{
		{"generated password", pw, http.StatusSeeOther},
		{"admin token", testToken, http.StatusSeeOther},
		{"wrong password", "wrong password here", http.StatusUnauthorized},
		{"empty", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tc.client()
			resp := tc.login(t, c, tt.password)
			if resp.StatusCode != tt.want {
				t.Fatalf("login: %s, want %d", resp.Status, tt.want)
			}
			ck := resp.Cookies()
			if tt.want != http.StatusSeeOther {
				if len(ck) != 0 {
					t.Errorf("failed login set cookies %v", ck)
				}
				return
			}
			if len(ck) != 1 || !ck[0].Secure || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode || ck[0].Path != "/console/" {
				t.Errorf("session cookie = %+v, want Secure, HttpOnly, SameSite=Strict, Path=/console/", ck)
			}
			page, err := c.Get(tc.srv.URL + "/console/overview")
			if err != nil {
				t.Fatal(err)
			}
			page.Body.Close()
			if page.StatusCode != http.StatusOK {
				t.Errorf("overview after login: %s", page.Status)
			}
		})
	}
}

func TestSessionStoredAsHash(t *testing.T) {
	tc := newTestConsole(t, Config{})
	resp := tc.login(t, tc.client(), tc.StartPassword())
	id := resp.Cookies()[0].Value
	var n int
	tc.db.QueryRow(`SELECT count(*) FROM console_sessions WHERE hash = ?`, id).Scan(&n)
	if n != 0 {
		t.Error("the session id itself is in the store")
	}
	tc.db.QueryRow(`SELECT count(*) FROM console_sessions WHERE hash = ?`, sessionHash(id)).Scan(&n)
	if n != 1 {
		t.Error("the session's hash is not in the store")
	}
	var h string
	tc.db.QueryRow(`SELECT hash FROM console_password`).Scan(&h)
	if strings.Contains(h, tc.StartPassword()) || !strings.HasPrefix(h, "$2") {
		t.Errorf("password stored as %q, want a bcrypt hash", h)
	}
}

func TestNoSessionRedirectsOr401(t *testing.T) {
	tc := newTestConsole(t, Config{})
	c := tc.client()
	for _, p := range pageNames {
		resp, err := c.Get(tc.srv.URL + "/console/" + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/login" {
			t.Errorf("GET /console/%s without a session: %s to %q, want 303 to /console/login", p, resp.Status, resp.Header.Get("Location"))
		}
	}
	resp, _ := c.Get(tc.srv.URL + "/console/api/v1/bans")
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without a session: %s, want 401", resp.Status)
	}
	c.Jar.SetCookies(mustURL(tc.srv.URL+"/console/"), []*http.Cookie{{Name: cookieName, Value: "forged", Path: "/console/"}})
	resp, _ = c.Get(tc.srv.URL + "/console/api/v1/bans")
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API with a forged session: %s, want 401", resp.Status)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestCSRF(t *testing.T) {
	tc := newTestConsole(t, Config{})
	c := tc.client()
	resp := tc.login(t, c, tc.StartPassword())
	token := csrfToken(resp.Cookies()[0].Value)
	tests := []struct {
		method, csrf string
		want         int
	}{
		{"GET", "", http.StatusOK},
		{"POST", "", http.StatusForbidden},
		{"POST", "wrong", http.StatusForbidden},
		{"DELETE", "", http.StatusForbidden},
		{"POST", token, http.StatusOK},
		{"DELETE", token, http.StatusOK},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, tc.srv.URL+"/console/api/v1/bans/10.0.0.0%2F8", strings.NewReader(`{}`))
		if tt.csrf != "" {
			req.Header.Set(csrfHeader, tt.csrf)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s with CSRF %q: %s, want %d", tt.method, tt.csrf, resp.Status, tt.want)
			continue
		}
		if tt.want == http.StatusOK {
			if got["path"] != "/v1/bans/10.0.0.0/8" || got["rawPath"] != "/v1/bans/10.0.0.0%2F8" || got["cookie"] != "" || got["csrf"] != "" {
				t.Errorf("%s reached the API as %v, want path /v1/bans/10.0.0.0%%2F8 without cookie or CSRF header", tt.method, got)
			}
		}
	}
}

func TestPagesCarryStrictHeaders(t *testing.T) {
	tc := newTestConsole(t, Config{})
	c := tc.client()
	tc.login(t, c, tc.StartPassword())
	for _, p := range append([]string{"login", "static/console.js"}, pageNames...) {
		resp, err := c.Get(tc.srv.URL + "/console/" + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != http.StatusOK || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("/console/%s: %s, CSP %q", p, resp.Status, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("/console/%s lacks nosniff or X-Frame-Options: DENY: %v", p, resp.Header)
		}
		if strings.HasSuffix(p, ".js") {
			continue
		}
		html := string(body)
		if strings.Contains(html, "<script>") || strings.Contains(html, " style=") || strings.Contains(html, "<style") || strings.Contains(html, " onclick") {
			t.Errorf("/console/%s has inline script or style", p)
		}
	}
}

func TestLoginRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tc := newTestConsole(t, Config{LoginFailures: 3, LoginWindow: time.Minute})
	tc.clock = func() time.Time { return now }
	c := tc.client()
	for i := range 3 {
		if resp := tc.login(t, c, "wrong password nr"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %s, want 401", i+1, resp.Status)
		}
	}
	resp := tc.login(t, c, tc.StartPassword())
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("right password after 3 failures: %s, want 429 with Retry-After", resp.Status)
	}
	now = now.Add(time.Minute)
	if resp := tc.login(t, c, tc.StartPassword()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password a minute later: %s, want 303", resp.Status)
	}
}

func TestLoginFromAnotherSiteRefused(t *testing.T) {
	tc := newTestConsole(t, Config{})
	tests := []struct {
		header, value string
		want          int
	}{
		{"Origin", "https://evil.example", http.StatusForbidden},
		{"Sec-Fetch-Site", "cross-site", http.StatusForbidden},
		{"Sec-Fetch-Site", "same-site", http.StatusForbidden},
		{"Sec-Fetch-Site", "same-origin", http.StatusSeeOther},
		{"Origin", "null", http.StatusSeeOther}, // Referrer-Policy: no-referrer
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("POST", tc.srv.URL+"/console/login", strings.NewReader("password="+url.QueryEscape(tc.StartPassword())))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(tt.header, tt.value)
		resp, err := tc.client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("login with %s: %s: %s, want %d", tt.header, tt.value, resp.Status, tt.want)
		}
	}
}

func TestSetPasswordReplacesGenerated(t *testing.T) {
	tc := newTestConsole(t, Config{})
	ctx := context.Background()
	if err := SetPassword(ctx, tc.db.DB, "short", time.Now()); err == nil {
		t.Error("SetPassword accepted a 5-character password")
	}
	if err := SetPassword(ctx, tc.db.DB, "correct horse battery staple", time.Now()); err != nil {
		t.Fatal(err)
	}
	if pw, err := startPassword(ctx, tc.db.DB, time.Now()); err != nil || pw != "" {
		t.Errorf("startPassword after SetPassword = %q, %v; want none", pw, err)
	}
	if resp := tc.login(t, tc.client(), tc.StartPassword()); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("generated password after SetPassword: %s, want 401", resp.Status)
	}
	if resp := tc.login(t, tc.client(), "correct horse battery staple"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("set password: %s, want 303", resp.Status)
	}
}

func TestLogout(t *testing.T) {
	tc := newTestConsole(t, Config{})
	c := tc.client()
	id := tc.login(t, c, tc.StartPassword()).Cookies()[0].Value
	req, _ := http.NewRequest("POST", tc.srv.URL+"/console/logout", nil)
	req.Header.Set(csrfHeader, csrfToken(id))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %s", resp.Status)
	}
	if ok, _ := validSession(context.Background(), tc.db.DB, id, time.Now()); ok {
		t.Error("session still valid after logout")
	}
}

func TestConfigRetention(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want string // in the error; "" for none
	}{
		{Config{}, ""},
		{Config{RetentionDays: 30, Events: 500000}, ""},
		{Config{RetentionDays: -1}, "retentionDays: must be between 1 and 90, got -1"},
		{Config{RetentionDays: 400}, "retentionDays: must be between 1 and 90, got 400"},
		{Config{Events: 2_000_000}, "events: must be between 1 and 1000000"},
	} {
		err := tt.cfg.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v.Validate() = %v, want %q", tt.cfg, err, tt.want)
		}
	}
	if d := (Config{}).WithDefaults(); d.RetentionDays != 7 || d.Events != 100000 {
		t.Errorf("defaults: retentionDays %d, events %d; want 7 and 100000", d.RetentionDays, d.Events)
	}
}
