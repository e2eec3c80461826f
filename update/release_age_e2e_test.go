package update

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit/osv"
)

// freshFixture publishes fresh 1.0.0, 1.0.1 (ten days old, depending on
// lib ^1.0.0, published by a new maintainer, mallory) and 1.0.2 (an hour
// old), and lib 1.0.0 (old) and 1.0.1 (an hour old), and installs an app
// depending on fresh 1.0.0.
func freshFixture(t *testing.T) (dir string, env []string, reg *npmRegistry) {
	t.Helper()
	needNPM(t)
	now := time.Now()
	ok := "exports.ok = () => true;\n"
	reg = newNPMRegistry(t, testToken, []npmVersion{
		{name: "lib", version: "1.0.0", index: ok, published: now.Add(-30 * 24 * time.Hour)},
		{name: "lib", version: "1.0.1", index: ok, published: now.Add(-time.Hour)},
		{name: "fresh", version: "1.0.0", index: ok, published: now.Add(-30 * 24 * time.Hour)},
		{name: "fresh", version: "1.0.1", index: ok, published: now.Add(-10 * 24 * time.Hour), maintainers: []string{"mallory", "alice"},
			manifest: map[string]any{"name": "fresh", "version": "1.0.1", "main": "index.js", "dependencies": map[string]string{"lib": "^1.0.0"}}},
		{name: "fresh", version: "1.0.2", index: ok, published: now.Add(-time.Hour)},
	})
	env = npmEnv(t)
	dir = t.TempDir()
	write(t, dir, ".npmrc", "registry="+reg.URL+"\n")
	write(t, dir, "package.json", `{"name": "app", "version": "1.0.0", "private": true,
  "scripts": {"test": "node test.js"},
  "dependencies": {"fresh": "1.0.0"}}
`)
	write(t, dir, "test.js", "if (!require('fresh').ok()) process.exit(1);\n")
	run(t, dir, env, "npm", "install", "--no-audit", "--no-fund")
	reg.forget()
	return dir, env, reg
}

// TestMinReleaseAge checks that a version published an hour ago waits and
// is never downloaded, that the newest old enough is tried instead with
// what it pulls in held to the release age too, and that a young version
// fixing an advisory is tried.
func TestMinReleaseAge(t *testing.T) {
	dir, env, reg := freshFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := Run(ctx, dir, Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.TestsOffline && !strings.Contains(strings.Join(rep.Notes, "\n"), "the tests ran with network access: ") {
		t.Errorf("the tests had network and the notes do not say why: %q", rep.Notes)
	}
	t.Logf("tests offline: %v", rep.TestsOffline)
	got := statuses(rep)
	if got["npm:fresh@1.0.2"] != Waiting || got["npm:fresh@1.0.1"] != Passed {
		t.Fatalf("statuses %v, want fresh 1.0.2 waiting and 1.0.1 passed", got)
	}
	for _, r := range rep.Results {
		if r.To == "1.0.2" {
			if want := r.Published.Add(DefaultMinReleaseAge); !r.Eligible.Equal(want) {
				t.Errorf("fresh 1.0.2 eligible %s, want %s", r.Eligible, want)
			}
		}
	}
	for _, r := range rep.Results {
		if r.To != "1.0.1" {
			continue
		}
		want := []Flag{
			{FlagMaintainers, "adds maintainer mallory"},
			{FlagPublisher, "published by mallory (1.0.0 was by alice)"},
			{FlagNewDependency, "new dependency lib (package 30 days old)"},
		}
		if !slices.Equal(r.Flags, want) {
			t.Errorf("fresh 1.0.1 flags %q, want %q", r.Flags, want)
		}
	}
	if reg.wasFetched("fresh", "1.0.2") {
		t.Error("the waiting fresh 1.0.2 was downloaded")
	}
	if reg.wasFetched("lib", "1.0.1") || !reg.wasFetched("lib", "1.0.0") {
		t.Error("fresh 1.0.1's trial pulled in lib 1.0.1, an hour old, instead of lib 1.0.0")
	}
	var out strings.Builder
	rep.WriteTable(&out)
	if !strings.Contains(out.String(), "adds maintainer mallory; published by mallory") {
		t.Errorf("the table lacks the red flags:\n%s", out.String())
	}
	if !strings.Contains(rep.Markdown(), "new dependency lib (package 30 days old)") {
		t.Errorf("the PR text lacks the red flags:\n%s", rep.Markdown())
	}
	if !strings.Contains(out.String(), "waiting until "+time.Now().Add(DefaultMinReleaseAge-time.Hour).UTC().Format("2006-01-02")) {
		t.Errorf("the table does not say when fresh 1.0.2 is tried:\n%s", out.String())
	}

	// The same version fixing an advisory of the local database is tried.
	adv := testAdvisoryDB(t, `{"id": "GHSA-fres-h000-0001", "modified": "2026-01-01T00:00:00Z",
		"summary": "fresh before 1.0.2 leaks", "affected": [{"package": {"ecosystem": "npm", "name": "fresh"},
		"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.2"}]}]}]}`)
	rep, err = Run(ctx, dir, Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute, Advisories: adv})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.To == "1.0.2" && (r.Status != Passed || !r.Early || !r.Keep) {
			t.Errorf("fresh 1.0.2 fixing an advisory: %s early=%v keep=%v, want passed, early, kept", r.Status, r.Early, r.Keep)
		}
	}
	if !strings.Contains(rep.Markdown(), "tried early") {
		t.Errorf("the PR text does not mark the early update:\n%s", rep.Markdown())
	}
}

// testAdvisoryDB returns the advisories of a local database holding the
// OSV entries given.
func testAdvisoryDB(t *testing.T, entries ...string) Advisories {
	t.Helper()
	ctx := context.Background()
	src := t.TempDir()
	for i, e := range entries {
		write(t, src, "entry"+string(rune('a'+i))+".json", e)
	}
	db, err := osv.Open(ctx, filepath.Join(t.TempDir(), "osv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Import(ctx, src); err != nil {
		t.Fatal(err)
	}
	return FromSource(db)
}
