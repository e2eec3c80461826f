package lockfile

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// A corpusCase is one fixture and what osv-scanner v2.5.0 made of it.
type corpusCase struct {
	format string // osv-scanner's name of the format, which is our Extractor.Name
	file   string // relative to the corpus
	rc     int    // osv-scanner's exit code: 127 could not parse, 128 found no packages
}

func corpusCases(t *testing.T, dir string) []corpusCase {
	f, err := os.Open(filepath.Join(dir, "goldens", "summary.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || cols[0] == "format" {
			continue
		}
		c := corpusCase{format: cols[0], file: cols[1]}
		switch cols[2] {
		case "127":
			c.rc = 127
		case "128":
			c.rc = 128
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// goldenPackages reads osv-scanner's package list for a fixture as "ecosystem|name|version".
func goldenPackages(t *testing.T, dir, file string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "goldens", strings.ReplaceAll(file, "/", "_")+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil // osv-scanner printed nothing: it found no packages
	}
	var out struct {
		Results []struct {
			Packages []struct {
				Package struct{ Name, Version, Ecosystem string }
			}
		}
	}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("golden for %s: %v", file, err)
	}
	var keys []string
	for _, r := range out.Results {
		for _, p := range r.Packages {
			keys = append(keys, p.Package.Ecosystem+"|"+p.Package.Name+"|"+p.Package.Version)
		}
	}
	return uniqueSorted(keys)
}

func uniqueSorted(keys []string) []string {
	slices.Sort(keys)
	return slices.Compact(keys)
}

func packageKeys(pkgs []Package) []string {
	keys := make([]string, 0, len(pkgs))
	for _, p := range pkgs {
		keys = append(keys, p.Ecosystem+"|"+p.Name+"|"+p.Version)
	}
	return uniqueSorted(keys)
}

// A knownDiff is where Bulwark and osv-scanner disagree on a fixture, on
// purpose. The test checks the disagreement is exactly this one, so a change
// on either side shows up.
type knownDiff struct {
	extra   []string // packages we report and osv-scanner does not
	missing []string // packages osv-scanner reports and we do not
	parseOK bool     // osv-scanner failed to parse (rc 127) but we read it
	why     string   // who is right, and why
}

// knownDiffs lists every disagreement with osv-scanner v2.5.0, by fixture.
var knownDiffs = map[string]knownDiff{
	"javascript/packagelockjson/testdata/both/package-lock.json": {
		extra: []string{"npm|supports-color|5.5.0", "npm|wrappy|1.0.2"},
		why: "the directory also holds npm-shrinkwrap.json, which npm uses instead of package-lock.json, so osv-scanner " +
			"skipped this file. Parse reads the file it is given; Scan skips it as npm and osv-scanner do (TestScanPrefersShrinkwrap). Both right.",
	},
	"python/requirements/testdata/per_req_options.txt": {
		extra:   []string{"PyPI|foo10|", "PyPI|foo15|", "PyPI|foo7|1.0"},
		missing: []string{"PyPI|foo7|1.0 unexpected_text_before_options_stays_around"},
		why: "`foo7==1.0 unexpected_text_before_options_stays_around --hash=…`: osv-scanner keeps the stray word in the version, " +
			"which then matches nothing. A version has no spaces; we take 1.0, so advisories for foo7 1.0 match. We are right. " +
			"`foo10== --hash=…` names no version: osv-scanner drops the line, we list it as unpinned (never matched) so the report says it is there.",
	},
	"python/requirements/testdata/env_var.txt": {
		extra: []string{"PyPI|qwert|"},
		why:   "`qwert==${MY_VARIABLE_1}` names no version we can read: osv-scanner drops the line, we list it as unpinned (never matched).",
	},
	"python/requirements/testdata/invalid.txt": {
		extra: []string{"PyPI|asdf|"},
		why:   "`asdf==` and `asdf 1.0` pin no version: osv-scanner drops them, we list asdf as unpinned (never matched).",
	},
	"python/requirements/testdata/example.txt": {
		extra:   []string{"PyPI|keyring|", "PyPI|mopidy-dirble|"},
		missing: []string{"PyPI|keyring|4.1.1", "PyPI|mopidy-dirble|1.1"},
		why:     "`keyring >= 4.1.1` and `~=1.1` are ranges: osv-scanner matches the bound as if installed, we list them as unpinned (issue 19).",
	},
	"python/requirements/testdata/with_versions.txt": {
		extra:   []string{"PyPI|combination-also-valid|", "PyPI|newspaper3k|", "PyPI|pkg|"},
		missing: []string{"PyPI|combination-also-valid|3.5", "PyPI|newspaper3k|0.2.2", "PyPI|pkg|1.2.3"},
		why: "`newspaper3k>=0.2.2`, `pkg<=1.2.3`: osv-scanner takes the bound as the version, so advisories of 0.2.2 are " +
			"reported for whatever newer version pip installs (Django>=3.0,<3.1 matched 37 advisories of 2007-2021, issue 19). " +
			"A range pins no version: we list it as unpinned with its range and match nothing. We are right.",
	},
}

// unsupported lists formats of the corpus that Bulwark does not read at all.
var unsupported = map[string]string{
	"conan.lock": "C++ is not a target of Bulwark", "gradle.lockfile": "JVM is not a target yet", "mix.lock": "Elixir is not a target",
	"packages.lock.json": ".NET is not a target yet", "pdm.lock": "not written yet", "pubspec.lock": "Dart is not a target",
	"pylock.toml": "not written yet", "renv.lock": "R is not a target",
}

func TestCorpusMatchesOSVScanner(t *testing.T) {
	dir := testutil.Corpus(t, "lockfiles")
	for _, c := range corpusCases(t, dir) {
		if why, ok := unsupported[c.format]; ok {
			_ = why
			continue
		}
		t.Run(c.file, func(t *testing.T) {
			x, ok := Lookup(c.format)
			if !ok {
				t.Fatalf("no extractor named %q and the format is not listed as unsupported", c.format)
			}
			kd := knownDiffs[c.file]
			full := filepath.Join(dir, c.file)
			pkgs, err := parseFileAs(x, full) // as Scan does, with the files beside it
			if c.rc == 127 && !kd.parseOK {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("osv-scanner could not parse %s; want a *ParseError, got %v (%d packages)", c.file, err, len(pkgs))
				}
				if pe.File != full || !strings.HasPrefix(err.Error(), full+":") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, p := range pkgs {
				// go.sum and "-r other.txt" packages name the file they come from, beside the fixture.
				if filepath.Dir(p.File) != filepath.Dir(full) || p.Ecosystem != x.Ecosystem {
					t.Errorf("package %+v: want File %q and Ecosystem %q", p, full, x.Ecosystem)
				}
			}
			want := goldenPackages(t, dir, c.file)
			got := packageKeys(pkgs)
			var extra, missing []string
			for _, k := range got {
				if strings.HasPrefix(k, "Go|stdlib|") {
					// Known difference for every go.mod: Bulwark reports the Go toolchain as the module
					// "stdlib" (the toolchain line, else the go line as x.y.0), so that advisories against
					// the standard library match; osv-scanner v2.5.0 lists no stdlib for go.mod files.
					// We think we are right: a go.mod is the only place that says which Go builds the code.
					continue
				}
				if _, ok := slices.BinarySearch(want, k); !ok {
					extra = append(extra, k)
				}
			}
			for _, k := range want {
				if _, ok := slices.BinarySearch(got, k); !ok {
					missing = append(missing, k)
				}
			}
			if d := cmp.Diff(kd.extra, extra); d != "" {
				t.Errorf("packages we report that osv-scanner does not (-known +now):\n%s\nall we report: %q", d, got)
			}
			if d := cmp.Diff(kd.missing, missing); d != "" {
				t.Errorf("packages osv-scanner reports that we do not (-known +now):\n%s\nall we report: %q", d, got)
			}
		})
	}
}
