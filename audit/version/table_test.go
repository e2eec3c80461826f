package version

import (
	"errors"
	"testing"
)

func TestCompareTable(t *testing.T) {
	tests := []struct {
		eco, a, b string
		want      int
	}{
		{Go, "1.2.3", "v1.2.3", 0},
		{Go, "v2.0.0+incompatible", "2.0.0", 0},
		{Go, "v0.0.0-20200101000000-abcdefabcdef", "v0.0.1", -1},
		{Go, "1.21.0-rc.1", "1.21.0", -1},
		{NPM, "1.0.0+build.1", "1.0.0", 0},
		{NPM, "v1.2.3", "1.2.3", 0},
		{NPM, "1.2", "1.2.0", 0},
		{CratesIO, "0.9.0-alpha.2", "0.9.0-alpha.10", -1},
		{PyPI, "1.0.post1", "1.0", 1},
		{PyPI, "1!0.1", "2.0", 1},
		{PyPI, "1.0rc1", "1.0c1", 0},
		{PyPI, "1.0-1", "1.0.post1", 0},
		{PyPI, "1.0.0", "1.0", 0},
		{RubyGems, "1.0.0", "1", 0},
		{RubyGems, "1.0.0-rc1", "1.0.0", -1},
		{Packagist, "v2.0.0", "2.0.0", 0},
		{Packagist, "2.0.0-RC1", "2.0.0", -1},
		{Packagist, "2.0.0-p1", "2.0.0", 1},
	}
	for _, tt := range tests {
		if got := Compare(tt.eco, tt.a, tt.b); got != tt.want {
			t.Errorf("Compare(%q, %q, %q) = %d, want %d", tt.eco, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ eco, v string }{
		{NPM, "1.x"},
		{NPM, ""},
		{NPM, "1.0.0-"},
		{Go, "1.0.0.0"},
		{CratesIO, "latest"},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.eco, tt.v); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q, %q) error = %v, want ErrInvalid", tt.eco, tt.v, err)
		}
	}
	if _, err := Parse("Maven", "1.0"); !errors.Is(err, ErrUnknownEcosystem) {
		t.Errorf("Parse(Maven) error = %v, want ErrUnknownEcosystem", err)
	}
	if Compare(NPM, "junk", "1.0.0") != -1 || Compare(NPM, "a", "b") != -1 {
		t.Error("invalid versions must sort before valid ones and among themselves as strings")
	}
}

func TestMajorBump(t *testing.T) {
	tests := []struct {
		eco, from, to string
		want          bool
	}{
		{NPM, "1.2.3", "1.9.0", false},
		{NPM, "1.2.3", "2.0.0", true},
		{NPM, "0.1.2", "0.1.9", false},
		{NPM, "0.1.2", "0.2.0", true},
		{Go, "1.2.3", "1.3.0", false},
		{Go, "0.3.0", "0.4.0", true},
		{PyPI, "2.0", "2.1.post1", false},
		{PyPI, "2.0", "3.0", true},
		{RubyGems, "5.2.1", "6.0.0", true},
		{Packagist, "4.4.1", "4.4.2", false},
	}
	for _, tt := range tests {
		if got := MajorBump(tt.eco, tt.from, tt.to); got != tt.want {
			t.Errorf("MajorBump(%q, %q, %q) = %v, want %v", tt.eco, tt.from, tt.to, got, tt.want)
		}
	}
}
