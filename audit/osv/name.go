package osv

import "strings"

// NormalizeName returns the form of a package name the index keys on.
// PyPI names compare after PEP 503 normalisation ("Foo_Bar.baz" and
// "foo-bar-baz" are one project); other ecosystems' names are exact.
func NormalizeName(ecosystem, name string) string {
	if ecosystem != "PyPI" {
		return name
	}
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}
