package accounts

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestNotMeLinkNeverOnAClientsHost: without newDevice.linkBase, a thief
// logging in with Host: evil.example must not get the owner a genuine mail
// that links to the thief's site with the token. The mail goes without a
// link; on this machine's own host (a demo) it keeps one.
func TestNotMeLinkNeverOnAClientsHost(t *testing.T) {
	for _, tt := range []struct {
		host, base, want string
		link             bool
	}{
		{"evil.example", "", "", false},
		{"shop.example.com:8443", "", "", false},
		{"127.0.0.1:8080", "", "http://127.0.0.1:8080/.bulwark/not-me?t=", true},
		{"localhost:8080", "", "http://localhost:8080/.bulwark/not-me?t=", true},
		{"evil.example", "https://shop.example.com", "https://shop.example.com/.bulwark/not-me?t=", true},
	} {
		clock := newClock()
		w, rec := newTestWatch(t, Config{Preset: "express-example", NewDevice: NewDevice{LinkBase: tt.base}}, clock)
		h := w.Middleware()(&fakeApp{})
		login := func(ip string) {
			req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{
				"username": {"alice@example.com"}, "password": {"correct horse battery staple"}}.Encode()))
			req.Host = tt.host
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Test-IP", ip)
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
			rr := httptest.NewRecorder()
			h.ServeHTTP(rr, req)
			if rr.Code != http.StatusFound {
				t.Fatalf("login = %d, want the app's 302", rr.Code)
			}
		}
		login("198.51.100.1") // the first login: nothing new
		clock.Add(time.Minute)
		login("203.0.113.9") // a new network: a mail
		var mails []Mail
		for deadline := time.Now().Add(5 * time.Second); len(mails) == 0 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond) // mails leave on their own goroutine
			rec.mu.Lock()
			mails = rec.mails
			rec.mu.Unlock()
		}
		if len(mails) != 1 {
			t.Fatalf("Host %s, linkBase %q: %d mails, want 1", tt.host, tt.base, len(mails))
		}
		text := mails[0].Text
		if has := strings.Contains(text, "/.bulwark/not-me?t="); has != tt.link || (tt.link && !strings.Contains(text, tt.want)) {
			t.Errorf("Host %s, linkBase %q: mail\n%s\nwant a link %v (%s)", tt.host, tt.base, text, tt.link, tt.want)
		}
		if strings.Contains(text, "evil.example") {
			t.Errorf("Host %s: the mail names the client's host:\n%s", tt.host, text)
		}
	}
}
