package main

import (
	"bytes"
	"crypto/sha1"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestAccountsWatchThroughGuard checks each account-watch item of the seed
// through the real binary, configured by its file, in front of the real
// example app: failed-login bursts blocked, a login from a new IP mailing a
// link that bans the IP and kills the sessions, an email change notifying
// the old address, a breached password flagged at login, an SQLi attempt
// attributed to the logged-in user; then that no password, session cookie
// or link token is in any event, log line or store row.
func TestAccountsWatchThroughGuard(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app and gateway (runs in CI)")
	}
	app := testutil.StartExpressApp(t).URL()
	pwned := testutil.StartPwnedRange(t, "password")
	dir := t.TempDir()
	pub := testutil.FreeAddr(t)
	cfg := writeGatewayConfig(t, dir, pub, app, "", fmt.Sprintf(`accounts:
  preset: express-example
  breach: {baseURL: %s}
`, pwned.URL))
	gw := startGateway(t, cfg, pub)
	events := filepath.Join(dir, "events.jsonl")
	outbox := filepath.Join(dir, "outbox") // next to the store: no email notifier is configured

	const (
		bobPW  = "hunter2-but-longer"
		erinPW = "erin-Is-Unique-2026#pw"
		chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
	)
	secrets := []string{alicePass, bobPW, erinPW, "wrong-one"}
	var browsers []*accountClient // every session cookie they held is a secret too

	t.Run("failed-login burst is blocked", func(t *testing.T) {
		c := newAccountClient(t, pub, "198.51.100.10", browserUA)
		browsers = append(browsers, c)
		for i := range 10 {
			guess := fmt.Sprintf("guess-%02d-of-bob", i)
			secrets = append(secrets, guess)
			if got := c.form("/login", url.Values{"username": {"bob"}, "password": {guess}}); got != http.StatusUnauthorized {
				t.Fatalf("failed login %d = %d, want the app's 401", i+1, got)
			}
		}
		// The 11th is refused by the gateway, never judged by the app: the
		// pair is blocked (429) or the IP already banned (403).
		got := c.form("/login", url.Values{"username": {"bob"}, "password": {bobPW}})
		if got != http.StatusTooManyRequests && got != http.StatusForbidden {
			t.Fatalf("11th login, with the right password = %d, want 429 or 403 from the gateway", got)
		}
		t.Logf("11th login after 10 failures: %d", got)
		other := newAccountClient(t, pub, "198.51.100.11", browserUA)
		browsers = append(browsers, other)
		if got := other.form("/login", url.Values{"username": {"bob"}, "password": {bobPW}}); got != http.StatusFound {
			t.Errorf("bob from another IP = %d, want the app's 302: only the attacking pair is blocked", got)
		}
		testutil.Eventually(t, "a login-pair-blocked event for bob", func() bool { return len(findEvents(t, events, "login-pair-blocked", "bob")) > 0 })
	})

	var notMeToken string
	t.Run("new-IP login mails a link that bans the IP and kills the sessions", func(t *testing.T) {
		home := newAccountClient(t, pub, "192.0.2.10", browserUA)
		browsers = append(browsers, home)
		if got, _ := home.do("POST", "/api/login", "application/json", `{"username":"alice","password":"`+alicePass+`"}`); got != http.StatusOK {
			t.Fatalf("alice's first login = %d, want 200", got)
		}
		thief := newAccountClient(t, pub, "203.0.113.50", chrome)
		browsers = append(browsers, thief)
		if got := thief.form("/login", url.Values{"username": {"alice"}, "password": {alicePass}}); got != http.StatusFound {
			t.Fatalf("the thief's login = %d, want 302", got)
		}
		if got, _ := thief.do("GET", "/api/me", "", ""); got != http.StatusOK {
			t.Fatalf("the thief's session before the click = %d, want 200", got)
		}
		m := waitForMail(t, outbox, "alice@example.com", "New login")
		link := regexp.MustCompile(`http://\S+/\.bulwark/not-me\?t=\S+`).FindString(m.Text)
		if link == "" {
			t.Fatalf("no not-me link in the mail:\n%s", m.Text)
		}
		u, _ := url.Parse(link)
		notMeToken = u.Query().Get("t")
		owner := newAccountClient(t, pub, "192.0.2.10", browserUA)
		got, page := owner.do("GET", u.RequestURI(), "", "")
		if got != http.StatusOK || !strings.Contains(page, `method="post"`) {
			t.Fatalf("GET the link = %d, want a confirmation page with a form:\n%s", got, page)
		}
		if _, ok := banOf(t, cfg, "203.0.113.50"); ok {
			t.Fatal("fetching the link banned the IP: a mail scanner would do that")
		}
		if got := owner.form(u.Path, url.Values{"t": {notMeToken}}); got != http.StatusOK {
			t.Fatalf("POST the link = %d, want 200", got)
		}
		if _, ok := banOf(t, cfg, "203.0.113.50"); !ok {
			t.Error("bulwark bans list has no ban of the disowned login's IP 203.0.113.50")
		}
		if got, _ := thief.do("GET", "/api/me", "", ""); got != http.StatusForbidden {
			t.Errorf("the thief from 203.0.113.50 after the click = %d, want 403 (banned)", got)
		}
		thief.ip = "203.0.113.51" // a new address: the stolen session must be dead too
		for name, c := range map[string]*accountClient{"thief's": thief, "alice's own": home} {
			got, _ := c.do("GET", "/api/me", "", "")
			if got != http.StatusUnauthorized {
				t.Errorf("%s session after the click = %d, want 401", name, got)
			}
		}
		if got := owner.form(u.Path, url.Values{"t": {notMeToken}}); got != http.StatusGone {
			t.Errorf("second use of the link = %d, want 410", got)
		}
	})

	erin := newAccountClient(t, pub, "192.0.2.20", browserUA)
	browsers = append(browsers, erin)
	t.Run("email change notifies the old address", func(t *testing.T) {
		if got := erin.form("/register", url.Values{"username": {"erin"}, "email": {"erin@example.com"}, "password": {erinPW}}); got != http.StatusFound {
			t.Fatalf("register = %d, want 302", got)
		}
		if got := erin.form("/profile/email", url.Values{"email": {"erin@new.example"}}); got != http.StatusFound {
			t.Fatalf("email change = %d, want 302", got)
		}
		waitForMail(t, outbox, "erin@example.com", "email address was changed")
	})

	t.Run("breached password is flagged at login", func(t *testing.T) {
		if got := erin.form("/profile/password", url.Values{"current_password": {erinPW}, "new_password": {"password"}}); got != http.StatusFound {
			t.Fatalf("password change = %d, want 302", got)
		}
		c := newAccountClient(t, pub, "192.0.2.20", browserUA)
		browsers = append(browsers, c)
		if got := c.form("/login", url.Values{"username": {"erin"}, "password": {"wrong-one"}}); got != http.StatusUnauthorized {
			t.Fatalf("failed login = %d, want 401", got)
		}
		if got := c.form("/login", url.Values{"username": {"erin"}, "password": {"password"}}); got != http.StatusFound {
			t.Fatalf("login with the breached password = %d, want 302 (the default action only tells)", got)
		}
		testutil.Eventually(t, "a breached-password event for erin's login", func() bool {
			for _, e := range findEvents(t, events, "breached-password", "erin") {
				if e.Labels["route"] == "login" {
					return true
				}
			}
			return false
		})
		if pwned.Hits() == 0 {
			t.Error("the range API was never asked")
		}
	})

	t.Run("SQLi in a logged-in session is attributed to the user", func(t *testing.T) {
		got, _ := erin.do("GET", "/search?q="+url.QueryEscape("' UNION SELECT name, value, 1, 2 FROM secrets--"), "", "")
		if got != http.StatusForbidden {
			t.Fatalf("SQLi = %d, want 403", got)
		}
		testutil.Eventually(t, "an attack-blocked event attributed to erin", func() bool { return len(findEvents(t, events, "attack-blocked", "erin")) > 0 })
	})

	t.Run("no secret in events, logs or the store", func(t *testing.T) {
		gw.stop(t) // everything written and the store closed
		if notMeToken == "" {
			t.Error("the not-me token was not captured")
		}
		secrets = append(secrets, notMeToken)
		for _, b := range browsers {
			sids := b.sessionCookies()
			if len(sids) == 0 {
				continue // a browser refused before any login held none
			}
			secrets = append(secrets, sids...)
		}
		ev, err := os.ReadFile(events)
		if err != nil {
			t.Fatal(err)
		}
		places := map[string][]byte{"events": ev, "gateway log": []byte(gw.log.String()),
			"store": dumpSQLite(t, filepath.Join(dir, "bulwark.db"))}
		for _, sec := range secrets {
			if sec == "" {
				t.Error("an empty secret in the list: something was not captured")
				continue
			}
			unesc, _ := url.QueryUnescape(sec)
			for where, data := range places {
				for _, form := range []string{sec, url.QueryEscape(sec), unesc} {
					if bytes.Contains(data, []byte(form)) {
						t.Errorf("secret %.8q… found in the %s", sec, where)
					}
				}
			}
		}
		sum := sha1.Sum([]byte("password"))
		for where, data := range places {
			if bytes.Contains(bytes.ToUpper(data), []byte(strings.ToUpper(hex.EncodeToString(sum[:])))) {
				t.Errorf("the SHA-1 of a password is in the %s", where)
			}
		}
		t.Logf("%d secrets checked against %d bytes of events, %d of log, %d of store", len(secrets),
			len(places["events"]), len(places["gateway log"]), len(places["store"]))
	})
}

