package alert

import (
	"net/netip"
	"testing"

	"github.com/bulwark-sec/bulwark/event"
)

func TestMatch(t *testing.T) {
	ev := event.Event{Kind: event.KindAlert, Category: event.CategoryMalicious, Action: "attack-blocked",
		Outcome: event.OutcomeFailure, Severity: event.SeverityHigh, RuleID: "942100", Path: "/api/users",
		SourceIP: netip.MustParseAddr("192.0.2.1"), Labels: map[string]string{"class": "sqli"}}
	tests := []struct {
		name string
		m    Match
		want bool
	}{
		{"category", Match{Categories: []string{"malicious"}}, true},
		{"other category", Match{Categories: []string{"authentication"}}, false},
		{"kind", Match{Kind: "alert"}, true},
		{"kind no", Match{Kind: "event"}, false},
		{"action any of", Match{Actions: []string{"ban", "attack-blocked"}}, true},
		{"except action", Match{Categories: []string{"malicious"}, ExceptActions: []string{"attack-blocked"}}, false},
		{"outcome", Match{Outcome: "failure"}, true},
		{"outcome no", Match{Outcome: "success"}, false},
		{"min severity equal", Match{MinSeverity: "high"}, true},
		{"min severity above", Match{MinSeverity: "critical"}, false},
		{"rule prefix", Match{RuleIDPrefixes: []string{"941", "942"}}, true},
		{"rule prefix no", Match{RuleIDPrefixes: []string{"930"}}, false},
		{"label", Match{Labels: map[string]string{"class": "sqli"}}, true},
		{"label other value", Match{Labels: map[string]string{"class": "xss"}}, false},
		{"label missing", Match{Labels: map[string]string{"scenario": "x"}}, false},
		{"path prefix", Match{PathPrefix: "/api/"}, true},
		{"path prefix no", Match{PathPrefix: "/admin"}, false},
		{"all together", Match{Kind: "alert", Categories: []string{"malicious"}, MinSeverity: "medium",
			Labels: map[string]string{"class": "sqli"}, PathPrefix: "/api"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.m.compile()
			if err != nil {
				t.Fatal(err)
			}
			if got := m.matches(&ev); got != tt.want {
				t.Errorf("%+v matches = %v, want %v", tt.m, got, tt.want)
			}
		})
	}
}

func TestDefaultRulesMatch(t *testing.T) {
	rules, err := Config{}.rules(nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Rule{}
	for _, r := range rules {
		byName[r.Name] = r
	}
	ip := netip.MustParseAddr("198.51.100.9")
	tests := []struct {
		ev        event.Event
		rule      string
		immediate bool
	}{
		{attack("198.51.100.9"), "malicious-burst", false},
		{loginFailure("alice", "198.51.100.9"), "brute-force", false},
		{loginFailure("alice", "198.51.100.9"), "credential-stuffing", false},
		{event.Event{Kind: event.KindAlert, Category: event.CategoryNetwork, Action: "ban", SourceIP: ip,
			Labels: map[string]string{"ban_source": "scenario:credential-stuffing"}}, "credential-stuffing", true},
		{event.Event{Action: "ban", SourceIP: ip}, "ban", false},
		{event.Event{Category: event.CategoryAuthentication, Action: "login-new-ip", UserName: "bob", SourceIP: ip}, "new-ip-login", false},
		{event.Event{Category: event.CategoryProcess, Action: "process-crashed"}, "crash-loop", false},
		{event.Event{Kind: event.KindAlert, Category: event.CategoryProcess, Action: "crash-loop"}, "crash-loop", true},
		{event.Event{Category: event.CategoryProcess, Action: "process-hung"}, "crash-loop", true},
		{event.Event{Category: event.CategoryVulnerability, Action: "advisory-new", RuleID: "GHSA-x"}, "advisory", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.ev.Action, func(t *testing.T) {
			counted, immediate := byName[tt.rule].selects(&tt.ev)
			if counted == tt.immediate || immediate != tt.immediate {
				t.Errorf("%s selects(%s) = %v, %v; want immediate %v", tt.rule, tt.ev.Action, counted, immediate, tt.immediate)
			}
		})
	}
	// A ban is not an attack to count.
	ban := event.Event{Category: event.CategoryMalicious, Action: "ban", SourceIP: ip}
	if c, i := byName["malicious-burst"].selects(&ban); c || i {
		t.Errorf("malicious-burst selects a ban event")
	}
}
