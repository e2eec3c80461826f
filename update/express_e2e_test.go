package update

import (
	"context"
	"encoding/json"
	"github.com/bulwark-sec/bulwark/internal/testutil"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// raceEnabled is set under -race, where the heaviest end-to-end test is
// left to the plain test run.
var raceEnabled bool

// installedPackages reads every package installed under nodeModules as a
// publishable version: its package.json and its files (nested
// node_modules left out).
func installedPackages(t *testing.T, nodeModules string) []npmVersion {
	t.Helper()
	var out []npmVersion
	seen := map[string]bool{}
	filepath.WalkDir(nodeModules, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "package.json" {
			return err
		}
		dir := filepath.Dir(p)
		rel, _ := filepath.Rel(nodeModules, dir)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		last := parts[len(parts)-1]
		parent := ""
		if len(parts) >= 2 {
			parent = parts[len(parts)-2]
		}
		// A package root is node_modules/<name> or node_modules/@scope/<name>.
		isRoot := len(parts) == 1 || (strings.HasPrefix(parent, "@") && (len(parts) == 2 || parts[len(parts)-3] == "node_modules")) || parent == "node_modules"
		if !isRoot || strings.HasPrefix(last, ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		var man map[string]any
		if json.Unmarshal(data, &man) != nil {
			return nil
		}
		name, _ := man["name"].(string)
		ver, _ := man["version"].(string)
		if name == "" || ver == "" || seen[name+"@"+ver] {
			return nil
		}
		seen[name+"@"+ver] = true
		files := map[string]string{}
		filepath.WalkDir(dir, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() && f != p {
				b, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				r, _ := filepath.Rel(dir, f)
				files[filepath.ToSlash(r)] = string(b)
			}
			return nil
		})
		out = append(out, npmVersion{name: name, version: ver, manifest: man, files: files})
		return nil
	})
	return out
}

// bumped returns a copy of v as version to, its index.js suffixed.
func bumped(v npmVersion, to, main, suffix string) npmVersion {
	man := map[string]any{}
	for k, x := range v.manifest {
		man[k] = x
	}
	man["version"] = to
	files := map[string]string{}
	for k, x := range v.files {
		files[k] = x
	}
	files[main] += suffix
	return npmVersion{name: v.name, version: to, manifest: man, files: files}
}

// TestExpressApp runs update on the example Express app, its whole
// dependency tree served by a loopback registry built from its installed
// node_modules, with a new patch of express-session that passes and a new
// minor of express that breaks the app's tests; then applies the result.
func TestExpressApp(t *testing.T) {
	needNPM(t)
	if raceEnabled {
		t.Skip("the Express app test runs without -race (it is all npm and node)")
	}
	src := filepath.Join("..", "examples", "express-app")
	if _, err := os.Stat(filepath.Join(src, "node_modules", "express", "package.json")); err != nil {
		testutil.RealPartMissing(t, "examples/express-app/node_modules is not installed (make deps)")
	}
	pkgs := installedPackages(t, filepath.Join(src, "node_modules"))
	for _, v := range pkgs {
		switch {
		case v.name == "express-session" && v.version == "1.19.0":
			pkgs = append(pkgs, bumped(v, "1.19.1", "index.js", "\n// 1.19.1\n"))
		case v.name == "express" && v.version == "5.3.0":
			pkgs = append(pkgs, bumped(v, "5.4.0", "index.js", "\nmodule.exports.json = () => { throw new Error('express 5.4.0 removed express.json()') };\n"))
		}
	}
	reg := newNPMRegistry(t, testToken, pkgs)
	env := npmEnv(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := copyTree(ctx, src, dir); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "package-lock.json")) // its integrity hashes are the public registry's
	write(t, dir, ".npmrc", "registry="+reg.URL+"\n")
	run(t, dir, env, "npm", "install", "--no-audit", "--no-fund")
	run(t, dir, env, "git", "init", "-q")
	write(t, dir, ".gitignore", "node_modules/\n.bulwark/\n")
	run(t, dir, env, "git", "add", ".")
	run(t, dir, env, "git", "commit", "-q", "-m", "app")
	before := treeHash(t, dir)

	opts := Options{Env: env, Jobs: 2, Group: true, Timeout: 3 * time.Minute}
	rep, err := Run(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]Status{}
	for _, r := range rep.Results {
		status[r.ID()] = r.Status
	}
	if status["npm:express-session@1.19.1"] != Passed || status["npm:express@5.4.0"] != Failed || len(rep.Results) != 2 {
		t.Fatalf("results %v, want express-session 1.19.1 passed and express 5.4.0 failed", status)
	}
	if treeHash(t, dir) != before {
		t.Fatal("the app changed without --apply")
	}
	a, err := Apply(ctx, rep, opts)
	if err != nil {
		t.Fatal(err)
	}
	pj, _ := os.ReadFile(filepath.Join(dir, "package.json"))
	if !strings.Contains(string(pj), `"express-session": "1.19.1"`) || !strings.Contains(string(pj), `"express": "5.3.0"`) {
		t.Errorf("package.json after apply:\n%s", pj)
	}
	if got := run(t, dir, env, "git", "log", "-1", "--format=%s", a.Branch); !strings.Contains(got, "update express-session to 1.19.1") {
		t.Errorf("commit subject %q", got)
	}
	body, _ := os.ReadFile(a.PRBody)
	if !strings.Contains(string(body), "<code>express</code> 5.3.0 → 5.4.0 (minor): fails alone") || !strings.Contains(string(body), "# fail") {
		t.Errorf("PR body lacks the failure of express 5.4.0:\n%s", body)
	}
	t.Logf("%d test runs; branch %s; PR body %s", rep.Runs, a.Branch, a.PRBody)
}
