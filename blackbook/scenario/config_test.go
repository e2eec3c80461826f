package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

func TestConfigDecode(t *testing.T) {
	const yml = `
simulate: false
maxBuckets: 5000
scenarios:
  probing: false
  login-ip: {capacity: 30, leak: 20s, banDuration: 2h}
  sensitive-probe: {simulate: true}
custom:
  - name: api-keys
    description: guessing API keys
    match: {category: authentication, action: api-key-invalid}
    capacity: 50
    leak: 6s
    banDuration: 1d
    what: invalid API keys
`
	var c Config
	if err := config.Decode("bulwark.yaml", []byte(yml), &c); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	list, err := c.Resolve()
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	byName := map[string]Scenario{}
	for _, s := range list {
		byName[s.Name] = s
	}
	if _, ok := byName[Probing]; ok {
		t.Error("probing: false left probing running")
	}
	if s := byName[LoginIP]; s.Capacity != 30 || s.Leak != 20*time.Second || s.BanDuration != 2*time.Hour || s.Simulate {
		t.Errorf("login-ip = %+v, want capacity 30, leak 20s, 2h, real", s)
	}
	if s := byName[LoginUserIP]; s.Capacity != 10 {
		t.Errorf("login-user-ip capacity = %d, want the built-in 10", s.Capacity)
	}
	if !byName[SensitiveProbe].Simulate || byName[Attack].Simulate {
		t.Error("simulate on sensitive-probe alone did not apply to it alone")
	}
	if s := byName["api-keys"]; s.BanDuration != 24*time.Hour || s.Match[0].Action[0] != "api-key-invalid" {
		t.Errorf("custom = %+v", s)
	}
	if _, err := New(c, Options{Banner: &banner{}}); err != nil {
		t.Errorf("New: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		yml  string
		want []string // substrings of the error, in order
	}{
		{"unknown scenario", "scenarios:\n  probng: {capacity: 3}\n",
			[]string{"bulwark.yaml:2: scenarios.probng: no built-in scenario has this name (known: attack, attack-in-text, app-anomaly, sensitive-probe, probing,", "define it under custom"}},
		{"bad override", "scenarios:\n  login-ip:\n    capacity: -1\n",
			[]string{"bulwark.yaml:3: scenarios.login-ip.capacity: must be between 1 and 1000000, got -1"}},
		{"window too long", "scenarios:\n  login-ip-slow: {leak: 1d}\n",
			[]string{"scenarios.login-ip-slow.leak: capacity×leak must be at most 30d, got 50×1d"}},
		{"custom takes built-in name", "custom:\n  - name: attack\n    match: {action: x}\n    capacity: 1\n    banDuration: 1h\n",
			[]string{`bulwark.yaml:2: custom[0].name: "attack" is a built-in scenario; change it under scenarios.attack`}},
		{"custom needs leak", "custom:\n  - name: x\n    match: {action: x}\n    capacity: 5\n    banDuration: 1h\n",
			[]string{"bulwark.yaml:2: custom[0].leak: required when capacity is above 1", "(capacity 5 in 10m is leak 2m)"}},
		{"custom needs match and ban duration", "custom:\n  - name: x\n    capacity: 1\n",
			[]string{"custom[0].match: a scenario needs at least one filter", "custom[0].banDuration: required"}},
		{"ban not in key", "custom:\n  - name: x\n    match: {action: x}\n    key: user\n    ban: ip\n    capacity: 1\n    banDuration: 1h\n",
			[]string{"bulwark.yaml:5: custom[0].ban: ip is not part of the key user"}},
		{"reset on ip key", "custom:\n  - name: x\n    match: {action: login-failure}\n    reset: {action: login-success}\n    capacity: 1\n    banDuration: 1h\n",
			[]string{"bulwark.yaml:4: custom[0].reset: only scenarios keyed by user or user+ip may reset"}},
		{"bad distinct and key", "custom:\n  - name: x\n    match: {action: x}\n    key: host\n    distinct: paths\n    capacity: 1\n    banDuration: 1h\n",
			[]string{`bulwark.yaml:4: custom[0].key: "host" is not ip, user or user+ip`, `bulwark.yaml:5: custom[0].distinct: "paths" is not one of path, user, ip, rule, userAgent`}},
		{"bad filter", "custom:\n  - name: x\n    match:\n      - {statusMin: 500, statusMax: 404, path: [env], rule: ['*']}\n    capacity: 1\n    banDuration: 1h\n",
			[]string{"custom[0].match[0].statusMax: is below statusMin", `custom[0].match[0].rule[0]: "*" is not a rule id`, `custom[0].match[0].path[0]: "env" must start with /`}},
		{"bad name and duplicate", "custom:\n  - {name: My_Rule, match: {action: x}, capacity: 1, banDuration: 1h}\n  - {name: a, match: {action: x}, capacity: 1, banDuration: 1h}\n  - {name: a, match: {action: x}, capacity: 1, banDuration: 1h}\n",
			[]string{`custom[0].name: "My_Rule" may hold only lower-case letters`, `bulwark.yaml:4: custom[2].name: "a" is already the name of custom[1]`}},
		{"unknown key", "scenarios:\n  login-ip: {capacty: 3}\n", []string{"did you mean capacity?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Config
			err := config.Decode("bulwark.yaml", []byte(tt.yml), &c)
			if err == nil {
				t.Fatalf("Decode(%q) = nil, want an error", tt.yml)
			}
			msg := err.Error()
			for _, w := range tt.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error:\n%s\nwant it to contain %q", msg, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

func TestBuiltinsValid(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Builtins() {
		if err := s.Validate(); err != nil {
			t.Errorf("built-in %s: %v", s.Name, err)
		}
		if seen[s.Name] {
			t.Errorf("built-in %s twice", s.Name)
		}
		seen[s.Name] = true
	}
}

func TestDisableAll(t *testing.T) {
	e := newEngine(t, Config{Disable: true}, Options{})
	if got := e.Scenarios(); len(got) != 0 {
		t.Errorf("disable: true runs %v", got)
	}
	e.Handle(attack("192.0.2.1", "/.env", "sensitive-file", "bw-file-001", true))
}
