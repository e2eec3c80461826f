package version

import "strings"

// Exact reports whether s names one version of ecosystem, as opposed to
// nothing (""), a requirement (">=3.0,<3.1", "^1.2", "~> 2.0", "1.x",
// "*") or a string the ecosystem's order only tolerates (a PyPI legacy
// version such as "latest"). Only an exact version may be matched
// against advisories: anything else would be a guess. Ecosystems without
// an order here accept any non-empty string free of requirement syntax.
func Exact(ecosystem, s string) bool {
	if s == "" || strings.ContainsAny(s, " \t<>=~^*,|!") {
		return false
	}
	if ecosystem == NPM || ecosystem == CratesIO || ecosystem == RubyGems || ecosystem == Packagist || ecosystem == PyPI {
		for _, part := range strings.Split(s, ".") {
			if part == "x" || part == "X" {
				return false
			}
		}
	}
	if !Supported(ecosystem) {
		return true
	}
	if ecosystem == RubyGems || ecosystem == Packagist {
		// Their orders take any string ("latest", "dev-main" order
		// somewhere), but a release starts with a number.
		if t := strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V"); t == "" || t[0] < '0' || t[0] > '9' {
			return false
		}
	}
	v, err := Parse(ecosystem, s)
	if err != nil {
		return false
	}
	if k, ok := v.k.(pypiKey); ok && k.legacy != nil {
		return false
	}
	return true
}
