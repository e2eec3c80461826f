package update

import (
	"testing"
	"time"
)

// FuzzPackument feeds registry documents (untrusted) to the packument
// decoder and the candidate picker.
func FuzzPackument(f *testing.F) {
	f.Add([]byte(`{"dist-tags":{"latest":"1.1.0"},"versions":{"1.0.0":{},"1.0.1":{"deprecated":"x"},"1.1.0":{}},"repository":{"url":"git+https://github.com/a/b.git"}}`))
	f.Add([]byte(`{"versions":{"01.0.0":{"deprecated":true},"1.0.0-rc":{}},"repository":"github:a/b"}`))
	f.Add([]byte(`{"dist-tags":null,"versions":[]}`))
	f.Add([]byte(`{"versions":{"1.0.1":{},"1.0.2":{}},"time":{"1.0.1":"2025-01-01T00:00:00Z","1.0.2":"2026-06-01T00:00:00.000Z","modified":"x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parsePackument(data)
		if err != nil {
			return
		}
		cs, _, _ := npmCandidates("x", "1.0.0", p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		for _, c := range cs {
			if compareVersions(NPM, c.To, "1.0.0") <= 0 {
				t.Fatalf("candidate %s is not newer than 1.0.0", c.To)
			}
		}
		p.repoURL()
	})
}

// FuzzSetRange checks that rewriting a range keeps package.json valid
// JSON whenever it succeeds.
func FuzzSetRange(f *testing.F) {
	f.Add([]byte(`{"dependencies":{"a":"^1.0.0"},"devDependencies":{"a":"1.0.0"}}`), "a")
	f.Add([]byte(`{"dependencies":{"a" : "~1.0.0" , "b":"2"}}`), "b")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		out, err := setRange(data, name, "1.2.3")
		if err != nil {
			return
		}
		if _, err := setRange(out, name, "1.2.4"); err != nil {
			t.Fatalf("rewritten package.json no longer parses: %v\n%s", err, out)
		}
	})
}
