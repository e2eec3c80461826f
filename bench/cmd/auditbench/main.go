// Command auditbench measures bulwark audit side by side with
// osv-scanner v2.5.0 on the same lockfiles and the same advisories, both
// offline: a 500-package package-lock.json against an npm database of
// 150,000 OSV entries (the real npm corpus plus generated ones), a
// go.mod of 200 requirements against the Go corpus, and a lockfile of
// every other format bulwark reads (formats.go: pnpm v9 and v5.4, yarn v1
// and berry, composer.lock, Cargo.lock, Gemfile.lock, poetry.lock,
// requirements.txt), generated to the shape its tool writes, against a
// database of its ecosystem. Each tool runs -runs times, interleaved;
// wall time and peak RSS (GNU time) are measured, and the advisory ids
// each reports per package are compared.
//
// It writes its figures into the marked region of -out
// (docs/benchmarks-audit.md), leaving the text around it alone.
//
//	make -f bench/audit.mk bench-audit      # builds both tools, then runs this
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/bench/internal/host"
)

func main() {
	osvScanner := flag.String("osv-scanner", "", "the osv-scanner v2.5.0 binary (required)")
	bulwark := flag.String("bulwark", "", "the bulwark binary (required)")
	corpus := flag.String("corpus", "../shared/corpus", "the shared corpus (osv/npm and osv/go)")
	runs := flag.Int("runs", 5, "runs of each tool per case, interleaved")
	entries := flag.Int("entries", 150_000, "advisories in the npm database, real ones included")
	out := flag.String("out", "", "rewrite the auditbench region of this markdown file (default: print the region)")
	fixturesOnly := flag.Bool("fixtures-only", false, "write the fixtures into -work and stop (to profile a parser on them)")
	only := flag.String("only", "", "measure only the cases whose name contains this")
	keep := flag.String("work", "", "keep the fixtures in this directory (default: a temporary one, removed)")
	flag.Parse()
	if (*osvScanner == "" || *bulwark == "") && !*fixturesOnly || *runs < 1 || *fixturesOnly && *keep == "" {
		flag.Usage()
		os.Exit(2)
	}
	log.SetFlags(0)
	log.SetPrefix("auditbench: ")
	work := *keep
	if work == "" {
		d, err := os.MkdirTemp("", "auditbench-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		work = d
	}
	ctx := context.Background()
	osvVersion := toolVersion(*osvScanner, "--version")
	bulwarkVersion := toolVersion(*bulwark, "version")

	cases, err := buildCases(work, *corpus, *entries)
	if err != nil {
		log.Fatal(err)
	}
	if *fixturesOnly {
		for _, c := range cases {
			log.Printf("%s: %s", c.Name, c.Lockfile)
		}
		return
	}
	var results []caseResult
	imported := map[string]sample{}
	for _, c := range cases {
		if *only != "" && !strings.Contains(c.Name, *only) {
			continue
		}
		r, err := measure(ctx, c, *bulwark, *osvScanner, *runs, imported)
		if err != nil {
			log.Fatal(err)
		}
		results = append(results, r)
	}
	var b bytes.Buffer
	writeReport(&b, results, reportInfo{Host: host.Describe().String(), Date: time.Now().UTC().Format(time.DateOnly),
		Runs: *runs, OSVVersion: osvVersion, BulwarkVersion: bulwarkVersion, Command: strings.Join(os.Args, " ")})
	if *out == "" {
		io.Copy(os.Stdout, &b)
		return
	}
	if err := replaceRegion(*out, b.String()); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", *out)
}

// A benchCase is one lockfile and one database, prepared for both tools.
type benchCase struct {
	Name       string
	Lockfile   string // path, for osv-scanner -L
	Dir        string // its directory, for bulwark audit
	Zip        string // {cache}/osv-scalibr/{ecosystem}/all.zip
	Cache      string // OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY
	DB         string // bulwark's database, imported from Zip
	Packages   int
	Advisories int
}

func buildCases(work, corpus string, entries int) ([]benchCase, error) {
	// npm: the real corpus plus synthetic advisories up to entries.
	names, data, err := readCorpus(filepath.Join(corpus, "osv", "npm"))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var order []string
	for i, n := range names {
		files[filepath.Base(n)] = data[i]
		order = append(order, filepath.Base(n))
	}
	for i := 0; len(order) < entries; i++ {
		name := fmt.Sprintf("SYN-%06d.json", i)
		files[name] = synthetic(i)
		order = append(order, name)
	}
	npm := benchCase{Name: fmt.Sprintf("npm: 500-package package-lock.json, %d advisories", len(order)),
		Dir: filepath.Join(work, "npm", "project"), Cache: filepath.Join(work, "npm", "cache"), Advisories: len(order)}
	npm.Zip = filepath.Join(npm.Cache, "osv-scalibr", "npm", "all.zip")
	npm.DB = filepath.Join(work, "npm", "bulwark-osv.db")
	npm.Lockfile = filepath.Join(npm.Dir, "package-lock.json")
	if err := writeZip(npm.Zip, files, order); err != nil {
		return nil, err
	}
	// 500 packages: up to 150 real advisories' packages at a vulnerable
	// version and 50 at the first fixed one, 150 synthetic ones (a
	// third of them past every synthetic fix) and clean names for the rest.
	realNames, vuln, fixed := pickVersions(data, "npm")
	var pkgs [][2]string
	for i, n := range realNames {
		if i >= 200 {
			break
		}
		v := vuln[n]
		if i >= 150 && fixed[n] != "" {
			v = fixed[n]
		}
		pkgs = append(pkgs, [2]string{n, v})
	}
	for i := 0; i < 150; i++ {
		v := fmt.Sprintf("%d.%d.%d", i%6, i%9, i%4)
		if i%3 == 0 {
			v = "9.0.0"
		}
		pkgs = append(pkgs, [2]string{synName(i * 7), v})
	}
	for i := 0; len(pkgs) < 500; i++ {
		pkgs = append(pkgs, [2]string{fmt.Sprintf("bench-clean-%d", i), "1.0.0"})
	}
	npm.Packages = len(pkgs)
	if err := os.MkdirAll(npm.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := npmLock(npm.Lockfile, pkgs); err != nil {
		return nil, err
	}

	// Go: the Go corpus as one zip, a go.mod of 200 modules.
	names, data, err = readCorpus(filepath.Join(corpus, "osv", "go"))
	if err != nil {
		return nil, err
	}
	files, order = map[string][]byte{}, nil
	for i, n := range names {
		files[filepath.Base(n)] = data[i]
		order = append(order, filepath.Base(n))
	}
	gc := benchCase{Name: fmt.Sprintf("Go: go.mod with 200 requirements, %d advisories", len(order)),
		Dir: filepath.Join(work, "go", "project"), Cache: filepath.Join(work, "go", "cache"), Advisories: len(order)}
	gc.Zip = filepath.Join(gc.Cache, "osv-scalibr", "Go", "all.zip")
	gc.DB = filepath.Join(work, "go", "bulwark-osv.db")
	gc.Lockfile = filepath.Join(gc.Dir, "go.mod")
	if err := writeZip(gc.Zip, files, order); err != nil {
		return nil, err
	}
	modNames, vuln, fixed := pickVersions(data, "Go")
	var mods [][2]string
	for i, n := range modNames {
		if len(mods) == 200 {
			break
		}
		v := vuln[n]
		if i%2 == 1 && fixed[n] != "" {
			v = fixed[n]
		}
		if strings.HasPrefix(v, "0.0.0") || !goModVersionOK(n, v) {
			continue
		}
		mods = append(mods, [2]string{n, v})
	}
	gc.Packages = len(mods)
	if err := os.MkdirAll(gc.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := goMod(gc.Lockfile, mods); err != nil {
		return nil, err
	}
	// osv-scanner drops the stdlib of a go.mod's go line unless told
	// (the go line is a minimum, not the toolchain used); bulwark
	// reports it. Ask osv-scanner to scan it too, so both check the same.
	if err := os.WriteFile(filepath.Join(gc.Dir, "osv-scanner.toml"), []byte("ScanGoModVersion = true\n"), 0o644); err != nil {
		return nil, err
	}
	cases := []benchCase{npm, gc}

	// Every other format, each in a directory of its own: the npm ones
	// against the npm database above (the same packages, more of them),
	// the others against a generated database of their ecosystem.
	npmPkgs := make([]pkg, 0, npmFormatPackages)
	for _, p := range pkgs {
		npmPkgs = append(npmPkgs, pkg{name: p[0], version: p[1]})
	}
	for i := 0; len(npmPkgs) < npmFormatPackages; i++ {
		npmPkgs = append(npmPkgs, pkg{name: fmt.Sprintf("@bench-scope%d/clean-%d", i%7, i), version: fmt.Sprintf("2.%d.%d", i%11, i%5)})
	}
	npmPkgs = withDeps(npmPkgs)
	dbs := map[string]benchCase{"npm": npm}
	for _, f := range formats {
		db, ok := dbs[f.Ecosystem]
		if !ok {
			size := ecosystemSizes[f.Ecosystem]
			files, order = map[string][]byte{}, nil
			for i := 0; i < size.advisories; i++ {
				name := fmt.Sprintf("SYN-%06d.json", i)
				files[name] = syntheticFor(f.Ecosystem, i, size.names)
				order = append(order, name)
			}
			db = benchCase{Cache: filepath.Join(work, f.Ecosystem, "cache"), DB: filepath.Join(work, f.Ecosystem, "bulwark-osv.db"), Advisories: len(order)}
			db.Zip = filepath.Join(db.Cache, "osv-scalibr", f.Ecosystem, "all.zip")
			if err := writeZip(db.Zip, files, order); err != nil {
				return nil, err
			}
			dbs[f.Ecosystem] = db
		}
		list := npmPkgs
		if f.Ecosystem != "npm" {
			list = ecoPackages(f.Ecosystem, ecosystemSizes[f.Ecosystem].packages, ecosystemSizes[f.Ecosystem].names)
		}
		c := db
		c.Dir = filepath.Join(work, "formats", strings.NewReplacer(" ", "-", "(", "", ")", "", ",", "").Replace(f.Name))
		c.Lockfile = filepath.Join(c.Dir, f.File)
		c.Packages = len(list)
		data := f.Write(list)
		c.Name = fmt.Sprintf("%s: %d packages (%d KB), %d %s advisories", f.Name, len(list), len(data)>>10, db.Advisories, f.Ecosystem)
		if err := os.MkdirAll(c.Dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(c.Lockfile, data, 0o644); err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// npmFormatPackages is the size of the npm lockfiles other than
// package-lock.json: the 500 packages of that case and clean ones.
const npmFormatPackages = 1500

// ecosystemSizes are the generated databases (advisories over names,
// about the size of OSV's for the ecosystem) and lockfiles (packages).
var ecosystemSizes = map[string]struct{ advisories, names, packages int }{
	"Packagist": {5000, 1000, 600},
	"crates.io": {2000, 400, 800},
	"RubyGems":  {2000, 400, 600},
	"PyPI":      {15000, 3000, 700},
}

// A caseResult holds the measurements of both tools on one case.
type caseResult struct {
	Case                  benchCase
	Import                sample // bulwark db import of the zip, once
	Bulwark, OSVScanner   stats
	BulwarkF, OSVScannerF findings
	OnlyBulwark, OnlyOSV  []string
}

func measure(ctx context.Context, c benchCase, bulwark, osvScanner string, runs int, imported map[string]sample) (caseResult, error) {
	r := caseResult{Case: c}
	var err error
	if s, ok := imported[c.DB]; ok {
		r.Import = s // one database serves several formats
	} else {
		log.Printf("%s: importing %s into bulwark's database", c.Name, c.Zip)
		if r.Import, err = run(ctx, nil, nil, bulwark, "db", "import", "--db", c.DB, c.Zip); err != nil {
			return r, err
		}
		imported[c.DB] = r.Import
	}
	osvEnv := []string{"OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY=" + c.Cache, "OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=" + c.Cache}
	bulwarkRun := func() (sample, error) {
		return run(ctx, nil, []int{1}, bulwark, "audit", "--db", c.DB, "--json", c.Dir)
	}
	osvRun := func() (sample, error) {
		return run(ctx, osvEnv, []int{1}, osvScanner, "scan", "source", "--offline", "--format", "json", "--lockfile", c.Lockfile)
	}
	var bs, ss []sample
	for i := 0; i < runs; i++ {
		order := []func() error{
			func() error { s, err := bulwarkRun(); bs = append(bs, s); return err },
			func() error { s, err := osvRun(); ss = append(ss, s); return err },
		}
		if i%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, f := range order {
			if err := f(); err != nil {
				return r, err
			}
		}
		log.Printf("%s: run %d: bulwark %v %d MiB, osv-scanner %v %d MiB", c.Name, i+1,
			bs[i].Wall.Round(time.Millisecond), bs[i].MaxRSS>>20, ss[i].Wall.Round(time.Millisecond), ss[i].MaxRSS>>20)
	}
	r.Bulwark, r.OSVScanner = summarize(bs), summarize(ss)
	if r.BulwarkF, err = parseBulwark(bs[0].Stdout); err != nil {
		return r, err
	}
	if r.OSVScannerF, err = parseOSVScanner(ss[0].Stdout); err != nil {
		return r, err
	}
	r.OnlyBulwark, r.OnlyOSV = diff(r.BulwarkF, r.OSVScannerF)
	return r, nil
}

func toolVersion(bin string, arg string) string {
	out, err := exec.Command(bin, arg).Output()
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// goModVersionOK reports whether go.mod accepts version v of module
// path: from v2 on, the path must end in /vN (the +incompatible
// versions are left out).
func goModVersionOK(path, v string) bool {
	major, _, _ := strings.Cut(v, ".")
	suffix := ""
	if i := strings.LastIndex(path, "/v"); i >= 0 && strings.Trim(path[i+2:], "0123456789") == "" && len(path) > i+2 {
		suffix = path[i+2:]
	}
	if strings.HasPrefix(path, "gopkg.in/") {
		return false
	}
	switch {
	case major == "0" || major == "1":
		return suffix == ""
	default:
		return suffix == major
	}
}
