package alert

import (
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

func TestConfigDecode(t *testing.T) {
	src := `
notify: [ops-mail]
route: {groupWait: 10s}
notifiers:
  ops-mail: {type: email, host: smtp.example.com, username: u, password: "${SMTP_PASSWORD}", from: bulwark@example.com, to: [ops@example.com]}
  oncall: {type: sms, accountSid: AC123, authToken: tok, from: "+15550001111", to: ["+15552223333"]}
rules:
  brute-force: {threshold: 20, notify: [ops-mail, oncall]}
  ban: false
  admin-probe:
    match: {categories: [malicious], pathPrefix: /admin}
    threshold: 3
    window: 2m
    countBy: source.ip
`
	var c Config
	d := config.Decoder{LookupEnv: func(string) (string, bool) { return "pw", true }}
	if err := d.Decode("bulwark.yaml", []byte(src), &c); err != nil {
		t.Fatal(err)
	}
	rules, err := c.rules(sortedKeys(c.Notifiers))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Rule{}
	for _, r := range rules {
		got[r.Name] = r
	}
	if _, ok := got["ban"]; ok {
		t.Error("ban: false left the rule enabled")
	}
	bf := got["brute-force"]
	if bf.Threshold != 20 || bf.Window != 5*time.Minute || strings.Join(bf.Notify, ",") != "ops-mail,oncall" {
		t.Errorf("brute-force = threshold %d window %s notify %v; want 20, 5m (default), [ops-mail oncall]", bf.Threshold, bf.Window, bf.Notify)
	}
	if bf.Route.GroupWait != 10*time.Second || bf.Route.RepeatInterval != 4*time.Hour {
		t.Errorf("brute-force route = %+v, want groupWait 10s from the section, repeat 4h default", bf.Route)
	}
	ap := got["admin-probe"]
	if ap == nil || ap.Threshold != 3 || strings.Join(ap.Notify, ",") != "ops-mail" || ap.CountBy[0] != "source.ip" {
		t.Errorf("admin-probe = %+v", ap)
	}
	if got["malicious-burst"].Route.GroupWait != 10*time.Second {
		t.Errorf("section route not applied")
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown notifier", "notifiers: {a: {type: slack, url: 'https://h.example/x'}}\nrules: {ban: {notify: [b]}}\n",
			`rules.ban.notify: unknown notifier "b" (known: a)`},
		{"no notifiers", "rules: {ban: {notify: [b]}}\n", `no notifier is configured`},
		{"new rule without match", "rules: {mine: {threshold: 3}}\n", `rules.mine.match: a rule needs a match`},
		{"bad field", "rules: {ban: {countBy: [source.address]}}\n", `unknown field "source.address"`},
		{"bad severity", "rules: {ban: {severity: huge}}\n", `rules.ban.severity: must be one of`},
		{"tls none remote", "notifiers: {m: {type: email, host: smtp.example.com, tls: none, from: a@b.c, to: [d@e.f]}}\n",
			`tls: none sends mail (and the password) in clear text`},
		{"field of other type", "notifiers: {m: {type: slack, url: 'https://h.example/x', host: x}}\n", `host: applies only to type email`},
		{"sms phone", "notifiers: {s: {type: sms, accountSid: A, authToken: t, from: '+1555', to: [5551234]}}\n", `not a phone number in E.164`},
		{"bad type", "notifiers: {s: {type: pager}}\n", `type: must be one of email, sms, slack, webhook`},
		{"negative route", "route: {groupWait: -1s}\n", `route.groupWait: must be at least 0s`},
		{"inhibit unknown", "rules: {ban: {inhibitedBy: [nope]}}\n", `unknown rule "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Config
			err := config.Decode("bulwark.yaml", []byte(tt.src), &c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(%q) = %v, want error containing %q", tt.src, err, tt.want)
			}
		})
	}
}

func TestCounter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCounter(time.Minute, 3, false, 2)
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, false}, {"a", time.Second, false}, {"a", 2 * time.Second, true},
		{"a", 70 * time.Second, false},   // the two first fell out of the window
		{"b", 0, false}, {"c", 0, false}, // a is evicted: at most 2 keys
		{"a", 71 * time.Second, false},
	}
	for i, s := range steps {
		if got := c.add(s.key, "", t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: add(%s, +%s) = %v, want %v", i, s.key, s.at, got, s.want)
		}
	}
	if c.len() != 2 {
		t.Errorf("counter holds %d keys, want 2", c.len())
	}
	d := newCounter(time.Minute, 3, true, 10)
	for i, u := range []string{"u1", "u1", "u2", "u2", "u3"} {
		if got := d.add("ip", u, t0.Add(time.Duration(i)*time.Second)); got != (i == 4) {
			t.Errorf("distinct add #%d (%s) = %v", i, u, got)
		}
	}
}
