package inspect

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"UPPER Case", "upper case"},
		{"%2e%2e%2f", "../"},
		{"%252e%252e%252f", "../"},       // twice encoded
		{"%25252e%25252e%25252f", "../"}, // three times
		{"%2525252e", "%2e"},             // four times: left after the bound
		{"%u002e%u002e%u2215", "../"},    // %u and a division slash
		{"%c0%af", "/"},                  // overlong UTF-8
		{"%e0%80%af", "/"},               // 3-byte overlong
		{"&lt;script&gt;", "<script>"},   // named entities
		{"&#x3c;&#60;&#0000060", "<<<"},  // numeric, with and without ;
		{`\x3cscript\u003e`, "<script>"}, // JavaScript escapes
		{"ＳＥＬＥＣＴ", "select"},             // fullwidth
		{"a\x00b%00c", "abc"},            // null bytes
		{"①②⑦。⓪。⓪。①", "127.0.0.1"},       // circled digits, ideographic dot
		{"%zz%2", "%zz%2"},               // malformed escapes kept
		{"&amp;lt;", "<"},                // entity inside an entity
		{"%26lt%3b", "<"},                // entity inside URL encoding
		{"100% sure", "100% sure"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNoCatastrophicBacktracking feeds inputs that make backtracking
// regular expression engines take exponential time. Every pattern here is
// Go RE2 (regexp), which runs in time linear in its input, so inspecting
// them completes quickly; the test is the proof.
func TestNoCatastrophicBacktracking(t *testing.T) {
	e, _ := New(Config{})
	evil := []string{
		strings.Repeat("a", 50000) + "!",
		strings.Repeat("'or'", 10000),
		strings.Repeat("<a ", 10000) + "onerror",
		strings.Repeat("${", 5000) + strings.Repeat("}", 5000),
		strings.Repeat("../", 10000),
		strings.Repeat("%25", 10000),
		strings.Repeat("{{", 8000),
		strings.Repeat("/*", 8000),
		strings.Repeat("; ", 10000) + "id",
		strings.Repeat("\\x", 10000),
	}
	for _, v := range evil {
		start := time.Now()
		e.Inspect(&Request{Method: "POST", URI: "/p?q=" + v[:min(len(v), 8000)], Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body: []byte("q=" + v)})
		if d := time.Since(start); d > 30*time.Second { // generous: -race is ~20x slower
			t.Errorf("inspecting %.20q… (%d bytes) took %v", v, len(v), d)
		}
	}
}

// TestLimits checks that work is bounded and that a request too big to
// inspect completely is blocked, not half inspected.
func TestLimits(t *testing.T) {
	e, _ := New(Config{MaxInputs: 10, MaxDepth: 4})
	q := strings.Repeat("a=1&", 20)
	if v := e.Inspect(&Request{Method: "GET", URI: "/p?" + q, Header: http.Header{}}); v.Action != Block || v.Findings[0].RuleID != "bw-limit-001" {
		t.Errorf("20 parameters with maxInputs 10 = %+v, want block by bw-limit-001", v)
	}
	deep := strings.Repeat("[", 10) + strings.Repeat("]", 10)
	v := e.Inspect(&Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(deep)})
	if v.Action != Block || v.Findings[0].RuleID != "bw-limit-002" {
		t.Errorf("JSON nested 10 deep with maxDepth 4 = %+v, want block by bw-limit-002", v)
	}
}
