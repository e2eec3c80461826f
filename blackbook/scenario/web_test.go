package scenario

import (
	"fmt"
	"testing"
	"time"
)

func TestSensitiveProbeBansOnFirstHit(t *testing.T) {
	tests := []struct {
		name  string
		ev    func(addr string) any
		paths []string
		want  bool
	}{
		{"blocked /.env", nil, []string{"/.env"}, true},
		{"blocked /.git/HEAD", nil, []string{"/.git/HEAD"}, true},
		{"nested /api/.env", nil, []string{"/api/.env"}, true},
		{"/.env.production", nil, []string{"/.env.production"}, true},
		{"aws credentials", nil, []string{"/.aws/credentials"}, true},
		{"ssh key under a dir", nil, []string{"/home/deploy/.ssh/id_rsa"}, true},
		{"case folded", nil, []string{"/.GIT/config"}, true},
		{"well-known is not a probe", nil, []string{"/.well-known/security.txt"}, false},
		{"environment page", nil, []string{"/environment"}, false},
		{"envelope", nil, []string{"/.envelope"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			var b banner
			e := newEngine(t, Config{}, Options{Banner: &b, Clock: c.now})
			e.Handle(attack("192.0.2.10", tt.paths[0], "sensitive-file", "bw-file-001", true))
			got := by(b.decisions(), SensitiveProbe)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("%s: %+v, want no decision", tt.paths[0], got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%s: %d sensitive-probe decisions, want 1", tt.paths[0], len(got))
			}
			d := got[0]
			if d.Duration != 24*time.Hour || d.Target != (Target{IP: ip("192.0.2.10")}) {
				t.Errorf("decision = %+v, want 24h for 192.0.2.10", d)
			}
			if want := "sensitive-probe from 192.0.2.10: GET " + tt.paths[0] + ": blocked sensitive-file in path"; d.Reason != want {
				t.Errorf("reason = %q, want %q", d.Reason, want)
			}
		})
	}
}

func TestSensitiveProbeAnsweredByTheApp(t *testing.T) {
	// With inspection off for the route the app answers: a 404 (or an SPA's
	// 200) for /.git/HEAD is still a probe.
	for _, status := range []int{404, 200} {
		var b banner
		e := newEngine(t, Config{}, Options{Banner: &b, Clock: newClock().now})
		e.Handle(access("192.0.2.11", "/.git/HEAD", status))
		if got := by(b.decisions(), SensitiveProbe); len(got) != 1 {
			t.Errorf("access %d for /.git/HEAD: %d decisions, want 1", status, len(got))
		}
	}
}

func TestProbingCountsDistinctPaths(t *testing.T) {
	c := newClock()
	var b banner
	e := newEngine(t, Config{}, Options{Banner: &b, Clock: c.now})
	// The same missing page 100 times: a broken link, not probing.
	for range 100 {
		e.Handle(access("198.51.100.7", "/old-page", 404))
		c.add(100 * time.Millisecond)
	}
	// A page with 50 broken images: static assets do not count.
	for i := range 50 {
		e.Handle(access("198.51.100.7", fmt.Sprintf("/img/photo%d.jpg", i), 404))
	}
	if got := b.decisions(); len(got) != 0 {
		t.Fatalf("same path 100 times and 50 images: %+v, want none", got)
	}
	c.add(10 * time.Second) // the broken link's one unit leaks away
	// A wordlist: 20 distinct paths in 2 seconds.
	for i := range 19 {
		e.Handle(access("198.51.100.7", fmt.Sprintf("/admin%d", i), 404))
		c.add(100 * time.Millisecond)
	}
	if got := b.decisions(); len(got) != 0 {
		t.Fatalf("19 distinct paths: %+v, want none", got)
	}
	e.Handle(access("198.51.100.7", "/backup", 404))
	got := by(b.decisions(), Probing)
	if len(got) != 1 {
		t.Fatalf("20 distinct paths: %d probing decisions, want 1", len(got))
	}
	if want := "20 distinct 404 paths from 198.51.100.7 in 2s"; got[0].Reason != want {
		t.Errorf("reason = %q, want %q", got[0].Reason, want)
	}
	if len(got[0].Evidence) != maxEvidence || got[0].Evidence[2] != "GET /backup → 404" {
		t.Errorf("evidence = %q, want 3 lines ending with the trigger", got[0].Evidence)
	}
}

func TestAttackCountsBlockedNotDetected(t *testing.T) {
	c := newClock()
	var b banner
	e := newEngine(t, Config{}, Options{Banner: &b, Clock: c.now})
	for range 20 {
		e.Handle(attack("203.0.113.50", "/search", "sqli", "bw-sqli-001", false))
	}
	if got := b.decisions(); len(got) != 0 {
		t.Fatalf("20 detected-only findings: %+v, want none (detect mode must not ban)", got)
	}
	for range 4 {
		e.Handle(attack("203.0.113.50", "/search", "sqli", "bw-sqli-001", true))
		c.add(5 * time.Second)
	}
	if got := b.decisions(); len(got) != 0 {
		t.Fatalf("4 blocked: %+v, want none", got)
	}
	e.Handle(attack("203.0.113.50", "/search", "xss", "bw-xss-002", true))
	got := by(b.decisions(), Attack)
	if len(got) != 1 || got[0].Duration != 4*time.Hour {
		t.Fatalf("5 blocked in 20s: %+v, want one 4h attack decision", got)
	}
	// Many more while banned make no second decision.
	for range 50 {
		e.Handle(attack("203.0.113.50", "/search", "sqli", "bw-sqli-001", true))
	}
	if got := by(b.decisions(), Attack); len(got) != 1 {
		t.Errorf("50 more during the ban: %d attack decisions, want 1", len(got))
	}
	// After the ban's base duration the key may be decided on again.
	c.add(4*time.Hour + time.Minute)
	for range 5 {
		e.Handle(attack("203.0.113.50", "/search", "sqli", "bw-sqli-001", true))
	}
	if got := by(b.decisions(), Attack); len(got) != 2 {
		t.Errorf("5 more after the ban: %d attack decisions, want 2", len(got))
	}
}

func TestScannerAgent(t *testing.T) {
	c := newClock()
	var b banner
	e := newEngine(t, Config{}, Options{Banner: &b, Clock: c.now})
	// The top finding is sqli, the scanner rule is among the request's rules.
	ev := attack("192.0.2.99", "/item", "sqli", "bw-sqli-001", true)
	ev.Labels["rules"] = "bw-sqli-001,bw-scan-001"
	e.Handle(ev)
	c.add(10 * time.Second)
	e.Handle(ev)
	if got := by(b.decisions(), ScannerAgent); len(got) != 1 {
		t.Errorf("2 scanner requests in 10s: %d scanner decisions, want 1", len(got))
	}
}
