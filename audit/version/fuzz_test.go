package version

import "testing"

// FuzzCompare checks on arbitrary strings that every order is total and
// consistent: no panic, Compare(a, a) == 0, and antisymmetry.
func FuzzCompare(f *testing.F) {
	for _, s := range [][2]string{
		{"1.0.0-alpha.1", "1.0.0+build"}, {"1!2.0rc1.post2.dev3+local.7", "1.0-1"},
		{"1.0.a.10", "1.0-rc1"}, {"1.2.3.#.beta", "dev-foo"}, {"v1.2.3+incompatible", "0.0.0-2020-abc"},
		{"-class.-jw.util.version.version-pre", "0.9-doduo"}, {"", "."}, {"999999999999999999999991", "1..2"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, eco := range []string{NPM, CratesIO, Go, PyPI, RubyGems, Packagist} {
			if c := Compare(eco, a, a); c != 0 {
				t.Errorf("Compare(%q, %q, %q) = %d, want 0", eco, a, a, c)
			}
			ab, ba := Compare(eco, a, b), Compare(eco, b, a)
			if ab != -ba {
				t.Errorf("%s: Compare(%q, %q) = %d but Compare(%q, %q) = %d", eco, a, b, ab, b, a, ba)
			}
			MajorBump(eco, a, b)
		}
	})
}
