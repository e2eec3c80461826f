package scenario

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/bulwark-sec/bulwark/event"

	"github.com/google/go-cmp/cmp"
)

func TestLoginUserIPTriggersOnTenth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		for i := 1; i <= 9; i++ {
			e.Handle(loginFailure("203.0.113.9", "alice"))
			time.Sleep(10 * time.Second)
		}
		if got := b.decisions(); len(got) != 0 {
			t.Fatalf("after 9 failures: decisions %+v, want none", got)
		}
		e.Handle(loginFailure("203.0.113.9", "Alice"))
		got := b.decisions()
		if len(got) != 1 {
			t.Fatalf("after 10 failures: %d decisions (%+v), want 1", len(got), got)
		}
		d := got[0]
		want := Decision{
			Scenario: LoginUserIP,
			Target:   Target{IP: ip("203.0.113.9"), User: "alice"},
			Duration: 15 * time.Minute,
			Reason:   "10 failed logins for alice from 203.0.113.9 in 1m30s",
			Evidence: []string{"POST /login: login failed for alice", "POST /login: login failed for alice", "POST /login: login failed for Alice"},
			Time:     time.Now(),
		}
		if diff := cmp.Diff(want, d, cmp.Comparer(func(a, b Target) bool { return a == b })); diff != "" {
			t.Errorf("decision (-want +got):\n%s", diff)
		}
		// The bucket was emptied and the pair is left alone while banned:
		// one attack, one decision.
		for range 30 {
			e.Handle(loginFailure("203.0.113.9", "alice"))
		}
		if got := by(b.decisions(), LoginUserIP); len(got) != 1 {
			t.Errorf("30 more failures during the ban made %d login-user-ip decisions, want still 1", len(got))
		}
	})
}

func TestLoginFailuresSpreadOutLeak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		// One failure per leak interval (3m) for an hour: 20 failures, but
		// the bucket never holds more than one.
		for range 20 {
			e.Handle(loginFailure("203.0.113.9", "alice"))
			time.Sleep(3 * time.Minute)
		}
		if got := b.decisions(); len(got) != 0 {
			t.Errorf("20 failures 3m apart: decisions %+v, want none", got)
		}
	})
}

func TestLoginSuccessResetsUserIP(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		for range 9 {
			e.Handle(loginFailure("203.0.113.9", "alice"))
		}
		e.Handle(loginSuccess("203.0.113.9", "alice"))
		for range 9 {
			e.Handle(loginFailure("203.0.113.9", "alice"))
		}
		if got := by(b.decisions(), LoginUserIP); len(got) != 0 {
			t.Errorf("9 failures, a success, 9 failures: %+v, want no decision (Auth0 counts consecutive failures)", got)
		}
		e.Handle(loginFailure("203.0.113.9", "alice"))
		if got := by(b.decisions(), LoginUserIP); len(got) != 1 {
			t.Errorf("10th consecutive failure: %d decisions, want 1", len(got))
		}
	})
}

func TestSlowBruteForceCaughtByLongWindows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		start := time.Now()
		// One failure every 10 minutes for 20 hours: 120 failures, far
		// under login-ip (20 in ~10m) and login-user-ip (10 in ~30m).
		for range 120 {
			e.Handle(loginFailure("198.51.100.23", "admin"))
			time.Sleep(10 * time.Minute)
		}
		ds := b.decisions()
		for _, short := range []string{LoginIP, LoginUserIP, CredentialStuffing} {
			if got := by(ds, short); len(got) != 0 {
				t.Errorf("%s decided %+v, want nothing for 6 failures an hour", short, got)
			}
		}
		user := by(ds, LoginUserSlow)
		if len(user) == 0 {
			t.Fatalf("login-user-slow decided nothing in 20h; decisions: %+v", ds)
		}
		if got, want := user[0].Target, (Target{User: "admin"}); got != want {
			t.Errorf("login-user-slow target = %+v, want %+v (the account, not an IP)", got, want)
		}
		ipSlow := by(ds, LoginIPSlow)
		if len(ipSlow) == 0 {
			t.Fatalf("login-ip-slow decided nothing in 20h; decisions: %+v", ds)
		}
		if got, want := ipSlow[0].Target, (Target{IP: ip("198.51.100.23")}); got != want {
			t.Errorf("login-ip-slow target = %+v, want %+v", got, want)
		}
		t.Logf("login-user-slow after %s: %s", user[0].Time.Sub(start), user[0].Reason)
		t.Logf("login-ip-slow after %s: %s", ipSlow[0].Time.Sub(start), ipSlow[0].Reason)
	})
}

