package lockfile

import (
	"fmt"
	"path/filepath"
	"strings"
)

// An Extractor reads one lockfile format.
type Extractor struct {
	Name      string   // the format, named after its usual file: "package-lock.json"
	Ecosystem string   // OSV ecosystem of the packages it yields
	Files     []string // base names it reads; a trailing "*" matches any rest ("requirements*.txt" is matched by match)
	parse     func(file string, data []byte, m *manifest) ([]Package, error)
}

// Parse reads data as this format. file is used only in results and errors.
func (x Extractor) Parse(file string, data []byte) ([]Package, error) {
	return x.parseWith(file, data, nil)
}

func (x Extractor) parseWith(file string, data []byte, m *manifest) ([]Package, error) {
	if len(data) > MaxFileSize {
		return nil, errorf(file, 0, "file is %d bytes, more than the %d a lockfile may have: is it really a lockfile? remove it or move it out of the scanned tree", len(data), MaxFileSize)
	}
	pkgs, err := x.parse(file, data, m)
	if err != nil {
		return nil, err
	}
	if len(pkgs) > maxPackages {
		return nil, errorf(file, 0, "more than %d packages: refusing to read further", maxPackages)
	}
	return pkgs, nil
}

// extractors lists every supported format, Node first.
var extractors = []Extractor{
	{Name: "package-lock.json", Ecosystem: NPM, Files: []string{"package-lock.json", "npm-shrinkwrap.json"}, parse: parsePackageLock},
	{Name: "yarn.lock", Ecosystem: NPM, Files: []string{"yarn.lock"}, parse: parseYarnLock},
	{Name: "pnpm-lock.yaml", Ecosystem: NPM, Files: []string{"pnpm-lock.yaml"}, parse: parsePnpmLock},
	{Name: "bun.lock", Ecosystem: NPM, Files: []string{"bun.lock"}, parse: parseBunLock},
	{Name: "go.mod", Ecosystem: Go, Files: []string{"go.mod"}, parse: parseGoMod},
	{Name: "requirements.txt", Ecosystem: PyPI, Files: []string{"requirements.txt"}, parse: parseRequirements},
	{Name: "poetry.lock", Ecosystem: PyPI, Files: []string{"poetry.lock"}, parse: parsePoetryLock},
	{Name: "Pipfile.lock", Ecosystem: PyPI, Files: []string{"Pipfile.lock"}, parse: parsePipfileLock},
	{Name: "uv.lock", Ecosystem: PyPI, Files: []string{"uv.lock"}, parse: parseUvLock},
	{Name: "Cargo.lock", Ecosystem: CratesIO, Files: []string{"Cargo.lock"}, parse: parseCargoLock},
	{Name: "Gemfile.lock", Ecosystem: RubyGems, Files: []string{"Gemfile.lock", "gems.locked"}, parse: parseGemfileLock},
	{Name: "composer.lock", Ecosystem: Packagist, Files: []string{"composer.lock"}, parse: parseComposerLock},
}

// Extractors returns every supported format.
func Extractors() []Extractor { return append([]Extractor(nil), extractors...) }

// Lookup returns the extractor of the format named name ("yarn.lock").
func Lookup(name string) (Extractor, bool) {
	for _, x := range extractors {
		if x.Name == name {
			return x, true
		}
	}
	return Extractor{}, false
}

// forFile returns the extractor reading files named like path.
func forFile(path string) (Extractor, bool) {
	base := filepath.Base(path)
	for _, x := range extractors {
		for _, f := range x.Files {
			if f == base {
				return x, true
			}
		}
	}
	// requirements-dev.txt, requirements_test.txt, …
	if strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt") {
		return Lookup("requirements.txt")
	}
	return Extractor{}, false
}

// Known reports whether a file named name (a path or a base name) is a
// lockfile Parse reads.
func Known(name string) bool {
	_, ok := forFile(name)
	return ok
}

// Parse reads the lockfile data found at path, choosing the format from the
// file's base name. Errors are [*ParseError] values naming path and line.
func Parse(path string, data []byte) ([]Package, error) {
	x, ok := forFile(path)
	if !ok {
		return nil, &ParseError{File: path, Msg: fmt.Sprintf("not a known lockfile name (%s): rename it or use Lookup to pick the format", filepath.Base(path))}
	}
	return x.Parse(path, data)
}
