package inspect

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func post(uri, body string) *Request {
	return &Request{Method: "POST", URI: uri, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

// TestModes checks rule modes, route modes, the global mode and
// exclusions.
func TestModes(t *testing.T) {
	xss := `{"content":"<script>alert(1)</script>","title":"<script>alert(1)</script>"}`
	tests := []struct {
		name string
		cfg  Config
		req  *Request
		want Action
	}{
		{"default blocks", Config{}, post("/api/posts", xss), Block},
		{"global detect", Config{Mode: ModeDetect}, post("/api/posts", xss), Log},
		{"route detect", Config{Routes: []Route{{Path: "/api/posts", Method: "POST", Mode: ModeDetect}}}, post("/api/posts", xss), Log},
		{"route off", Config{Routes: []Route{{Path: "/api/*", Mode: ModeOff}}}, post("/api/posts", xss), Allow},
		{"route other method", Config{Routes: []Route{{Path: "/api/posts", Method: "PUT", Mode: ModeOff}}}, post("/api/posts", xss), Block},
		{"route prefix", Config{Routes: []Route{{Path: "/api/*", Mode: ModeOff}}}, post("/apix", xss), Block},
		{"rule off", Config{Rules: map[string]Mode{"bw-xss-002": ModeOff}}, post("/p", `{"q":"<script>"}`), Allow},
		{"rule detect", Config{Rules: map[string]Mode{"bw-xss-002": ModeDetect}}, post("/p", `{"q":"<script>"}`), Log},
		{"rule block below threshold", Config{Rules: map[string]Mode{"bw-rfi-005": ModeBlock}},
			&Request{Method: "GET", URI: "/p?next=https://elsewhere.example/", Header: http.Header{"Host": {"app.example"}}}, Block},
		{"threshold", Config{Threshold: 100}, post("/p", `{"q":"<script>"}`), Log},
		{"exclusion of one field", Config{Exclusions: []Exclusion{{Path: "/api/posts", Method: "POST", Where: "json:$.content", Classes: []Class{XSS}}}},
			post("/api/posts", `{"content":"<script>alert(1)</script>"}`), Allow},
		{"exclusion leaves other fields", Config{Exclusions: []Exclusion{{Path: "/api/posts", Method: "POST", Where: "json:$.content", Classes: []Class{XSS}}}},
			post("/api/posts", xss), Block},
		{"exclusion leaves other classes", Config{Exclusions: []Exclusion{{Path: "/api/posts", Where: "json:$.content", Classes: []Class{XSS}}}},
			post("/api/posts", `{"content":"1' UNION SELECT password FROM users--"}`), Block},
		{"exclusion by rule and prefix", Config{Exclusions: []Exclusion{{Where: "json:$.posts[*", Rules: []string{"bw-xss-002"}}}},
			post("/x", `{"posts":[{"body":"<script>"}]}`), Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if v := e.Inspect(tt.req); v.Action != tt.want {
				t.Errorf("Inspect = %v (score %d, %+v), want %v", v.Action, v.Score, v.Findings, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		cfg   Config
		field string
		want  string
	}{
		{Config{Mode: "watch"}, "mode", "not block or detect"},
		{Config{Threshold: -1}, "threshold", "at least 1"},
		{Config{Rules: map[string]Mode{"bw-nope-001": ModeOff}}, "rules.bw-nope-001", "no rule has this id"},
		{Config{Rules: map[string]Mode{"bw-xss-001": "loud"}}, "rules.bw-xss-001", "not block, detect or off"},
		{Config{Routes: []Route{{Path: "api", Mode: ModeOff}}}, "routes[0].path", "must start with /"},
		{Config{Routes: []Route{{Path: "/a/*/b", Mode: ModeOff}}}, "routes[0].path", "final /*"},
		{Config{Routes: []Route{{Path: "/a"}}}, "routes[0].mode", "not block, detect or off"},
		{Config{Routes: []Route{{Path: "/a", Method: "post", Mode: ModeOff}}}, "routes[0].method", "upper-case"},
		{Config{Exclusions: []Exclusion{{Where: "content"}}}, "exclusions[0].where", "json:$.content"},
		{Config{Exclusions: []Exclusion{{Classes: []Class{"html"}}}}, "exclusions[0].classes", "unknown class"},
		{Config{SSRF: SSRFOptions{AllowHosts: []string{"http://x/"}}}, "ssrf.allowHosts[0]", "not a host name"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		var f interface{ Field() string }
		if err == nil || !errors.As(err, &f) || f.Field() != tt.field || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want an error about %s: …%s…", tt.cfg, err, tt.field, tt.want)
		}
		if _, err := New(tt.cfg); err == nil {
			t.Errorf("New(%+v) succeeded", tt.cfg)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
}

func TestSSRFAllow(t *testing.T) {
	e, _ := New(Config{SSRF: SSRFOptions{AllowHosts: []string{"10.1.0.0/16", "internal.example"}}})
	for _, u := range []string{"http://10.1.2.3/", "http://api.internal.example/"} {
		if v := inspectValue(t, e, u); hasClass(v, SSRF) {
			t.Errorf("%s allowed by ssrf.allowHosts, got %+v", u, v.Findings)
		}
	}
	if v := inspectValue(t, e, "http://10.2.0.1/"); !hasClass(v, SSRF) {
		t.Errorf("10.2.0.1 is not allowed, got %+v", v.Findings)
	}
}

func TestActionText(t *testing.T) {
	b, _ := json.Marshal(Verdict{Action: Block})
	if !strings.Contains(string(b), `"action":"block"`) {
		t.Errorf("Verdict JSON = %s", b)
	}
	var a Action
	if err := a.UnmarshalText([]byte("log")); err != nil || a != Log || a.String() != "log" {
		t.Errorf("UnmarshalText(log) = %v, %v", a, err)
	}
	if err := a.UnmarshalText([]byte("drop")); err == nil {
		t.Error("UnmarshalText(drop) succeeded")
	}
}

func TestRulesList(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		// A refusal (a body that cannot be inspected) is no attack: it scores 0.
		if seen[r.ID] || !strings.HasPrefix(r.ID, "bw-") || r.Score < 1 && refusals[r.ID] == 0 || !knownClass(r.Class) || r.Name == "" {
			t.Errorf("bad rule %+v", r)
		}
		seen[r.ID] = true
	}
}
