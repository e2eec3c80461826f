package version

import (
	"regexp"
	"strings"
)

// pep440 is the regular expression of PEP 440 Appendix B, anchored, with
// case folded beforehand.
var pep440 = regexp.MustCompile(`^\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)` +
	`([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?([0-9]+)?)?` +
	`((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?` +
	`([-_.]?(dev)[-_.]?([0-9]+)?)?)` +
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$`)

// pypiKey is a PEP 440 version, or a legacy (pre-PEP 440) one, ordered as
// the "packaging" library does: legacy versions (epoch -1) before all
// PEP 440 versions.
type pypiKey struct {
	legacy  []string // set for a legacy version, which has nothing else
	epoch   string
	release []string // trailing zeros removed
	// Each of pre, post and dev: present or not, and its number. pre
	// letters are normalised to "a", "b" or "rc".
	preL    string
	preN    string
	hasPost bool
	postN   string
	hasDev  bool
	devN    string
	local   []string // nil when there is no local label
}

func parsePyPI(s string) key {
	s = strings.ToLower(s)
	m := pep440.FindStringSubmatch(s)
	if m == nil {
		return pypiKey{legacy: legacyParts(strings.TrimSpace(s))}
	}
	k := pypiKey{epoch: m[1]}
	if k.epoch == "" {
		k.epoch = "0"
	}
	k.release = strings.Split(m[2], ".")
	for len(k.release) > 0 && strings.Trim(k.release[len(k.release)-1], "0") == "" {
		k.release = k.release[:len(k.release)-1]
	}
	if m[3] != "" {
		switch m[4] {
		case "alpha":
			k.preL = "a"
		case "beta":
			k.preL = "b"
		case "c", "pre", "preview":
			k.preL = "rc"
		default:
			k.preL = m[4]
		}
		k.preN = orZero(m[5])
	}
	if m[6] != "" {
		k.hasPost = true
		k.postN = orZero(m[7] + m[9])
	}
	if m[10] != "" {
		k.hasDev = true
		k.devN = orZero(m[12])
	}
	if m[13] != "" {
		k.local = strings.FieldsFunc(m[13], func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	}
	return k
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func (v pypiKey) cmp(o key) int {
	w := o.(pypiKey)
	switch {
	case v.legacy != nil && w.legacy != nil:
		return cmpStrings(v.legacy, w.legacy)
	case v.legacy != nil:
		return -1
	case w.legacy != nil:
		return 1
	}
	if c := cmpDigits(v.epoch, w.epoch); c != 0 {
		return c
	}
	if c := cmpRelease(v.release, w.release); c != 0 {
		return c
	}
	if c := v.cmpPre(w); c != 0 {
		return c
	}
	if c := cmpOptional(v.hasPost, v.postN, w.hasPost, w.postN, -1); c != 0 {
		return c
	}
	if c := cmpOptional(v.hasDev, v.devN, w.hasDev, w.devN, 1); c != 0 {
		return c
	}
	return cmpLocal(v.local, w.local)
}

// preRank is -1 for a dev release of a final version (1.0.dev0 sorts
// before 1.0a0), +1 for no prerelease, 0 for a prerelease.
func (v pypiKey) preRank() int {
	switch {
	case v.preL == "" && !v.hasPost && v.hasDev:
		return -1
	case v.preL == "":
		return 1
	}
	return 0
}

func (v pypiKey) cmpPre(w pypiKey) int {
	rv, rw := v.preRank(), w.preRank()
	if rv != rw || rv != 0 {
		return sign(rv - rw)
	}
	if c := strings.Compare(v.preL, w.preL); c != 0 {
		return c
	}
	return cmpDigits(v.preN, w.preN)
}

// cmpOptional orders optional numbers, the absent one sorting at
// absent (-1: first, +1: last).
func cmpOptional(hasA bool, a string, hasB bool, b string, absent int) int {
	switch {
	case !hasA && !hasB:
		return 0
	case !hasA:
		return absent
	case !hasB:
		return -absent
	}
	return cmpDigits(a, b)
}

// cmpLocal orders local labels: none first; then segment by segment,
// numeric segments after alphanumeric ones, numerics by value, others as
// strings; a longer label after its prefix.
func cmpLocal(a, b []string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	for i := 0; i < min(len(a), len(b)); i++ {
		an, bn := allDigits(a[i]), allDigits(b[i])
		var c int
		switch {
		case an && bn:
			c = cmpDigits(a[i], b[i])
		case an:
			c = 1
		case bn:
			c = -1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return sign(len(a) - len(b))
}

func cmpStrings(a, b []string) int {
	for i := 0; i < min(len(a), len(b)); i++ {
		if c := strings.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return sign(len(a) - len(b))
}

func (v pypiKey) major() string {
	if v.legacy != nil {
		return strings.Join(v.legacy, "")
	}
	return v.epoch + "!" + majorOf(v.release)
}

// legacyParts is the sort key of packaging's LegacyVersion (setuptools'
// historical parse_version): s is split into runs of digits, runs of
// letters, "." and "-", and whatever lies between them; numbers are
// zero-padded to 8 digits, words are starred and some are renamed, and
// "*final" ends the key.
func legacyParts(s string) []string {
	var parts []string
	add := func(part string) {
		switch part {
		case "", ".":
			return
		case "pre", "preview", "rc":
			part = "c"
		case "-":
			part = "final-"
		case "dev":
			part = "@"
		}
		if isDigit(part[0]) {
			if len(part) < 8 {
				part = strings.Repeat("0", 8-len(part)) + part
			}
		} else {
			part = "*" + part
		}
		if part[0] == '*' {
			if part < "*final" {
				for len(parts) > 0 && parts[len(parts)-1] == "*final-" {
					parts = parts[:len(parts)-1]
				}
			}
			for len(parts) > 0 && parts[len(parts)-1] == "00000000" {
				parts = parts[:len(parts)-1]
			}
		}
		parts = append(parts, part)
	}
	other := 0 // start of text not matched by a token
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		switch {
		case isDigit(c):
			for j < len(s) && isDigit(s[j]) {
				j++
			}
		case 'a' <= c && c <= 'z':
			for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
				j++
			}
		case c == '.' || c == '-':
		default:
			i++
			continue
		}
		add(s[other:i])
		add(s[i:j])
		i, other = j, j
	}
	add(s[other:])
	add("final")
	return parts
}
