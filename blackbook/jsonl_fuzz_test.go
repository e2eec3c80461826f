package blackbook

import "testing"

// FuzzParseImportLine: a line of an imported black book never panics the
// parser, and what it accepts is whole: a ban has a target and an id, an
// offender an address, an allowlist entry a valid prefix.
func FuzzParseImportLine(f *testing.F) {
	for _, s := range []string{
		`{"type":"ban","id":"A1","target":"203.0.113.9","reason":"","source":"cli","created":"2025-01-01T00:00:00Z","repeat":0}`,
		`{"type":"ban","id":"A2","target":"user:alice","created":"2025-01-01T00:00:00Z","expires":"2025-01-02T00:00:00Z"}`,
		`{"type":"offender","ip":"198.51.100.7","firstSeen":"2025-01-01T00:00:00Z","lastSeen":"2025-01-01T00:00:00Z","counts":{"sqli":2}}`,
		`{"type":"allow","prefix":"10.0.0.0/8","reason":"office"}`,
		`{"type":"bean"}`, `not json`, `{}`, `{"type":"ban","target":"2001:db8::/64","created":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var bans []Ban
		var offenders []Offender
		var allow []AllowEntry
		if err := parseLine(line, &bans, &offenders, &allow); err != nil {
			return
		}
		for _, b := range bans {
			if b.Target.IsZero() || b.ID == "" {
				t.Errorf("parseLine(%q) accepted a ban without target or id: %+v", line, b)
			}
		}
		for _, o := range offenders {
			if !o.IP.IsValid() {
				t.Errorf("parseLine(%q) accepted an offender without an address", line)
			}
		}
		for _, a := range allow {
			if !a.Prefix.IsValid() {
				t.Errorf("parseLine(%q) accepted an allowlist entry without a prefix", line)
			}
		}
	})
}