// accountClient is one user agent: its own cookies, address and User-Agent.
type accountClient struct {
	t    *testing.T
	pub  string
	ip   string
	ua   string
	jar  *cookiejar.Jar
	http *http.Client
	mu   sync.Mutex
	sids map[string]bool // every session cookie value it was given
}

func newAccountClient(t *testing.T, pub, ip, ua string) *accountClient {
	jar, _ := cookiejar.New(nil)
	return &accountClient{t: t, pub: pub, ip: ip, ua: ua, jar: jar, sids: map[string]bool{}, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *accountClient) do(method, path, ctype, body string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest(method, "http://"+b.pub+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("X-Forwarded-For", b.ip)
	req.Header.Set("User-Agent", b.ua)
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "sid" && c.Value != "" {
			b.mu.Lock()
			b.sids[c.Value] = true
			b.mu.Unlock()
		}
	}
	return resp.StatusCode, string(data)
}

func (b *accountClient) form(path string, v url.Values) int {
	b.t.Helper()
	status, _ := b.do("POST", path, "application/x-www-form-urlencoded", v.Encode())
	return status
}

func (b *accountClient) sessionCookies() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for v := range b.sids {
		out = append(out, v)
	}
	return out
}

type loggedEvent struct {
	Event  struct{ Action string }
	User   struct{ Name string }
	Labels map[string]string
}

