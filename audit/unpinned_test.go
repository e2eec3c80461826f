package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// twinLine numbers the unpinned twins, which no fixture reaches.
const twinLine = 1_000_000

// TestUnpinnedNeverMatched reads every lockfile of every format (the
// shared corpus and the samples), adds to each package found a twin
// without a pinned version (empty, a range, a tag), and matches them all
// against advisories that affect every version of every one of those
// packages: each pinned package is found, no unpinned one is, and each
// unpinned one is listed by Unpinned with its requirement.
func TestUnpinnedNeverMatched(t *testing.T) {
	ctx := context.Background()
	var files []string
	var pkgs []lockfile.Package
	byEco := map[string]int{}
	parsed := map[string]bool{} // formats with a file read
	add := func(format, file string, ps []lockfile.Package) {
		files = append(files, file)
		parsed[format] = true
		pkgs = append(pkgs, ps...)
		for _, p := range ps {
			byEco[p.Ecosystem]++
		}
	}
	corpus := testutil.Corpus(t, "lockfiles")
	summary, err := os.ReadFile(filepath.Join(corpus, "goldens", "summary.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(summary), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || cols[0] == "format" {
			continue
		}
		x, ok := lockfile.Lookup(cols[0])
		if !ok {
			continue // a format Bulwark does not read (TestCorpusMatchesOSVScanner lists them)
		}
		data, err := os.ReadFile(filepath.Join(corpus, cols[1]))
		if err != nil {
			t.Fatal(err)
		}
		if ps, err := x.Parse(cols[1], data); err == nil {
			add(x.Name, cols[1], ps)
		}
	}
	filepath.WalkDir(filepath.Join("lockfile", "testdata", "samples"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && lockfile.Known(d.Name()) {
			if ps, err := lockfile.ParseFile(p); err == nil {
				add(d.Name(), p, ps)
			}
		}
		return nil
	})
	for _, x := range lockfile.Extractors() {
		if !parsed[x.Name] {
			t.Errorf("no %s file read: the test proves nothing for that format", x.Name)
		}
	}
	// The twins: what a lockfile or manifest may hold instead of a version.
	n := len(pkgs)
	for i, p := range pkgs[:n] {
		for _, v := range []string{"", ">=1.0", "^1.2.3", "~> 2.0", "1.x", "*", "latest", ">=3.0,<3.1"} {
			tw := p
			tw.Version, tw.Constraint, tw.Line = "", v, twinLine+i
			if v == "latest" || v == "1.x" {
				tw.Version, tw.Constraint = v, "" // unparsable or wildcard in the version field itself
			}
			pkgs = append(pkgs, tw)
		}
	}
	for _, eco := range []string{lockfile.NPM, lockfile.Go, lockfile.PyPI, lockfile.CratesIO, lockfile.RubyGems, lockfile.Packagist} {
		if byEco[eco] == 0 {
			t.Fatalf("no %s package read from %d lockfiles: the test would prove nothing for it", eco, len(files))
		}
	}

	// An advisory per package, affecting every version.
	db, err := osv.Open(ctx, filepath.Join(t.TempDir(), "osv.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seen := map[osv.Key]bool{}
	var recs []osv.Record
	for _, p := range pkgs {
		k := osv.Key{Ecosystem: p.Ecosystem, Name: p.Name}
		if seen[k] {
			continue
		}
		seen[k] = true
		e := osv.Entry{ID: fmt.Sprintf("TEST-%d", len(recs)), Affected: []osv.Affected{{Package: osv.Package{Ecosystem: p.Ecosystem, Name: p.Name},
			Ranges: []osv.Range{{Type: osv.RangeEcosystem, Events: []osv.Event{{Introduced: "0"}}}}}}}
		data, _ := json.Marshal(e)
		recs = append(recs, osv.Record{Name: e.ID, Data: data})
	}
	if _, err := db.ImportRecords(ctx, recs, nil); err != nil {
		t.Fatal(err)
	}
	findings, err := Match(ctx, db, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	type place struct {
		file string
		line int
		name string
	}
	found := map[place]bool{}
	for _, f := range findings {
		if f.Package.Line >= twinLine || !Pinned(f.Package) {
			t.Errorf("%s %s %q (requirement %q) at %s:%d matched %s: an unpinned package must never be",
				f.Package.Ecosystem, f.Package.Name, f.Package.Version, f.Package.Constraint, f.Package.File, f.Package.Line, f.IDs[0])
		}
		found[place{f.Package.File, f.Package.Line, f.Package.Name}] = true
	}
	listed := map[place]bool{}
	for _, u := range Unpinned(pkgs) {
		listed[place{u.File, u.Line, u.Name}] = true
	}
	pinned, unpinned := 0, 0
	for _, p := range pkgs {
		at := place{p.File, p.Line, p.Name}
		if p.Line < twinLine && Pinned(p) {
			pinned++
			if !found[at] {
				t.Errorf("%s %s %s at %s:%d: pinned but not matched by an advisory affecting every version", p.Ecosystem, p.Name, p.Version, p.File, p.Line)
			}
		} else {
			unpinned++
			if !listed[at] {
				t.Errorf("%s %s (version %q, requirement %q) at %s:%d: unpinned but not listed by Unpinned", p.Ecosystem, p.Name, p.Version, p.Constraint, p.File, p.Line)
			}
		}
	}
	t.Logf("%d lockfiles: %d pinned packages matched, %d unpinned never matched", len(files), pinned, unpinned)
}
