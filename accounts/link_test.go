package accounts

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

func postNotMe(t *testing.T, h http.Handler, tok string) int {
	t.Helper()
	req := httptest.NewRequest("POST", "/.bulwark/not-me", strings.NewReader(url.Values{"t": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr.Code
}

func TestNotMeLink(t *testing.T) {
	clock := newClock()
	w, rec := newTestWatch(t, Config{}, clock)
	other, _ := newTestWatch(t, Config{}, clock) // another key
	ip := netip.MustParseAddr("203.0.113.7")
	h := w.NotMeHandler()

	good := w.signLink("alice", ip, clock.Now().Add(time.Hour))
	raw := []byte(good)
	raw[len(raw)/2] ^= 1 // one flipped character
	tampered := string(raw)
	// A token for bob made by swapping the user while keeping the MAC.
	forgedUser := other.signLink("bob", ip, clock.Now().Add(time.Hour))

	for _, tc := range []struct {
		name string
		tok  string
		want int
	}{
		{"empty", "", http.StatusBadRequest},
		{"garbage", "not-a-token", http.StatusBadRequest},
		{"tampered", tampered, http.StatusBadRequest},
		{"signed with another key", forgedUser, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := postNotMe(t, h, tc.tok); got != tc.want {
				t.Errorf("POST not-me with %s link = %d, want %d", tc.name, got, tc.want)
			}
		})
	}
	if len(rec.bans) != 0 {
		t.Fatalf("bans after bad links: %+v", rec.bans)
	}

	// GET only shows the confirmation page: nothing happens.
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest("GET", "/.bulwark/not-me?t="+good, nil))
	if rr.Code != 200 || len(rec.bans) != 0 || !strings.Contains(rr.Body.String(), `name="t"`) {
		t.Fatalf("GET = %d, bans %v; want a confirmation page and no ban", rr.Code, rec.bans)
	}

	if got := postNotMe(t, h, good); got != http.StatusOK {
		t.Fatalf("first use = %d, want 200", got)
	}
	if len(rec.bans) != 1 || rec.bans[0].IP != ip || rec.bans[0].User != "alice" {
		t.Fatalf("bans = %+v, want alice's login IP %s", rec.bans, ip)
	}
	if got := postNotMe(t, h, good); got != http.StatusGone {
		t.Errorf("replay = %d, want 410", got)
	}

	expiring := w.signLink("alice", ip, clock.Now().Add(time.Hour))
	clock.Add(time.Hour)
	if got := postNotMe(t, h, expiring); got != http.StatusGone {
		t.Errorf("after expiry = %d, want 410", got)
	}
	if len(rec.bans) != 1 {
		t.Errorf("bans = %d, want still 1", len(rec.bans))
	}
}

func FuzzParseLink(f *testing.F) {
	clock := newClock()
	w, _ := newTestWatch(f, Config{}, clock)
	f.Add(w.signLink("alice", netip.MustParseAddr("192.0.2.1"), clock.Now().Add(time.Hour)))
	f.Add(w.signLink("bob@example.com", netip.MustParseAddr("2001:db8::1"), clock.Now().Add(-time.Hour)))
	f.Add("")
	f.Add("AQ")
	f.Add(strings.Repeat("A", 500))
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := w.parseLink(s, clock.Now())
		if err == nil {
			// Only tokens this watch signed parse: the user must survive.
			if tok.user == "" || !clock.Now().Before(tok.expiry) {
				t.Fatalf("parseLink(%q) accepted %+v", s, tok)
			}
		}
	})
}

// A link whose revocation fails must not be spent, nor report success.
func TestNotMeLinkRevocationFails(t *testing.T) {
	clock := newClock()
	w, rec := newTestWatch(t, Config{}, clock)
	ctx := t.Context()
	if err := w.sessions.add(ctx, w.hashSession("s1"), "alice", clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE UPDATE ON accounts_sessions
		BEGIN SELECT RAISE(ABORT, 'test: the store refuses'); END`); err != nil {
		t.Fatal(err)
	}
	h := w.NotMeHandler()
	tok := w.signLink("alice", netip.MustParseAddr("203.0.113.7"), clock.Now().Add(time.Hour))
	if got := postNotMe(t, h, tok); got != http.StatusServiceUnavailable {
		t.Fatalf("POST not-me while revocation fails = %d, want 503", got)
	}
	if len(rec.bans) != 0 || rec.count("login-disowned") != 0 {
		t.Fatalf("after a failed revocation: bans %+v, events %v; want none", rec.bans, rec.actions())
	}
	if _, err := w.db.ExecContext(ctx, `DROP TRIGGER refuse`); err != nil {
		t.Fatal(err)
	}
	if got := postNotMe(t, h, tok); got != http.StatusOK {
		t.Fatalf("retry after the store recovers = %d, want 200", got)
	}
	if !w.sessions.isRevoked(w.hashSession("s1")) {
		t.Error("alice's session is not revoked after the retry")
	}
}
