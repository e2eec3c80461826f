package update

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goFixture publishes example.com/dep (v1.0.1 passes, v1.1.0 breaks the
// app's tests, v1.2.0 retracts itself, v2.0.0 is a new major path) and
// example.com/other (v1.1.0 passes) in a file proxy, and writes an app
// requiring both at v1.0.0.
func goFixture(t *testing.T) (dir string, env []string) {
	t.Helper()
	answer := func(n string) map[string]string {
		return map[string]string{"dep.go": "package dep\n\nfunc Answer() int { return " + n + " }\n"}
	}
	other := map[string]string{"other.go": "package other\n\nfunc Name() string { return \"other\" }\n"}
	proxy := writeProxy(t, []modVersion{
		{path: "example.com/dep", version: "v1.0.0", files: answer("42")},
		{path: "example.com/dep", version: "v1.0.1", files: answer("42")},
		{path: "example.com/dep", version: "v1.1.0", files: answer("41")},
		{path: "example.com/dep", version: "v1.2.0", files: answer("42"), gomod: "retract v1.2.0 // published by mistake\n"},
		{path: "example.com/dep/v2", version: "v2.0.0", files: answer("42")},
		{path: "example.com/other", version: "v1.0.0", files: other},
		{path: "example.com/other", version: "v1.1.0", files: other},
	})
	env = goEnv(t, proxy)
	dir = t.TempDir()
	write(t, dir, "go.mod", "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n)\n")
	write(t, dir, "app.go", "package app\n\nimport (\n\t\"example.com/dep\"\n\t\"example.com/other\"\n)\n\nfunc Hello() string { return other.Name() }\n\nfunc Answer() int { return dep.Answer() }\n")
	write(t, dir, "app_test.go", "package app\n\nimport \"testing\"\n\nfunc TestAnswer(t *testing.T) {\n\tif Answer() != 42 || Hello() != \"other\" {\n\t\tt.Fatalf(\"Answer() = %d, want 42\", Answer())\n\t}\n}\n")
	run(t, dir, env, "go", "mod", "tidy")
	return dir, env
}

func TestGoProject(t *testing.T) {
	dir, env := goFixture(t)
	run(t, dir, env, "git", "init", "-q")
	run(t, dir, env, "git", "add", ".")
	run(t, dir, env, "git", "commit", "-q", "-m", "app")
	before := treeHash(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	day := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	opts := Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute, Now: func() time.Time { return day }}

	type row struct {
		status Status
		keep   bool
	}
	want := map[string]row{
		"Go:example.com/dep@v1.0.1":   {Passed, true},
		"Go:example.com/dep@v1.1.0":   {Failed, false},
		"Go:example.com/dep@v2.0.0":   {Skipped, false},
		"Go:example.com/other@v1.1.0": {Passed, true},
	}
	check := func(t *testing.T, rep *Report) {
		t.Helper()
		if len(rep.Results) != len(want) {
			t.Fatalf("got %d results, want %d: %+v", len(rep.Results), len(want), rep.Results)
		}
		for _, r := range rep.Results {
			w, ok := want[r.ID()]
			if !ok || r.Status != w.status || r.Keep != w.keep {
				t.Errorf("%s: status %s keep %v (%s), want %+v\n%s", r.ID(), r.Status, r.Keep, r.How, w, r.Tail)
			}
			if r.ID() == "Go:example.com/dep@v1.1.0" && !strings.Contains(r.Tail, "want 42") {
				t.Errorf("failed result's tail does not show the failure:\n%s", r.Tail)
			}
			if r.Kind == Major && (r.NewPath != "example.com/dep/v2" || !strings.Contains(strings.Join(r.Notes, " "), "1 file")) {
				t.Errorf("major: new path %q, notes %q: want example.com/dep/v2 and the file to change", r.NewPath, r.Notes)
			}
			if r.Name == "example.com/dep" && r.Kind != Major && !strings.Contains(strings.Join(r.Notes, " "), "skipped v1.2.0: retracted (published by mistake)") {
				t.Errorf("%s: notes %q do not mention the retracted v1.2.0", r.ID(), r.Notes)
			}
		}
		if !rep.Failed() {
			t.Error("Failed() = false with a failing update")
		}
	}

	t.Run("one by one", func(t *testing.T) {
		rep, err := Run(ctx, dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		check(t, rep)
		if rep.Runs != 3 {
			t.Errorf("%d runs, want 3", rep.Runs)
		}
	})
	var grouped *Report
	t.Run("group", func(t *testing.T) {
		o := opts
		o.Group = true
		rep, err := Run(ctx, dir, o)
		if err != nil {
			t.Fatal(err)
		}
		check(t, rep)
		grouped = rep
		t.Logf("group: %d runs", rep.Runs)
	})
	t.Run("dry run", func(t *testing.T) {
		o := opts
		o.DryRun = true
		rep, err := Run(ctx, dir, o)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Runs != 0 || len(rep.Results) != 4 || rep.Results[0].Status != Listed {
			t.Errorf("dry run: %d runs, results %+v", rep.Runs, rep.Results)
		}
	})
	if after := treeHash(t, dir); after != before {
		t.Fatal("the project changed without --apply")
	}
	if grouped == nil {
		return
	}
	t.Run("apply", func(t *testing.T) {
		a, err := Apply(ctx, grouped, opts)
		if err != nil {
			t.Fatal(err)
		}
		if a.Branch != "bulwark/update-2026-03-04" {
			t.Errorf("branch %q", a.Branch)
		}
		gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
		for _, s := range []string{"example.com/dep v1.0.1", "example.com/other v1.1.0"} {
			if !strings.Contains(string(gomod), s) {
				t.Errorf("go.mod lacks %q:\n%s", s, gomod)
			}
		}
		if got := run(t, dir, env, "git", "branch", "--show-current"); strings.TrimSpace(got) != a.Branch {
			t.Errorf("on branch %q, want %q", got, a.Branch)
		}
		if got := run(t, dir, env, "git", "status", "--porcelain", "--", "go.mod", "go.sum"); got != "" {
			t.Errorf("go.mod/go.sum not committed:\n%s", got)
		}
		body, err := os.ReadFile(a.PRBody)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"example.com/dep", "v1.0.1", "Left out", "v1.1.0", "want 42", "together pass"} {
			if !strings.Contains(string(body), s) {
				t.Errorf("PR body lacks %q:\n%s", s, body)
			}
		}
		// A second apply the same day gets a suffixed branch.
		run(t, dir, env, "git", "checkout", "-q", "-")
		if b, err := newBranch(ctx, dir, env, "bulwark/update-2026-03-04"); err != nil || b != "bulwark/update-2026-03-04-2" {
			t.Errorf("newBranch = %q, %v; want the -2 suffix", b, err)
		}
	})
}

// TestGoMinReleaseAge checks that a module version whose proxy .info time
// is younger than the minimum release age waits, and the newest old
// enough is tried instead.
func TestGoMinReleaseAge(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	code := map[string]string{"dep.go": "package dep\n\nfunc Answer() int { return 42 }\n"}
	proxy := writeProxy(t, []modVersion{
		{path: "example.com/dep", version: "v1.0.0", files: code},
		{path: "example.com/dep", version: "v1.0.1", files: code, published: now.Add(-4 * 24 * time.Hour)},
		{path: "example.com/dep", version: "v1.0.2", files: code, published: now.Add(-time.Hour)},
	})
	env := goEnv(t, proxy)
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/app\n\ngo 1.21\n\nrequire example.com/dep v1.0.0\n")
	write(t, dir, "app_test.go", "package app\n\nimport (\n\t\"testing\"\n\n\t\"example.com/dep\"\n)\n\nfunc TestAnswer(t *testing.T) {\n\tif dep.Answer() != 42 {\n\t\tt.Fatal(dep.Answer())\n\t}\n}\n")
	run(t, dir, env, "go", "mod", "tidy")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, dir, Options{Env: env, Timeout: time.Minute, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(rep)
	if got["Go:example.com/dep@v1.0.2"] != Waiting || got["Go:example.com/dep@v1.0.1"] != Passed {
		t.Fatalf("statuses %v, want v1.0.2 waiting (an hour old) and v1.0.1 passed", got)
	}
	for _, r := range rep.Results {
		if r.Status == Waiting && !r.Eligible.Equal(now.Add(-time.Hour+DefaultMinReleaseAge)) {
			t.Errorf("v1.0.2 eligible %s, want three days after its .info time", r.Eligible)
		}
	}
}
