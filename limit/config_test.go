package limit

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/config"
)

func TestConfigDecode(t *testing.T) {
	const yaml = `
perIP: {rate: 20/s, burst: 40}
perNetwork: {rate: 100/s, ipv4Prefix: 16, ipv6Prefix: 56}
global: {rate: 5000/s}
routes:
  - name: login
    methods: [POST]
    paths: [/login, /api/session]
    rate: 5/m
  - name: search
    paths: /search/*
    rate: 10/s
    burst: 20
    per: global
exempt: [10.0.0.0/8, 192.0.2.7]
maxKeys: 4096
`
	var c Config
	if err := config.Decode("bulwark.yaml", []byte(yaml), &c); err != nil {
		t.Fatal(err)
	}
	want := Config{
		PerIP:      Limit{Rate: Rate{20, time.Second}, Burst: 40},
		PerNetwork: Network{Rate: Rate{100, time.Second}, IPv4Prefix: 16, IPv6Prefix: 56},
		Global:     Limit{Rate: Rate{5000, time.Second}},
		Routes: []Route{
			{Name: "login", Methods: []string{"POST"}, Paths: []string{"/login", "/api/session"}, Rate: Rate{5, time.Minute}},
			{Name: "search", Paths: []string{"/search/*"}, Rate: Rate{10, time.Second}, Burst: 20, Per: "global"},
		},
		Exempt:  []string{"10.0.0.0/8", "192.0.2.7"},
		MaxKeys: 4096,
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("decoded config (-want +got):\n%s", diff)
	}
	d := c.WithDefaults()
	if d.PerNetwork.Burst != 100 || d.Global.Burst != 5000 || d.Routes[0].Burst != 5 || d.Routes[0].Per != "ip" {
		t.Errorf("defaults: perNetwork.burst %d (want 100), global.burst %d (want 5000), routes[0] burst %d per %q (want 5, ip)",
			d.PerNetwork.Burst, d.Global.Burst, d.Routes[0].Burst, d.Routes[0].Per)
	}
	// What Encode writes, Decode reads back.
	out, err := config.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Config
	if err := config.Decode("encoded", out, &back); err != nil {
		t.Fatalf("decoding Encode's output:\n%s\n%v", out, err)
	}
	if diff := cmp.Diff(c, back); diff != "" {
		t.Errorf("Encode then Decode (-want +got):\n%s", diff)
	}
}

func TestConfigZeroDefaults(t *testing.T) {
	d := Config{}.WithDefaults()
	if d.PerIP != defaultPerIP {
		t.Errorf("perIP default = %+v, want %+v", d.PerIP, defaultPerIP)
	}
	if d.PerNetwork.Rate != defaultPerNetwork.Rate || d.PerNetwork.Burst != 1000 || d.PerNetwork.IPv4Prefix != 24 || d.PerNetwork.IPv6Prefix != 48 {
		t.Errorf("perNetwork default = %+v", d.PerNetwork)
	}
	if d.Global.on() {
		t.Errorf("global default = %+v, want off", d.Global)
	}
	if d.MaxKeys != 1<<18 {
		t.Errorf("maxKeys default = %d", d.MaxKeys)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
	// A rate without a burst takes the rate's count as its burst.
	if l := (Limit{Rate: Rate{30, time.Second}}).withDefault(defaultPerIP); l.Burst != 30 {
		t.Errorf("perIP {rate: 30/s} burst = %d, want 30", l.Burst)
	}
	var off Config
	if err := config.Decode("f.yaml", []byte("perIP: false\nperNetwork: false\n"), &off); err != nil {
		t.Fatal(err)
	}
	if d := off.WithDefaults(); d.PerIP.on() || d.PerNetwork.limit().on() {
		t.Errorf("perIP: false, perNetwork: false gave %+v / %+v, want both off", d.PerIP, d.PerNetwork)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		yaml string
		want []string // each a line of the error
	}{
		{"perIP: {rate: 100}", []string{`f.yaml:1: perIP.rate: invalid rate "100": write it as count/period`}},
		{"perIP: {rate: 0/s}", []string{`perIP.rate: invalid rate "0/s": the count "0" must be a whole number of at least 1`}},
		{"perIP:\n  rate: 10/fortnight", []string{`f.yaml:2: perIP.rate: invalid rate "10/fortnight": unknown period "fortnight"`}},
		{"global: {rate: 10/s, burst: -1}", []string{`f.yaml:1: global.burst: must be between 1 and 1000000`}},
		{"perIP: {rate: 1/d, burst: 1000000}", []string{`perIP.burst: a burst of 1000000 at 1/d takes too long to refill`}},
		{"perNetwork: {ipv4Prefix: 33}", []string{`perNetwork.ipv4Prefix: must be between 8 and 32, got 33`}},
		{"perNetwork:\n  ipv6Prefix: 96", []string{`f.yaml:2: perNetwork.ipv6Prefix: must be between 16 and 64`}},
		{"routes:\n  - name: login\n    paths: [login]\n    rate: 5/m\n    per: user", []string{
			`f.yaml:3: routes[0].paths[0]: "login" must start with /`,
			`f.yaml:5: routes[0].per: must be "ip" or "global", got "user"`,
		}},
		{"routes:\n  - paths: [/a]\n    methods: [FETCH]", []string{
			`routes[0].name: required`, `routes[0].methods[0]: "FETCH" is not an HTTP method`, `routes[0].rate: required`,
		}},
		{"routes:\n  - {name: a b, paths: ['/x[', ], rate: 1/s}", []string{
			`routes[0].name: "a b": use only letters`, `routes[0].paths[0]: "/x[" is not a valid pattern`,
		}},
		{"routes:\n  - {name: a, paths: /a, rate: 1/s}\n  - {name: a, paths: /b, rate: 1/s}", []string{
			`f.yaml:3: routes[1].name: "a" is already the name of routes[0]`,
		}},
		{"exempt: [10.0.0.0/33, nope]", []string{`exempt[0]: invalid CIDR "10.0.0.0/33"`, `exempt[1]: invalid address "nope"`}},
		{"maxKeys: 10", []string{`f.yaml:1: maxKeys: must be at least 1024`}},
		{"perIp: {rate: 1/s}", []string{`f.yaml:1: perIp: unknown key`}},
	}
	for _, tt := range tests {
		var c Config
		err := config.Decode("f.yaml", []byte(tt.yaml), &c)
		if err == nil {
			t.Errorf("Decode(%q) = nil error, want %q", tt.yaml, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Decode(%q) error:\n%v\nwant it to contain %q", tt.yaml, err, w)
			}
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, err := New(Config{Routes: []Route{{Name: "x", Paths: []string{"/x"}}}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "routes[0].rate: required") {
		t.Errorf("New with a route without a rate: %v", err)
	}
}
