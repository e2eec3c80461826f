package accounts

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string // "" = valid
	}{
		{"zero", Config{}, ""},
		{"preset", Config{Preset: "express-example"}, ""},
		{"unknown preset", Config{Preset: "rails"}, "preset: unknown preset"},
		{"route without kind", Config{Routes: []Route{{Path: "/login"}}}, "routes[0].kind: missing"},
		{"route bad path", Config{Routes: []Route{{Kind: Login, Path: "login"}}}, "routes[0].path: must be a path"},
		{"route bad pointer", Config{Routes: []Route{{Kind: Login, Path: "/l", Success: Success{JSON: "ok"}}}}, "routes[0].success.json"},
		{"route bad status", Config{Routes: []Route{{Kind: Login, Path: "/l", Success: Success{Status: []int{42}}}}}, "success.status[0]"},
		{"negative window", Config{Thresholds: Thresholds{Window: -time.Second}}, "thresholds.window: must be at least 0s"},
		{"ratio", Config{Thresholds: Thresholds{Ratio: 2}}, "thresholds.ratio"},
		{"offline without file", Config{Breach: Breach{Mode: "offline"}}, "breach.file: offline mode needs a file"},
		{"bad action", Config{Breach: Breach{Action: "shout"}}, "breach.action"},
		{"bad link base", Config{NewDevice: NewDevice{LinkBase: "shop.example.com"}}, "newDevice.linkBase"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestUAFamily(t *testing.T) {
	for _, tc := range []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox on Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36", "Chrome on Windows"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1", "Safari on iOS"},
		{"curl/8.5.0", "curl"},
		{"", ""},
	} {
		if got := uaFamily(tc.ua); got != tc.want {
			t.Errorf("uaFamily(%q) = %q, want %q", tc.ua, got, tc.want)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	f.Add("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n00000000000000000000000000000000001:0")
	f.Add("")
	f.Add(":\n:1\nZZ:2")
	f.Fuzz(func(t *testing.T, s string) {
		counts, err := parseRange(strings.NewReader(s))
		if err == nil {
			for k, n := range counts {
				if len(k) != 35 || n <= 0 {
					t.Fatalf("parseRange kept %q:%d", k, n)
				}
			}
		}
	})
}

func BenchmarkMiddlewarePassThrough(b *testing.B) {
	w, _ := newTestWatch(b, Config{Preset: "express-example"}, newClock())
	h := w.Middleware()(&fakeApp{})
	req := httptest.NewRequest("GET", "/products", nil)
	req.Header.Set("Cookie", "sid=s%3Aabcdefabcdefabcdef.signature")
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
