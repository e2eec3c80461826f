package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// nodeDB imports the shared Node.js core advisories and schedule.
func nodeDB(t *testing.T) (*osv.DB, nodejs.Schedule) {
	t.Helper()
	ctx := context.Background()
	db, err := osv.Open(ctx, filepath.Join(t.TempDir(), "osv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d, err := nodejs.ReadDir(testutil.Corpus(t, "nodejs-core"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nodejs.Import(ctx, db, d); err != nil {
		t.Fatal(err)
	}
	sched, err := nodejs.LoadSchedule(ctx, db)
	if err != nil || sched == nil {
		t.Fatalf("LoadSchedule = %v, %v; want the imported schedule", sched, err)
	}
	return db, sched
}

func node(version, constraint string) lockfile.Package {
	return lockfile.Package{Ecosystem: nodejs.Ecosystem, Name: nodejs.Name, Version: version, Constraint: constraint, Direct: true, File: ".nvmrc", Line: 1}
}

// names returns every id and alias of the findings.
func names(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.IDs...)
		out = append(out, f.Aliases...)
	}
	return out
}

func TestNodeRuntimeAdvisories(t *testing.T) {
	db, sched := nodeDB(t)
	ctx := context.Background()
	day := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)

	// 20.11.0: the February 2024 fetch() DoS among others, one fix in the
	// 20.x line for all, and the line past its end of life (2026-04-30).
	fs, err := Match(ctx, db, []lockfile.Package{node("20.11.0", "")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names(fs), "CVE-2024-22025") || !slices.Contains(names(fs), "NSWG-COR-138") {
		t.Errorf("node 20.11.0: findings %q, want NSWG-COR-138 (CVE-2024-22025) among them", names(fs))
	}
	if len(fs) < 10 {
		t.Errorf("node 20.11.0: %d findings, want the dozens of advisories since February 2024", len(fs))
	}
	if fs[0].Remediation == nil || fs[0].Remediation.To != "20.20.2" || fs[0].Remediation.Major {
		t.Errorf("node 20.11.0: remediation %+v, want 20.20.2 in the same line", fs[0].Remediation)
	}
	for _, f := range fs {
		if f.Severity.Level == Unknown {
			t.Errorf("%s: severity unknown, want the advisory's", f.IDs[0])
		}
	}
	rts := Runtimes([]lockfile.Package{node("20.11.0", "")}, sched, day)
	if len(rts) != 1 || rts[0].Line.Line != "20.x" || !rts[0].Line.PastEnd || rts[0].Line.End != "2026-04-30" || rts[0].Line.MoveTo != "24.x" {
		t.Errorf("Runtimes(20.11.0) on %s = %+v, want 20.x past its end on 2026-04-30, move to 24.x", day.Format(time.DateOnly), rts)
	}
	if rts := Runtimes([]lockfile.Package{node("20.11.0", "")}, sched, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); rts[0].Line.PastEnd {
		t.Errorf("Runtimes(20.11.0) on 2025-01-01 = %+v, want 20.x still supported", rts)
	}

	// 24.14.1 carries the March 2026 fixes.
	fs, err = Match(ctx, db, []lockfile.Package{node("24.14.1", "")})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names(fs), "CVE-2026-21637") {
		t.Errorf("node 24.14.1: findings %q include CVE-2026-21637, fixed in 24.14.1", names(fs))
	}
	fs, err = Match(ctx, db, []lockfile.Package{node("24.14.0", "")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names(fs), "CVE-2026-21637") {
		t.Errorf("node 24.14.0: findings %q, want CVE-2026-21637", names(fs))
	}
	// 5.12.0: the 5.x line ended with advisories it never got a fix for;
	// the fix is not a release of another line (that is moving lines,
	// which the end of life says), so none is named.
	fs, err = Match(ctx, db, []lockfile.Package{node("5.12.0", "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 || fs[0].Remediation.To != "" {
		t.Errorf("node 5.12.0: %d findings, remediation %+v; want findings and no fix outside the 5.x line", len(fs), fs[0].Remediation)
	}
	rts = Runtimes([]lockfile.Package{node("5.12.0", "")}, sched, day)
	if !rts[0].Line.PastEnd || rts[0].Line.MoveTo != "24.x" {
		t.Errorf("Runtimes(5.12.0) = %+v, want 5.x past its end, move to 24.x", rts)
	}
	rts = Runtimes([]lockfile.Package{node("24.14.1", "")}, sched, day)
	if rts[0].Line.PastEnd || rts[0].Line.MoveTo != "" {
		t.Errorf("Runtimes(24.14.1) = %+v, want a supported line with nothing to move to", rts)
	}
}

func TestNodeRangeNotGuessed(t *testing.T) {
	db, sched := nodeDB(t)
	day := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []string{">=18", "lts/*", "^18.0.0 || ^20.0.0", ""} {
		p := node("", c)
		fs, err := Match(context.Background(), db, []lockfile.Package{p})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) > 0 {
			t.Errorf("node %q: matched %q, want nothing: a range is not a version", c, names(fs))
		}
		if u := Unpinned([]lockfile.Package{p}); len(u) != 1 || u[0].Constraint != c {
			t.Errorf("Unpinned(node %q) = %+v, want it listed with its range", c, u)
		}
		if rts := Runtimes([]lockfile.Package{p}, sched, day); len(rts) != 1 || rts[0].Line.Line != "" {
			t.Errorf("Runtimes(%q) = %+v, want no line guessed", c, rts)
		}
	}
	// One major names its line without naming a version: its end of life
	// is known, its advisories are not.
	rts := Runtimes([]lockfile.Package{node("", "18")}, sched, day)
	if rts[0].Line.Line != "18.x" || !rts[0].Line.PastEnd {
		t.Errorf("Runtimes(\"18\") = %+v, want 18.x past its end", rts)
	}
}

func TestNodeFindPins(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", "# build\nFROM --platform=linux/amd64 node:20.11.0-alpine3.19 AS build\nRUN npm ci\nFROM docker.io/library/node:22-slim\n")
	write("package.json", "{\n  \"name\": \"app\",\n  \"engines\": {\n    \"node\": \">=18\"\n  },\n  \"volta\": {\"node\": \"20.11.1\"},\n"+
		"  \"devEngines\": {\"runtime\": {\"name\": \"node\", \"version\": \"^24.0.0\"}}\n}\n")
	write(".nvmrc", "# pinned\nv24.14.1\n")
	write(".tool-versions", "python 3.12.0\nnodejs 22.22.2\n")
	write("node_modules/x/.nvmrc", "8.0.0\n") // another project's
	pkgs, errs := nodejs.Find(context.Background(), dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	type pin struct {
		file          string
		line          int
		version, spec string
	}
	var got []pin
	for _, p := range pkgs {
		got = append(got, pin{filepath.Base(p.File), p.Line, p.Version, p.Constraint})
	}
	want := []pin{
		{".nvmrc", 2, "24.14.1", ""},
		{".tool-versions", 2, "22.22.2", ""},
		{"Dockerfile", 2, "20.11.0", ""},
		{"Dockerfile", 4, "", "22"},
		{"package.json", 4, "", ">=18"},
		{"package.json", 6, "20.11.1", ""},
		{"package.json", 7, "", "^24.0.0"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Find:\n got %+v\nwant %+v", got, want)
	}
}

func TestNodeFindBadPackageJSON(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte("{\n  \"engines\": {\n    \"node\": >=18\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs, errs := nodejs.Find(context.Background(), dir)
	if len(pkgs) != 0 || len(errs) != 1 {
		t.Fatalf("Find = %v, %v; want one error and no pin", pkgs, errs)
	}
	if want := filepath.Join(dir, "package.json") + ":3:"; !slices.ContainsFunc([]string{errs[0].Error()}, func(s string) bool { return len(s) > len(want) && s[:len(want)] == want }) {
		t.Errorf("error %q, want it to start with %q", errs[0], want)
	}
}
