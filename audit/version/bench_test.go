package version

import "testing"

func BenchmarkCompare(b *testing.B) {
	b.ReportAllocs()
	for _, eco := range []string{NPM, Go, PyPI, RubyGems, Packagist} {
		b.Run(eco, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compare(eco, "1.2.3-rc.1", "1.2.10")
			}
		})
	}
}
