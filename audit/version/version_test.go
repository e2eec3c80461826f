package version

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// vectorFiles maps each corpus file to the ecosystems whose order it
// describes. Every file in corpus/versions except SOURCE must be listed.
var vectorFiles = map[string][]string{
	"semver-versions.txt":              {NPM, CratesIO, Go},
	"pypi-versions.txt":                {PyPI},
	"pypi-versions-generated.txt":      {PyPI},
	"rubygems-versions.txt":            {RubyGems},
	"rubygems-versions-generated.txt":  {RubyGems},
	"packagist-versions.txt":           {Packagist},
	"packagist-versions-generated.txt": {Packagist},
}

func TestCorpusVectors(t *testing.T) {
	dir := testutil.Corpus(t, "versions")
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range names {
		if _, ok := vectorFiles[filepath.Base(path)]; !ok {
			t.Errorf("%s: vector file not used by any ecosystem; add it to vectorFiles", path)
		}
	}
	for file, ecos := range vectorFiles {
		for _, eco := range ecos {
			t.Run(eco+"/"+file, func(t *testing.T) {
				n := checkVectors(t, eco, filepath.Join(dir, file))
				t.Logf("%s: %d vectors passed for %s", file, n, eco)
			})
		}
	}
}

// checkVectors checks each "A < B", "A = B" or "A > B" line of path in
// both directions and returns how many lines it checked.
func checkVectors(t *testing.T, eco, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, line := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "//") || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 3 {
			t.Errorf("%s:%d: malformed vector %q", path, line, text)
			continue
		}
		want := map[string]int{"<": -1, "=": 0, ">": 1}[f[1]]
		bad := false
		for _, v := range []string{f[0], f[2]} {
			if _, err := Parse(eco, v); err != nil {
				if eco == Go {
					// The file is SemVer's; Go's tools reject some of
					// its versions ("1.1.3.4.5"). Counted as skipped.
					t.Logf("%s:%d: skipped for Go: %v", path, line, err)
				} else {
					t.Errorf("%s:%d: %v", path, line, err)
				}
				bad = true
			}
		}
		if bad {
			continue
		}
		failed := false
		if got := Compare(eco, f[0], f[2]); got != want {
			t.Errorf("%s:%d: Compare(%q, %q, %q) = %d, want %d", path, line, eco, f[0], f[2], got, want)
			failed = true
		}
		if got := Compare(eco, f[2], f[0]); got != -want {
			t.Errorf("%s:%d: Compare(%q, %q, %q) = %d, want %d", path, line, eco, f[2], f[0], got, -want)
			failed = true
		}
		if !failed {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("%s: no vectors", path)
	}
	return n
}
