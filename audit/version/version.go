// Package version orders package versions the way each package ecosystem
// does: npm and crates.io (SemVer 2.0), Go (module versions), PyPI
// (PEP 440), RubyGems (Gem::Version) and Packagist (Composer / PHP
// version_compare). OSV ranges of type ECOSYSTEM and SEMVER are evaluated
// with these orders.
//
// All functions are pure and safe for concurrent use.
package version

import (
	"errors"
	"fmt"
	"strings"
)

// OSV ecosystem names, as advisories spell them.
const (
	NPM       = "npm"
	Go        = "Go"
	PyPI      = "PyPI"
	CratesIO  = "crates.io"
	RubyGems  = "RubyGems"
	Packagist = "Packagist"
)

// ErrUnknownEcosystem is returned by [Parse] for an ecosystem this package
// has no order for.
var ErrUnknownEcosystem = errors.New("version: unknown ecosystem")

// ErrInvalid is wrapped by [Parse] errors for a version string that the
// ecosystem does not accept.
var ErrInvalid = errors.New("invalid version")

// key is one ecosystem's parsed form of a version.
type key interface {
	cmp(other key) int // other has the same concrete type
	major() string     // the part whose change breaks compatibility
}

// A Version is a parsed version of one ecosystem. The zero Version is
// invalid and sorts before every valid one.
type Version struct {
	eco string
	raw string
	k   key
}

// Supported reports whether [Parse] knows the order of ecosystem.
func Supported(ecosystem string) bool {
	switch ecosystem {
	case NPM, CratesIO, Go, PyPI, RubyGems, Packagist:
		return true
	}
	return false
}

// Parse parses s as a version of ecosystem (an OSV ecosystem name such as
// "npm" or "PyPI"). PyPI, RubyGems and Packagist accept every string
// (PyPI orders non-PEP 440 strings as legacy versions, before all others);
// npm, crates.io and Go reject strings that are not versions.
func Parse(ecosystem, s string) (Version, error) {
	var (
		k  key
		ok bool
	)
	switch ecosystem {
	case NPM, CratesIO:
		k, ok = parseSemver(s)
	case Go:
		k, ok = parseGo(s)
	case PyPI:
		k, ok = parsePyPI(s), true
	case RubyGems:
		k, ok = parseGem(s), true
	case Packagist:
		k, ok = parsePackagist(s), true
	default:
		return Version{}, fmt.Errorf("%w %q", ErrUnknownEcosystem, ecosystem)
	}
	if !ok {
		return Version{}, fmt.Errorf("version: parsing %s version %q: %w", ecosystem, s, ErrInvalid)
	}
	return Version{eco: ecosystem, raw: s, k: k}, nil
}

// String returns the version as it was parsed.
func (v Version) String() string { return v.raw }

// Valid reports whether v came from a successful [Parse].
func (v Version) Valid() bool { return v.k != nil }

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w.
// Invalid versions sort before valid ones; versions of different
// ecosystems are ordered by ecosystem name.
func (v Version) Compare(w Version) int {
	switch {
	case v.k == nil && w.k == nil:
		return 0
	case v.k == nil:
		return -1
	case w.k == nil:
		return 1
	case v.eco != w.eco:
		return strings.Compare(v.eco, w.eco)
	}
	return v.k.cmp(w.k)
}

// Compare parses a and b as versions of ecosystem and orders them: -1, 0
// or +1 as a sorts before, equal to or after b. A string that does not
// parse sorts before every valid version; two such strings compare as
// strings, so Compare is a total order for every input.
func Compare(ecosystem, a, b string) int {
	va, erra := Parse(ecosystem, a)
	vb, errb := Parse(ecosystem, b)
	if erra != nil && errb != nil {
		return strings.Compare(a, b)
	}
	return va.Compare(vb)
}

// MajorBump reports whether moving from version from to version to
// crosses a compatibility boundary: the first release component changes,
// or, while it is 0, the second one does (as npm's and Cargo's caret
// ranges treat 0.x releases). Unparsable versions are a major bump when
// they differ.
func MajorBump(ecosystem, from, to string) bool {
	a, erra := Parse(ecosystem, from)
	b, errb := Parse(ecosystem, to)
	if erra != nil || errb != nil {
		return from != to
	}
	return a.k.major() != b.k.major()
}
