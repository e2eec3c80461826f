package update

import (
	"slices"
	"testing"
)

func TestNpmFlags(t *testing.T) {
	p, err := parsePackument([]byte(`{"versions": {
		"1.0.0": {"scripts": {"postinstall": "node a.js", "test": "x"}, "maintainers": [{"name": "alice"}, "bob <bob@example.com>"],
			"_npmUser": {"name": "alice"}, "dist": {"unpackedSize": 10000, "fileCount": 5}, "dependencies": {"a": "^1"}},
		"1.0.1": {"scripts": {"postinstall": "node b.js"}, "maintainers": [{"name": "alice"}, {"name": "bob"}],
			"_npmUser": {"name": "alice"}, "dist": {"unpackedSize": 900000, "fileCount": 6}, "dependencies": {"a": "^1", "b": "^2"}},
		"1.0.2": {"maintainers": "not a list", "dist": "junk", "scripts": {"postinstall": 5}},
		"1.0.3": {"maintainers": [{"name": "alice"}, {"name": "bob"}], "_npmUser": {"name": "alice"}, "dist": {"unpackedSize": 11000, "fileCount": 40}}},
		"time": {"1.0.0": "2020-01-01T00:00:00Z", "1.0.1": "2020-02-01T00:00:00Z", "1.0.3": "2026-03-01T00:00:00.000Z"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		to   string
		want []Flag
	}{
		{"1.0.1", []Flag{{FlagInstallScript, "changes its install script (postinstall: node b.js)"}, {FlagSize, "unpacked size 9 KB → 878 KB"}}},
		{"1.0.2", []Flag{{FlagMaintainers, "drops maintainer alice, bob"}}}, // junk fields read as empty, not an error
		{"1.0.3", []Flag{{FlagSize, "5 files → 40"}, {FlagDormant, "first release in 6 years (the one before, 1.0.1, was on 2020-02-01)"}}},
	}
	for _, tt := range tests {
		if got := npmFlags(p, "1.0.0", tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("npmFlags(1.0.0 → %s) = %q, want %q", tt.to, got, tt.want)
		}
	}
	if got := newDeps(p, "1.0.0", "1.0.1"); !slices.Equal(got, []string{"b"}) {
		t.Errorf("newDeps = %q, want [b]", got)
	}
	if got := npmFlags(p, "0.9.0", "1.0.1"); !slices.Equal(got, []Flag{{FlagInstallScript, "has an install script (postinstall: node b.js)"}}) {
		t.Errorf("from a version the packument lacks: %q, want only that it has an install script", got)
	}
}
