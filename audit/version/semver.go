package version

import "strings"

// semverKey is a SemVer 2.0 version (npm, crates.io): numeric release
// components, then prerelease identifiers; build metadata is ignored.
type semverKey struct {
	release []string // digit strings; missing components count as 0
	pre     []string // nil for a release
}

// parseSemver parses SemVer 2.0, tolerating a leading "v" or "=", fewer or
// more than three release components and leading zeros, as advisories
// written by hand sometimes carry.
func parseSemver(s string) (key, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "=")
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		s = s[1:]
	}
	if i := strings.IndexByte(s, '+'); i >= 0 {
		if !validIdents(s[i+1:]) {
			return nil, false
		}
		s = s[:i]
	}
	var k semverKey
	core := s
	if i := strings.IndexByte(s, '-'); i >= 0 {
		core = s[:i]
		if !validIdents(s[i+1:]) {
			return nil, false
		}
		k.pre = strings.Split(s[i+1:], ".")
	}
	k.release = strings.Split(core, ".")
	for _, c := range k.release {
		if !allDigits(c) {
			return nil, false
		}
	}
	return k, true
}

// validIdents reports whether s is a dot-separated list of non-empty
// [0-9A-Za-z-] identifiers.
func validIdents(s string) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
				return false
			}
		}
	}
	return true
}

func (v semverKey) cmp(o key) int {
	w := o.(semverKey)
	if c := cmpRelease(v.release, w.release); c != 0 {
		return c
	}
	return cmpPrerelease(v.pre, w.pre)
}

func (v semverKey) major() string { return majorOf(v.release) }

// cmpRelease orders numeric component lists, padding the shorter with 0.
func cmpRelease(a, b []string) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := "0", "0"
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmpDigits(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// cmpPrerelease applies SemVer 2.0 §11: a release sorts after its
// prereleases; identifiers compare numerically when both are numeric,
// numeric ones sort before alphanumeric ones, others compare in ASCII
// order; a longer list wins when all shared identifiers are equal.
func cmpPrerelease(a, b []string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	for i := 0; i < min(len(a), len(b)); i++ {
		x, y := a[i], b[i]
		xn, yn := allDigits(x), allDigits(y)
		var c int
		switch {
		case xn && yn:
			c = cmpDigits(x, y)
		case xn:
			c = -1
		case yn:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return sign(len(a) - len(b))
}
