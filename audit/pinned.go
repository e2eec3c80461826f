package audit

import (
	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/version"
)

// Pinned reports whether p names one exact version that can be matched
// against advisories. A requirement (">=3.0,<3.1"), an empty version or
// one the ecosystem cannot read is not pinned: matching it as some
// version of its range (the lowest, say) would report advisories that
// may not apply, and miss those of the version actually installed.
func Pinned(p lockfile.Package) bool { return version.Exact(p.Ecosystem, p.Version) }

// Unpinned returns the packages of pkgs that are not [Pinned], which a
// report lists apart with their requirement, once per ecosystem, name,
// requirement and place.
func Unpinned(pkgs []lockfile.Package) []lockfile.Package {
	type key struct {
		eco, name, version, constraint, file string
		line                                 int
	}
	seen := map[key]bool{}
	var out []lockfile.Package
	for _, p := range pkgs {
		if Pinned(p) {
			continue
		}
		k := key{p.Ecosystem, p.Name, p.Version, p.Constraint, p.File, p.Line}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}
