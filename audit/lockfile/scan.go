package lockfile

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// skipDirs are directories Find never enters: installed dependencies and
// version control, which hold other projects' lockfiles.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true, ".git": true, ".hg": true, ".svn": true}

// Find returns the lockfiles under dir, sorted. It does not follow
// symbolic links to directories, so it cannot loop, and skips
// node_modules, vendor and version-control directories.
func Find(ctx context.Context, dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable subdirectory: skip it, keep scanning
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && Known(d.Name()) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("finding lockfiles in %s: %w", dir, err)
	}
	slices.Sort(found)
	return found, nil
}

// Scan parses every lockfile Find returns. A file that cannot be read or
// parsed adds an error (a [*ParseError] naming file and line) and the scan
// goes on. As npm does, a package-lock.json beside an npm-shrinkwrap.json
// is skipped.
func Scan(ctx context.Context, dir string) (pkgs []Package, errs []error) {
	files, err := Find(ctx, dir)
	if err != nil {
		return nil, []error{err}
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return pkgs, append(errs, err)
		}
		if filepath.Base(f) == "package-lock.json" {
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), "npm-shrinkwrap.json")); err == nil {
				continue
			}
		}
		p, err := ParseFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pkgs = append(pkgs, p...)
	}
	return pkgs, errs
}

// ParseFile reads and parses the lockfile at path, choosing the format from
// its name. It also reads what the format leaves to files beside it: the
// package.json of an npm v1 or yarn lockfile (for direct dependencies) and
// the go.sum of a go.mod older than Go 1.17 (for the modules go.mod omits).
func ParseFile(path string) ([]Package, error) {
	x, ok := forFile(path)
	if !ok {
		return nil, &ParseError{File: path, Msg: "not a known lockfile name: rename it or use Lookup to pick the format"}
	}
	return parseFileAs(x, path)
}

func parseFileAs(x Extractor, path string) ([]Package, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	var m *manifest
	if x.Ecosystem == NPM {
		if pj, err := readBounded(filepath.Join(filepath.Dir(path), "package.json")); err == nil {
			m, _ = parseManifest(pj) // a broken package.json only costs the direct flags
		}
	}
	if x.Name == "requirements.txt" {
		if len(data) > MaxFileSize {
			return nil, errorf(path, 0, "file is larger than the %d bytes a lockfile may have", MaxFileSize)
		}
		return parseRequirementsWith(path, data, requirementsInclude, map[string]bool{path: true}, 0)
	}
	pkgs, err := x.parseWith(path, data, m)
	if err != nil || x.Name != "go.mod" || !goModNeedsSum(data) {
		return pkgs, err
	}
	sumFile := strings.TrimSuffix(path, ".mod") + ".sum"
	if sum, err := readBounded(sumFile); err == nil {
		pkgs = goSumPackages(pkgs, sumFile, sum)
	}
	return pkgs, nil
}

// readBounded reads a file of at most MaxFileSize bytes.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &ParseError{File: path, Msg: fmt.Sprintf("reading: %v", err), Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, errorf(path, 0, "file is larger than the %d bytes a lockfile may have: is it really a lockfile? remove it or move it out of the scanned tree", MaxFileSize)
	}
	return data, nil
}
