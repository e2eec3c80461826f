package update

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestBisectKeepsHighestPassing is the next-update case on a loopback
// registry: clock 1.3.0 (the newest) breaks the app's test, 1.1.0, 1.1.1
// and 1.2.0 do not. bulwark update tries 1.3.0, then bisects the versions
// between 1.0.0 and it, keeps 1.2.0, reports every version tried; --apply
// commits 1.2.0 and --push puts the branch into a real bare repository.
// After every run the project's git status is clean.
func TestBisectKeepsHighestPassing(t *testing.T) {
	needNPM(t)
	needGit(t)
	clock := func(v, hour string) npmVersion {
		return npmVersion{name: "clock", version: v, index: "exports.hour = () => " + hour + ";\n"}
	}
	reg := newNPMRegistry(t, testToken, []npmVersion{
		clock("1.0.0", "12"), clock("1.1.0", "12"), clock("1.1.1", "12"), clock("1.2.0", "12"),
		clock("1.3.0", "'12'"), // a string now: the app's test fails
	})
	env := npmEnv(t)
	dir := t.TempDir()
	write(t, dir, ".npmrc", "registry="+reg.URL+"\n")
	write(t, dir, ".gitignore", "node_modules/\n")
	write(t, dir, "package.json", `{
  "name": "app",
  "version": "1.0.0",
  "private": true,
  "scripts": {"test": "node test.js"},
  "dependencies": {"clock": "1.0.0"}
}
`)
	write(t, dir, "test.js", `const {hour} = require('clock');
if (hour() !== 12) {
  console.error('hour() is ' + JSON.stringify(hour()) + ', want 12');
  process.exit(1);
}
`)
	run(t, dir, env, "npm", "install", "--no-audit", "--no-fund")
	run(t, dir, env, "git", "init", "-q", "-b", "main")
	run(t, dir, env, "git", "add", ".")
	run(t, dir, env, "git", "commit", "-q", "-m", "app")
	bare := filepath.Join(t.TempDir(), "origin.git")
	run(t, dir, env, "git", "init", "-q", "--bare", bare)
	run(t, dir, env, "git", "remote", "add", "origin", bare)
	clean := func(when string) {
		t.Helper()
		if st := run(t, dir, env, "git", "status", "--porcelain", "--untracked-files=all"); st != "" {
			t.Fatalf("git status after %s is not clean:\n%s", when, st)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	for _, group := range []bool{false, true} {
		o := Options{Env: env, Timeout: 2 * time.Minute, Group: group}
		rep, err := Run(ctx, dir, o)
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]Status{}
		for _, r := range rep.Results {
			status[r.To] = r.Status
			if r.Keep != (r.To == "1.2.0") {
				t.Errorf("group=%v: %s keep=%v, want only 1.2.0 kept", group, r.ID(), r.Keep)
			}
		}
		want := map[string]Status{"1.3.0": Failed, "1.1.1": Passed, "1.2.0": Passed}
		if len(status) != len(want) {
			t.Errorf("group=%v: results %v, want %v (1.1.0 needs no run: 1.1.1 passes)", group, status, want)
		}
		for v, s := range want {
			if status[v] != s {
				t.Errorf("group=%v: clock %s is %q, want %q", group, v, status[v], s)
			}
		}
		if len(rep.Bisections) != 1 {
			t.Fatalf("group=%v: %d bisections, want 1: %+v", group, len(rep.Bisections), rep.Bisections)
		}
		b := rep.Bisections[0]
		var tried []string
		for _, x := range b.Tried {
			tried = append(tried, x.Version)
		}
		if b.Kept != "1.2.0" || b.Newest != "1.3.0" || strings.Join(tried, " ") != "1.3.0 1.1.1 1.2.0" {
			t.Errorf("group=%v: bisection kept %q of newest %q, tried %v; want 1.2.0 of 1.3.0 after 1.3.0 1.1.1 1.2.0", group, b.Kept, b.Newest, tried)
		}
		var table, js bytes.Buffer
		rep.WriteTable(&table)
		if !strings.Contains(table.String(), "clock: 1.3.0 failed; tried 1.3.0 (failed), 1.1.1 (passed), 1.2.0 (passed) between 1.0.0 and 1.3.0: keeping 1.2.0") {
			t.Errorf("the table does not say what was tried:\n%s", table.String())
		}
		rep.WriteJSON(&js)
		var back struct{ Bisections []Bisection }
		if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Bisections) != 1 || len(back.Bisections[0].Tried) != 3 {
			t.Errorf("the JSON does not list the versions tried (%v):\n%s", err, js.String())
		}
		if _, err := rep.Record(); err != nil {
			t.Fatal(err)
		}
		clean("a recorded run")
	}

	o := Options{Env: env, Timeout: 2 * time.Minute, Push: "origin"}
	if err := CheckRemote(ctx, dir, env, "origin"); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Apply(ctx, rep, o)
	if err != nil {
		t.Fatal(err)
	}
	if a == nil || a.Pushed != "origin" {
		t.Fatalf("applied %+v, want the branch pushed to origin", a)
	}
	if _, err := rep.Record(); err != nil {
		t.Fatal(err)
	}
	clean("--apply --push")
	pushed := run(t, dir, env, "git", "--git-dir", bare, "show", a.Branch+":package.json")
	if !strings.Contains(pushed, `"clock": "1.2.0"`) {
		t.Errorf("package.json on the pushed branch %s:\n%s\nwant clock 1.2.0", a.Branch, pushed)
	}
	if head := strings.TrimSpace(run(t, dir, env, "git", "--git-dir", bare, "rev-parse", a.Branch)); head != a.Commit {
		t.Errorf("the bare repository's %s is at %s, want the commit %s", a.Branch, head, a.Commit)
	}
	if _, err := os.Stat(a.PRBody); err != nil {
		t.Errorf("PR description: %v", err)
	}
}

// TestCheckRemote checks that a remote that cannot be pushed to is
// refused before any trial, with what to give instead.
func TestCheckRemote(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	env := npmEnv(t)
	run(t, dir, env, "git", "init", "-q")
	for _, remote := range []string{"nowhere", filepath.Join(t.TempDir(), "missing.git"), "--upload-pack=touch /tmp/x"} {
		err := CheckRemote(context.Background(), dir, env, remote)
		if err == nil || !strings.Contains(err.Error(), "--push") {
			t.Errorf("CheckRemote(%q) = %v, want an error naming --push", remote, err)
		}
	}
}

// needGit skips the test without git, or fails it in CI.
func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		testutil.RealPartMissing(t, "git not found; install it (apt-get install git) to run the --apply and --push tests")
	}
}