// findEvents returns the events with action about user in the JSON lines
// file.
func findEvents(t *testing.T, path, action, user string) []loggedEvent {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading events: %v", err)
	}
	var out []loggedEvent
	for line := range bytes.Lines(data) {
		var e loggedEvent
		if json.Unmarshal(line, &e) == nil && e.Event.Action == action && e.User.Name == user {
			out = append(out, e)
		}
	}
	return out
}

type outboxMail struct{ To, Subject, Text string }

// waitForMail waits, bounded, for a mail to to whose subject contains
// subject in the outbox directory.
func waitForMail(t *testing.T, dir, to, subject string) outboxMail {
	t.Helper()
	var seen []outboxMail
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		seen = seen[:0]
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			var m outboxMail
			if b, err := os.ReadFile(f); err == nil && json.Unmarshal(b, &m) == nil {
				if m.To == to && strings.Contains(m.Subject, subject) {
					return m
				}
				seen = append(seen, m)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("no mail to %s about %q in 10s: the outbox is missing (%v); the gateway must create it", to, subject, err)
	}
	t.Fatalf("no mail to %s about %q in 10s; the outbox %s holds %+v", to, subject, dir, seen)
	return outboxMail{}
}

// dumpSQLite renders every row of every table of the store, opened read
// only, as text.
func dumpSQLite(t *testing.T, path string) []byte {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return []byte(testutil.DumpSQLite(t, db))
}
