package lockfile

// Bounds on untrusted input. Real lockfiles stay far below them: the
// largest npm lockfiles seen in the wild are a few tens of MiB with some
// ten thousand packages.
const (
	// MaxFileSize is the largest lockfile Parse accepts.
	MaxFileSize = 64 << 20
	// maxPackages bounds the packages one file may yield.
	maxPackages = 500_000
	// maxDepth bounds nesting (npm v1 "dependencies" inside dependencies,
	// TOML tables, dependency paths).
	maxDepth = 256
)
