package scenario

import (
	"testing"

	"github.com/bulwark-sec/bulwark/event"
)

func TestFilterMatch(t *testing.T) {
	blocked := attack("192.0.2.1", "/search", "sqli", "bw-sqli-001", true)
	blocked.Labels["rules"] = "bw-sqli-001,bw-scan-001"
	ssh := loginFailure("192.0.2.1", "root")
	ssh.Labels = map[string]string{"service": "ssh"}
	tests := []struct {
		name string
		f    Filter
		e    event.Event
		want bool
	}{
		{"zero filter matches all", Filter{}, blocked, true},
		{"category", Filter{Category: []event.Category{event.CategoryMalicious}}, blocked, true},
		{"category other", Filter{Category: []event.Category{event.CategoryWeb}}, blocked, false},
		{"kind and action", Filter{Kind: []event.Kind{event.KindAlert}, Action: []string{"attack-blocked"}}, blocked, true},
		{"action list", Filter{Action: []string{"x", "login-failure"}}, ssh, true},
		{"outcome", Filter{Outcome: []event.Outcome{event.OutcomeSuccess}}, ssh, false},
		{"type", Filter{Type: []string{"access"}}, access("192.0.2.1", "/a", 404), true},
		{"status in range", Filter{StatusMin: 400, StatusMax: 499}, access("192.0.2.1", "/a", 404), true},
		{"status below", Filter{StatusMin: 500}, access("192.0.2.1", "/a", 404), false},
		{"status above", Filter{StatusMax: 403}, access("192.0.2.1", "/a", 404), false},
		{"no status, bounded", Filter{StatusMax: 499}, ssh, false},
		{"rule exact", Filter{Rule: []string{"bw-sqli-001"}}, blocked, true},
		{"rule prefix", Filter{Rule: []string{"bw-sqli-*"}}, blocked, true},
		{"rule among the request's rules", Filter{Rule: []string{"bw-scan-*"}}, blocked, true},
		{"rule absent", Filter{Rule: []string{"bw-xss-*"}}, blocked, false},
		{"rule prefix is not substring", Filter{Rule: []string{"sqli*"}}, blocked, false},
		{"class", Filter{Class: []string{"xss", "sqli"}}, blocked, true},
		{"class absent", Filter{Class: []string{"xss"}}, blocked, false},
		{"class without labels", Filter{Class: []string{"xss"}}, access("192.0.2.1", "/a", 404), false},
		{"path suffix", Filter{Path: []string{"/.env"}}, access("192.0.2.1", "/app/.env", 404), true},
		{"path suffix whole segment", Filter{Path: []string{"/.env"}}, access("192.0.2.1", "/app.env", 404), false},
		{"path star", Filter{Path: []string{"/.git/*"}}, access("192.0.2.1", "/x/.git/refs/heads/main", 404), true},
		{"path case", Filter{Path: []string{"/id_rsa"}}, access("192.0.2.1", "/ID_RSA", 404), true},
		{"path none", Filter{Path: []string{"/.env"}}, ssh, false},
		{"skip static", Filter{SkipStatic: true}, access("192.0.2.1", "/img/a.PNG", 404), false},
		{"skip static keeps pages", Filter{SkipStatic: true}, access("192.0.2.1", "/admin.php", 404), true},
		{"skip static keeps dirs", Filter{SkipStatic: true}, access("192.0.2.1", "/v1.2/users", 404), true},
		{"label", Filter{Labels: map[string]string{"service": "ssh"}}, ssh, true},
		{"label other value", Filter{Labels: map[string]string{"service": "ftp"}}, ssh, false},
		{"label missing", Filter{Labels: map[string]string{"service": ""}}, access("192.0.2.1", "/a", 404), false},
		{"all fields and", Filter{Category: []event.Category{event.CategoryAuthentication}, Action: []string{"login-failure"},
			Labels: map[string]string{"service": "ssh"}}, ssh, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.match(&tt.e); got != tt.want {
				t.Errorf("%+v.match(%s %s %s %d) = %v, want %v", tt.f, tt.e.Category, tt.e.Action, tt.e.Path, tt.e.Status, got, tt.want)
			}
		})
	}
}

func TestKeysSeparateServicesAndFoldCase(t *testing.T) {
	c := newClock()
	var b banner
	e := newEngine(t, Config{}, Options{Banner: &b, Clock: c.now})
	ssh := loginFailure("192.0.2.5", "ROOT")
	ssh.Labels = map[string]string{"service": "ssh"}
	for range 5 {
		e.Handle(ssh)
		e.Handle(loginFailure("192.0.2.5", "root")) // the web app's root is another account
	}
	if got := by(b.decisions(), LoginUserIP); len(got) != 0 {
		t.Fatalf("5 ssh + 5 web failures for root: %+v, want none (separate accounts)", got)
	}
	for range 5 {
		e.Handle(ssh)
	}
	got := by(b.decisions(), LoginUserIP)
	if len(got) != 1 || got[0].Target != (Target{IP: ip("192.0.2.5"), User: "root", Service: "ssh"}) {
		t.Fatalf("10 ssh failures for ROOT: %+v, want one for root on ssh", got)
	}
	if want := "10 failed logins for root on ssh from 192.0.2.5 in 0s"; got[0].Reason != want {
		t.Errorf("reason = %q, want %q", got[0].Reason, want)
	}
}

func TestEventsWithoutKeyAreSkipped(t *testing.T) {
	var b banner
	e := newEngine(t, Config{}, Options{Banner: &b, Clock: newClock().now})
	noIP := loginFailure("192.0.2.5", "alice")
	noIP.SourceIP = event.Event{}.SourceIP
	for range 100 {
		e.Handle(noIP)                           // counts only per user
		e.Handle(loginFailure("192.0.2.6", " ")) // no user: counts only per IP
	}
	for _, d := range b.decisions() {
		if d.Target.IP.IsValid() && d.Target.IP != ip("192.0.2.6") || d.Target.User != "" && d.Target.User != "alice" {
			t.Errorf("decision %+v about a key the events lacked", d)
		}
	}
	if got := by(b.decisions(), LoginUserSlow); len(got) != 1 {
		t.Errorf("100 failures for alice without IP: %d login-user-slow decisions, want 1", len(got))
	}
}
