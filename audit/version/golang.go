package version

import (
	"strings"

	"golang.org/x/mod/semver"
)

// goKey is a Go module version in canonical "v" form, ordered by
// golang.org/x/mod/semver ("+incompatible" is build metadata, ignored).
type goKey string

// parseGo accepts module versions with or without the leading "v" (OSV
// writes them without it; go.mod with it).
func parseGo(s string) (key, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "v") {
		s = "v" + s
	}
	if !semver.IsValid(s) {
		return nil, false
	}
	return goKey(s), true
}

func (v goKey) cmp(o key) int { return semver.Compare(string(v), string(o.(goKey))) }

func (v goKey) major() string {
	mm := semver.MajorMinor(string(v)) // "v1.2"
	maj, minor, _ := strings.Cut(mm[1:], ".")
	return majorOf([]string{maj, minor})
}
