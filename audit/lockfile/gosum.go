package lockfile

import (
	"bytes"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// Before Go 1.17 a go.mod lists only some of the modules a build uses; the
// others are found in go.sum, as osv-scanner does too. goSumPackages adds
// the modules whose code (not only go.mod) go.sum records and pkgs lacks.
func goSumPackages(pkgs []Package, sumFile string, sum []byte) []Package {
	have := map[string]bool{}
	for _, p := range pkgs {
		have[p.Name] = true
	}
	lineNo := 0
	for len(sum) > 0 && len(pkgs) < maxPackages {
		lineNo++
		var line []byte
		line, sum, _ = bytes.Cut(sum, []byte{'\n'})
		f := strings.Fields(string(line))
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") || have[f[0]+"@"+f[1]] || have[f[0]] {
			continue
		}
		have[f[0]+"@"+f[1]] = true
		pkgs = append(pkgs, Package{Ecosystem: Go, Name: f[0], Version: strings.TrimPrefix(f[1], "v"), File: sumFile, Line: lineNo})
	}
	return pkgs
}

// goModNeedsSum reports whether data is a go.mod older than Go 1.17.
func goModNeedsSum(data []byte) bool {
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil || f.Go == nil {
		return false
	}
	return semver.Compare("v"+f.Go.Version, "v1.17") < 0
}
