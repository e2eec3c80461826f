package accounts_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/internal/clientip"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// sink keeps events and ban requests, as the bus and black book would.
type sink struct {
	mu     sync.Mutex
	events []event.Event
	bans   []accounts.Ban
}

func (s *sink) publish(e event.Event) { s.mu.Lock(); s.events = append(s.events, e); s.mu.Unlock() }
func (s *sink) BanIP(_ context.Context, b accounts.Ban) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bans = append(s.bans, b)
	return nil
}

func (s *sink) find(action, user string) (event.Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.events {
		if e.Action == action && (user == "" || e.UserName == user) {
			return e, true
		}
	}
	return event.Event{}, false
}

// client is one browser: its own cookies, address and User-Agent.
type client struct {
	t    *testing.T
	base string
	ip   string
	ua   string
	jar  *cookiejar.Jar
	http *http.Client
}

func newClient(t *testing.T, base, ip, ua string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, ip: ip, ua: ua, jar: jar, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) do(method, path, ctype, body string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("X-Forwarded-For", c.ip)
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (c *client) form(path string, v url.Values) *http.Response {
	resp, _ := c.do("POST", path, "application/x-www-form-urlencoded", v.Encode())
	return resp
}

func (c *client) sid() string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.jar.Cookies(u) {
		if ck.Name == "sid" {
			return ck.Value
		}
	}
	return ""
}

const (
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	chromeW = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
	alicePW = "correct horse battery staple"
	erinPW  = "erin-Is-Unique-2026#pw"
)

