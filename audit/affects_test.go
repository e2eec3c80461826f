package audit

import (
	"testing"

	"github.com/bulwark-sec/bulwark/audit/osv"
)

func TestAffects(t *testing.T) {
	ev := func(kind, v string) osv.Event {
		switch kind {
		case "i":
			return osv.Event{Introduced: v}
		case "f":
			return osv.Event{Fixed: v}
		case "l":
			return osv.Event{LastAffected: v}
		}
		return osv.Event{Limit: v}
	}
	rng := func(typ string, evs ...osv.Event) osv.Range { return osv.Range{Type: typ, Events: evs} }
	semver := func(evs ...osv.Event) osv.Affected { return osv.Affected{Ranges: []osv.Range{rng("SEMVER", evs...)}} }
	tests := []struct {
		name string
		eco  string
		a    osv.Affected
		in   []string
		out  []string
	}{
		{"introduced 0, fixed", "npm", semver(ev("i", "0"), ev("f", "1.2.3")),
			[]string{"0.0.1", "1.2.2", "1.2.3-rc.1"}, []string{"1.2.3", "1.2.4", "2.0.0"}},
		{"introduced, fixed", "npm", semver(ev("i", "1.0.0"), ev("f", "1.2.3")),
			[]string{"1.0.0", "1.2.2"}, []string{"0.9.9", "1.0.0-beta", "1.2.3"}},
		{"last_affected", "npm", semver(ev("i", "0"), ev("l", "1.5.1")),
			[]string{"1.5.1", "0.1.0"}, []string{"1.5.2", "1.6.0-0"}},
		{"two introduced/fixed pairs", "npm", semver(ev("i", "0"), ev("f", "1.10.4"), ev("i", "1.11.0"), ev("f", "1.16.0")),
			[]string{"1.10.3", "1.11.0", "1.15.9"}, []string{"1.10.4", "1.10.9", "1.16.0", "2.0.0"}},
		{"unsorted events", "npm", semver(ev("f", "1.16.0"), ev("i", "1.11.0"), ev("f", "1.10.4"), ev("i", "0")),
			[]string{"1.10.3", "1.12.0"}, []string{"1.10.5", "1.16.0"}},
		{"introduced only", "npm", semver(ev("i", "2.0.0")),
			[]string{"2.0.0", "99.0.0"}, []string{"1.9.9"}},
		{"limit", "npm", semver(ev("i", "0"), ev("l", "9.0.0"), ev("lim", "2.0.0")),
			[]string{"1.0.0"}, []string{"2.0.0", "3.0.0"}},
		{"multiple introduced, one fixed", "npm", semver(ev("i", "1.0.0"), ev("i", "2.0.0"), ev("f", "3.0.0")),
			[]string{"1.0.0", "2.5.0"}, []string{"0.5.0", "3.0.0"}},
		{"adjacent ranges at one version", "npm", semver(ev("i", "5.2.1"), ev("l", "6.0.0"), ev("i", "6.0.0"), ev("l", "6.0.2")),
			[]string{"5.2.1", "6.0.0", "6.0.1", "6.0.2"}, []string{"5.2.0", "6.0.3"}},
		{"equal introduced and fixed", "npm", semver(ev("i", "1.0.0"), ev("f", "1.0.0")),
			nil, []string{"1.0.0", "0.1.0", "2.0.0"}},
		{"versions list", "npm", osv.Affected{Versions: []string{"3.0.0-rc.1", "2.1.4"}},
			[]string{"3.0.0-rc.1", "2.1.4"}, []string{"3.0.0", "2.1.5"}},
		{"GIT ignored", "npm", osv.Affected{Ranges: []osv.Range{rng("GIT", ev("i", "0"))}},
			nil, []string{"1.0.0"}},
		{"Go with +incompatible and v prefix", "Go", semver(ev("i", "3.0.0+incompatible"), ev("f", "3.0.1-0.20180525145409-4c9aadca8f89+incompatible")),
			[]string{"3.0.0+incompatible", "v3.0.0+incompatible"}, []string{"2.9.0", "3.0.1+incompatible"}},
		{"Go prerelease introduced", "Go", semver(ev("i", "1.15.0-0"), ev("f", "1.15.5")),
			[]string{"1.15.0", "1.15.4"}, []string{"1.14.9", "1.15.5"}},
		{"PyPI ecosystem order", "PyPI", osv.Affected{Ranges: []osv.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "2.0.0rc1"))}},
			[]string{"1.9.post1", "2.0.0b3", "2.0.dev1"}, []string{"2.0.0rc1", "2.0", "2.0.0.post1"}},
		{"RubyGems ecosystem order", "RubyGems", osv.Affected{Ranges: []osv.Range{rng("ECOSYSTEM", ev("i", "5.0"), ev("f", "5.2.4.3"))}},
			[]string{"5.0.0", "5.2.4.2", "5.2.4.3.beta"}, []string{"4.9", "5.2.4.3", "6.0.0.rc1"}},
		{"Packagist ecosystem order", "Packagist", osv.Affected{Ranges: []osv.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "4.4.2"))}},
			[]string{"4.4.1", "4.4.2-RC1", "v4.4.0"}, []string{"4.4.2", "4.4.2-p1"}},
		{"crates.io ecosystem order", "crates.io", osv.Affected{Ranges: []osv.Range{rng("SEMVER", ev("i", "0.0.0-0"), ev("f", "0.8.0"))}},
			[]string{"0.7.9", "0.8.0-alpha.1"}, []string{"0.8.0", "0.8.0+build"}},
		{"unknown ecosystem, ECOSYSTEM range not evaluated", "Maven", osv.Affected{Ranges: []osv.Range{rng("ECOSYSTEM", ev("i", "0"))}},
			nil, []string{"1.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range tt.in {
				if !affects(tt.eco, &tt.a, v) {
					t.Errorf("affects(%s, %+v, %q) = false, want true", tt.eco, tt.a, v)
				}
			}
			for _, v := range tt.out {
				if affects(tt.eco, &tt.a, v) {
					t.Errorf("affects(%s, %+v, %q) = true, want false", tt.eco, tt.a, v)
				}
			}
		})
	}
}

func TestCVSS3BaseScore(t *testing.T) {
	tests := []struct {
		vector string
		want   float64
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", 6.5},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
		{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2},
		{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P/RL:O", 7.5},
	}
	for _, tt := range tests {
		got, err := CVSS3BaseScore(tt.vector)
		if err != nil || got != tt.want {
			t.Errorf("CVSS3BaseScore(%q) = %v, %v; want %v", tt.vector, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "CVSS:4.0/AV:N", "CVSS:3.1/AV:N/AC:L", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV:N/AC:L/Au:N/C:P/I:P/A:P"} {
		if _, err := CVSS3BaseScore(bad); err == nil {
			t.Errorf("CVSS3BaseScore(%q) succeeded, want an error", bad)
		}
	}
}

func FuzzCVSS3BaseScore(f *testing.F) {
	f.Add("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
	f.Add("CVSS:3.0/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:L")
	f.Add("CVSS:3.1/AV:N/AV:N")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := CVSS3BaseScore(v)
		if err == nil && (s < 0 || s > 10) {
			t.Errorf("CVSS3BaseScore(%q) = %v, outside [0, 10]", v, s)
		}
	})
}
