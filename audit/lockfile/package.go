// Package lockfile reads dependency lockfiles (npm, yarn, pnpm, bun, Go,
// Python, Rust, Ruby and PHP) into one flat list of [Package] values that
// the audit matcher compares with OSV advisories.
//
// Lockfiles are untrusted input: every parser is bounded in file size,
// nesting and counts, and reports malformed input as a [*ParseError]
// carrying the file and line.
package lockfile

// A Package is one dependency found in a lockfile.
type Package struct {
	Ecosystem string // OSV ecosystem name: "npm", "Go", "PyPI", "crates.io", "RubyGems", "Packagist"
	Name      string // as the ecosystem spells it (npm scope included: "@types/node"; Go module path)
	Version   string // exact resolved version as OSV spells it: no leading "v" (npm, and Go too: OSV's Go ranges are "1.2.3"); "" when the file pins none
	// Constraint is, when Version is empty, the requirement as the file
	// writes it (">=3.0,<3.1", ">=18"): an unpinned package is never
	// matched as some version of the range, only listed as unpinned.
	Constraint string   `json:",omitempty"`
	Direct     bool     // the project depends on it itself
	Dev        bool     // only a development dependency, where the file says so
	Path       []string // the chain of dependents from a direct dependency down to this package's parent, each "name@version", where the file records it; nil for direct packages
	File       string   // the lockfile, as given to Parse
	Line       int      // 1-based line of the package's entry in File, 0 if unknown
}

// OSV ecosystem names, as advisories spell them.
const (
	NPM       = "npm"
	Go        = "Go"
	PyPI      = "PyPI"
	CratesIO  = "crates.io"
	RubyGems  = "RubyGems"
	Packagist = "Packagist"
)