// TestEndToEndInFrontOfExpress puts the watch where guard puts it (after
// the client IP is decided and inspection, before the proxy) in front of
// the real example Express app, and checks each seed item.
func TestEndToEndInFrontOfExpress(t *testing.T) {
	upstream, _ := url.Parse(testutil.StartExpressApp(t).URL())

	pwned := testutil.StartPwnedRange(t, "password")
	outbox := t.TempDir()
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db, err := accounts.OpenDB(context.Background(), filepath.Join(t.TempDir(), "bulwark.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	resolver, _ := clientip.New([]string{"127.0.0.1/32", "::1/128"})
	s := &sink{}
	w, err := accounts.New(accounts.Config{
		Preset: "express-example",
		Breach: accounts.Breach{BaseURL: pwned.URL},
	}, accounts.Options{DB: db, Publish: s.publish, Mailer: accounts.Outbox{Dir: outbox}, Bans: s,
		Logger: logger, ClientIP: resolver.ClientIP})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := inspect.New(inspect.Config{})
	if err != nil {
		t.Fatal(err)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(upstream) }, ErrorLog: nil}
	report := func(r *http.Request, v inspect.Verdict) {
		s.publish(event.Event{Category: event.CategoryMalicious, Action: "attack-blocked", UserName: w.UserFor(r),
			SourceIP: resolver.ClientIP(r), Path: r.URL.Path, RuleID: v.Findings[0].RuleID})
	}
	chain := engine.Middleware(inspect.MiddlewareOptions{OnVerdict: report})(w.Middleware()(proxy))
	mux := http.NewServeMux()
	mux.Handle("/.bulwark/not-me", w.NotMeHandler())
	mux.Handle("/", chain)
	gw := httptest.NewServer(mux)
	defer gw.Close()

	var sids []string // every session cookie value a client held
	t.Run("failed-login burst blocks the user+IP pair", func(t *testing.T) {
		c := newClient(t, gw.URL, "198.51.100.10", firefox)
		for i := range 10 {
			if resp := c.form("/login", url.Values{"username": {"bob"}, "password": {fmt.Sprintf("guess-%d", i)}}); resp.StatusCode != 401 {
				t.Fatalf("failure %d = %d, want the app's 401", i, resp.StatusCode)
			}
		}
		resp := c.form("/login", url.Values{"username": {"bob"}, "password": {"hunter2-but-longer"}})
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("11th login = %d, want 429 at the gateway", resp.StatusCode)
		}
		other := newClient(t, gw.URL, "198.51.100.11", firefox)
		if resp := other.form("/login", url.Values{"username": {"bob"}, "password": {"hunter2-but-longer"}}); resp.StatusCode != 302 {
			t.Errorf("bob from another IP = %d, want 302", resp.StatusCode)
		}
		sids = append(sids, other.sid())
		if _, ok := s.find("login-pair-blocked", "bob"); !ok {
			t.Error("no login-pair-blocked event")
		}
	})

	t.Run("new-IP login mails a link that bans the IP and kills the sessions", func(t *testing.T) {
		home := newClient(t, gw.URL, "192.0.2.10", firefox)
		resp, _ := home.do("POST", "/api/login", "application/json", `{"username":"alice","password":"`+alicePW+`"}`)
		if resp.StatusCode != 200 {
			t.Fatalf("alice's JSON login = %d", resp.StatusCode)
		}
		if mails := readOutbox(t, outbox); len(mails) != 0 {
			t.Fatalf("a first login mailed %+v", mails)
		}
		thief := newClient(t, gw.URL, "203.0.113.50", chromeW)
		if resp := thief.form("/login", url.Values{"username": {"alice"}, "password": {alicePW}}); resp.StatusCode != 302 {
			t.Fatalf("the thief's login = %d, want 302", resp.StatusCode)
		}
		sids = append(sids, home.sid(), thief.sid())
		if resp, _ := thief.do("GET", "/api/me", "", ""); resp.StatusCode != 200 {
			t.Fatalf("thief's session before the click = %d, want 200", resp.StatusCode)
		}
		if _, ok := s.find("new-device-login", "alice"); !ok {
			t.Error("no new-device-login event")
		}
		m := waitMail(t, outbox, "alice@example.com", "New login")
		link := regexp.MustCompile(`http://\S+/\.bulwark/not-me\?t=\S+`).FindString(m.Text)
		if link == "" {
			t.Fatalf("no link in %q", m.Text)
		}
		tok := strings.SplitN(link, "?t=", 2)[1]
		sids = append(sids, tok) // must not leak either
		owner := newClient(t, gw.URL, "192.0.2.10", firefox)
		resp, page := owner.do("GET", strings.TrimPrefix(link, gw.URL), "", "")
		if resp.StatusCode != 200 || len(s.bans) != 0 {
			t.Fatalf("GET link = %d, bans %v; want a confirmation page only", resp.StatusCode, s.bans)
		}
		if !strings.Contains(page, "method=\"post\"") {
			t.Fatalf("confirmation page without a form: %s", page)
		}
		if resp := owner.form("/.bulwark/not-me", url.Values{"t": {tok}}); resp.StatusCode != 200 {
			t.Fatalf("POST link = %d, want 200", resp.StatusCode)
		}
		s.mu.Lock()
		bans := append([]accounts.Ban(nil), s.bans...)
		s.mu.Unlock()
		if len(bans) != 1 || bans[0].IP != netip.MustParseAddr("203.0.113.50") || bans[0].User != "alice" {
			t.Errorf("bans = %+v, want the thief's IP, for alice", bans)
		}
		for name, c := range map[string]*client{"thief": thief, "home": home} {
			resp, _ := c.do("GET", "/api/me", "", "")
			if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("Set-Cookie"), "sid=;") {
				t.Errorf("%s's session after the click = %d (Set-Cookie %q), want 401 clearing sid", name, resp.StatusCode, resp.Header.Get("Set-Cookie"))
			}
		}
		if resp := owner.form("/.bulwark/not-me", url.Values{"t": {tok}}); resp.StatusCode != http.StatusGone {
			t.Errorf("second use = %d, want 410", resp.StatusCode)
		}
	})

	erin := newClient(t, gw.URL, "192.0.2.20", firefox)
	t.Run("email change notifies the old address", func(t *testing.T) {
		if resp := erin.form("/register", url.Values{"username": {"erin"}, "email": {"erin@example.com"}, "password": {erinPW}}); resp.StatusCode != 302 {
			t.Fatalf("register = %d", resp.StatusCode)
		}
		if resp := erin.form("/profile/email", url.Values{"email": {"erin@new.example"}}); resp.StatusCode != 302 {
			t.Fatalf("email change = %d", resp.StatusCode)
		}
		waitMail(t, outbox, "erin@example.com", "email address was changed")
		if _, ok := s.find("email-changed", "erin"); !ok {
			t.Error("no email-changed event")
		}
	})

	t.Run("breached password is flagged at login, not at failures", func(t *testing.T) {
		before := pwned.Hits()
		if resp := erin.form("/profile/password", url.Values{"current_password": {"wrong"}, "new_password": {"password"}}); resp.StatusCode != 403 {
			t.Fatalf("failed password change = %d, want 403", resp.StatusCode)
		}
		if resp := erin.form("/profile/password", url.Values{"current_password": {erinPW}, "new_password": {"password"}}); resp.StatusCode != 302 {
			t.Fatalf("password change = %d", resp.StatusCode)
		}
		c := newClient(t, gw.URL, "192.0.2.20", firefox)
		if resp := c.form("/login", url.Values{"username": {"erin"}, "password": {"wrong-one"}}); resp.StatusCode != 401 {
			t.Fatalf("failed login = %d", resp.StatusCode)
		}
		if resp := c.form("/login", url.Values{"username": {"erin"}, "password": {"password"}}); resp.StatusCode != 302 {
			t.Fatalf("login = %d", resp.StatusCode)
		}
		sids = append(sids, erin.sid(), c.sid())
		var atLogin bool
		s.mu.Lock()
		for _, e := range s.events {
			if e.Action == "breached-password" && e.UserName == "erin" && e.Labels["route"] == "login" {
				atLogin = true
			}
		}
		s.mu.Unlock()
		if !atLogin {
			t.Error("no breached-password event at erin's login")
		}
		if got := pwned.Hits() - before; got > 2 {
			t.Errorf("%d range requests, want at most 2 (successes only, then cached)", got)
		}
	})

	t.Run("SQLi in a logged-in session is attributed to the user", func(t *testing.T) {
		resp, _ := erin.do("GET", "/search?q="+url.QueryEscape("' UNION SELECT name, value, 1, 2 FROM secrets--"), "", "")
		if resp.StatusCode != 403 {
			t.Fatalf("SQLi = %d, want 403 from inspect", resp.StatusCode)
		}
		if _, ok := s.find("attack-blocked", "erin"); !ok {
			t.Errorf("no attack-blocked event for erin: %+v", s.events)
		}
	})

	t.Run("no secret in events, logs or the store", func(t *testing.T) {
		w.Close()
		var all bytes.Buffer
		s.mu.Lock()
		for _, e := range s.events {
			b, _ := json.Marshal(e)
			all.Write(b)
		}
		s.mu.Unlock()
		logMu.Lock()
		all.Write(logs.Bytes())
		logMu.Unlock()
		all.WriteString(testutil.DumpSQLite(t, db))
		secrets := append([]string{alicePW, erinPW, "hunter2-but-longer", "guess-3", "wrong-one"}, sids...)
		for _, sec := range secrets {
			if sec == "" {
				t.Errorf("an empty secret in the list: a session was not captured")
				continue
			}
			for _, form := range []string{sec, url.QueryEscape(sec)} {
				if bytes.Contains(all.Bytes(), []byte(form)) {
					t.Errorf("secret %.6s… found in events, logs or store", sec)
				}
			}
		}
		sum := sha1.Sum([]byte("password"))
		if bytes.Contains(bytes.ToUpper(all.Bytes()), []byte(strings.ToUpper(hex.EncodeToString(sum[:])))) {
			t.Error("a password's SHA-1 was kept")
		}
	})
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func readOutbox(t *testing.T, dir string) []accounts.Mail {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var out []accounts.Mail
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m accounts.Mail
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, m)
	}
	return out
}

// waitMail waits, bounded, for a mail to to whose subject contains subject.
func waitMail(t *testing.T, dir, to, subject string) accounts.Mail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range readOutbox(t, dir) {
			if m.To == to && strings.Contains(m.Subject, subject) {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no mail to %s about %q in 10s; outbox: %+v", to, subject, readOutbox(t, dir))
	return accounts.Mail{}
}
