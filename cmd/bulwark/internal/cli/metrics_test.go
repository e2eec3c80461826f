package cli

import (
	"strings"
	"testing"
)

func TestParseMetrics(t *testing.T) {
	text := `# HELP bulwark_http_requests_total Requests.
# TYPE bulwark_http_requests_total counter
bulwark_http_requests_total{code="200",method="GET"} 40
bulwark_http_requests_total{code="403",method="GET"} 7
bulwark_http_requests_total{code="403",method="POST"} 2
bulwark_banned_requests_total 3 1700000000000
bulwark_ship_backlog_bytes{sink="a,b \"q\""} 1.5e3
broken{code="200" 5
nothing_here
`
	s := parseMetrics(strings.NewReader(text))
	for _, tc := range []struct {
		name  string
		match map[string]string
		want  float64
	}{
		{"bulwark_http_requests_total", nil, 49},
		{"bulwark_http_requests_total", map[string]string{"code": "403"}, 9},
		{"bulwark_banned_requests_total", nil, 3},
		{"bulwark_ship_backlog_bytes", map[string]string{"sink": `a,b \"q\"`}, 1500},
		{"broken", nil, 0},
	} {
		if got := sum(s, tc.name, tc.match); got != tc.want {
			t.Errorf("sum(%s, %v) = %v, want %v", tc.name, tc.match, got, tc.want)
		}
	}
}

// FuzzParseMetrics: any text is read without a panic, and every sample
// read has a name.
func FuzzParseMetrics(f *testing.F) {
	f.Add(`bulwark_http_requests_total{code="200",method="GET"} 40`)
	f.Add(`x{a="b\"c",d="e,f"} 1 2`)
	f.Add("{} 1\n} {\nname{ 1")
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range parseMetrics(strings.NewReader(text)) {
			if s.name == "" {
				t.Fatalf("a sample with no name from %q", text)
			}
		}
	})
}