func TestCredentialStuffing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		users := []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"}
		for _, u := range users[:9] {
			e.Handle(loginFailure("192.0.2.77", u))
			e.Handle(loginFailure("192.0.2.77", u)) // a repeat is not a new user
			time.Sleep(5 * time.Second)
		}
		if got := b.decisions(); len(got) != 0 {
			t.Fatalf("9 distinct users: %+v, want none", got)
		}
		e.Handle(loginFailure("192.0.2.77", users[9]))
		got := by(b.decisions(), CredentialStuffing)
		if len(got) != 1 {
			t.Fatalf("10 distinct users: %d credential-stuffing decisions, want 1 (all: %+v)", len(got), b.decisions())
		}
		if want := (Target{IP: ip("192.0.2.77")}); got[0].Target != want {
			t.Errorf("target = %+v, want %+v", got[0].Target, want)
		}
		if want := "10 user names with failed logins from 192.0.2.77 in 45s"; got[0].Reason != want {
			t.Errorf("reason = %q, want %q", got[0].Reason, want)
		}
	})
}

// TestServiceLoginsAsFail2ban: failed logins to the server's own SSH (as
// bulwark watch reports them) ban at fail2ban's sshd defaults — 5 in 10
// minutes — while the same number of web login failures does not.
func TestServiceLoginsAsFail2ban(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		ssh := func(addr string) event.Event {
			ev := loginFailure(addr, "root")
			ev.Labels = map[string]string{"service": "ssh"}
			return ev
		}
		for range 4 { // the 5 failures span 9m30s: inside fail2ban's 10m
			e.Handle(ssh("198.51.100.7"))
			e.Handle(loginFailure("198.51.100.8", "root"))
			time.Sleep(2*time.Minute + 22*time.Second)
		}
		if got := b.decisions(); len(got) != 0 {
			t.Fatalf("after 4 failures: %+v, want none", got)
		}
		e.Handle(ssh("198.51.100.7"))
		e.Handle(loginFailure("198.51.100.8", "root"))
		got := by(b.decisions(), SSHLogin)
		if len(got) != 1 || got[0].Target.IP != ip("198.51.100.7") || got[0].Duration != 10*time.Minute {
			t.Fatalf("after the 5th SSH failure: %+v, want one 10m ban of 198.51.100.7", b.decisions())
		}
		if len(b.decisions()) != 1 {
			t.Errorf("5 web login failures made a decision too: %+v", b.decisions())
		}
	})
}

// TestSlowSSHGuessingFail2banMisses: one failure every 3 minutes never puts
// 5 inside fail2ban's 10-minute window, so fail2ban's sshd jail never bans
// it; the leaky bucket does within the hour.
func TestSlowSSHGuessingFail2banMisses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b})
		n := 0
		for ; n < 20 && len(by(b.decisions(), SSHLogin)) == 0; n++ {
			ev := loginFailure("198.51.100.9", "root")
			ev.Labels = map[string]string{"service": "ssh"}
			e.Handle(ev)
			time.Sleep(3 * time.Minute)
		}
		if len(by(b.decisions(), SSHLogin)) != 1 || n > 10 {
			t.Fatalf("after %d failures 3 minutes apart: %+v, want an ssh-login ban within 10", n, b.decisions())
		}
		t.Logf("banned after %d failures, %d minutes", n, 3*(n-1))
	})
}
