package update

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// hookyFixture publishes hooky 1.0.0 (no scripts), 1.0.1 (a postinstall
// that writes marker, the package works without it) and 1.1.0 (a
// postinstall that writes marker and the build.js its index.js needs), and
// installs an app depending on hooky ^1.0.0 whose test requires it.
func hookyFixture(t *testing.T) (dir string, env []string, marker string) {
	t.Helper()
	needNPM(t)
	marker = filepath.Join(t.TempDir(), "postinstall-ran")
	writeMarker := "require('fs').writeFileSync(" + jsString(marker) + ", 'ran')"
	man := func(v, postinstall string) map[string]any {
		m := map[string]any{"name": "hooky", "version": v, "main": "index.js"}
		if postinstall != "" {
			m["scripts"] = map[string]any{"postinstall": "node -e \"" + postinstall + "\""}
		}
		return m
	}
	reg := newNPMRegistry(t, testToken, []npmVersion{
		{name: "hooky", version: "1.0.0", index: "exports.ok = () => true;\n"},
		{name: "hooky", version: "1.0.1", manifest: man("1.0.1", writeMarker), index: "exports.ok = () => true;\n"},
		{name: "hooky", version: "1.1.0", manifest: man("1.1.0", writeMarker+"; require('fs').writeFileSync('build.js', 'exports.ok = () => true;')"),
			index: "module.exports = require('./build.js');\n"},
	})
	env = npmEnv(t)
	dir = t.TempDir()
	write(t, dir, ".npmrc", "registry="+reg.URL+"\n")
	write(t, dir, "package.json", `{"name": "app", "version": "1.0.0", "private": true,
  "scripts": {"test": "node test.js"},
  "dependencies": {"hooky": "1.0.0"}}
`)
	write(t, dir, "test.js", "if (!require('hooky').ok()) process.exit(1);\n")
	run(t, dir, env, "npm", "install", "--no-audit", "--no-fund")
	return dir, env, marker
}

func jsString(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

// TestNoInstallScripts checks that trials run no dependency's install
// script (the marker never appears), that a failure which may come from a
// skipped script says so, and that a package allowed by name runs its
// scripts.
func TestNoInstallScripts(t *testing.T) {
	dir, env, marker := hookyFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := Run(ctx, dir, Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a dependency's postinstall script ran during a trial")
	}
	got := statuses(rep)
	if got["npm:hooky@1.0.1"] != Passed || got["npm:hooky@1.1.0"] != Failed {
		t.Fatalf("statuses %v, want hooky 1.0.1 passed and 1.1.0 failed (its build step did not run)", got)
	}
	for _, r := range rep.Results {
		if r.To == "1.1.0" && !slices.Equal(r.ScriptsSkipped, []string{"hooky"}) {
			t.Errorf("hooky 1.1.0: scripts skipped %q, want [hooky]", r.ScriptsSkipped)
		}
		if len(r.Flags) != 1 || r.Flags[0].Kind != FlagInstallScript || !strings.HasPrefix(r.Flags[0].Text, "adds an install script (postinstall: node -e") {
			t.Errorf("hooky %s: flags %q, want one saying it adds an install script", r.To, r.Flags)
		}
	}
	var out strings.Builder
	rep.WriteTable(&out)
	if !strings.Contains(out.String(), "--allow-scripts hooky") {
		t.Errorf("the table does not say the failure may come from the skipped script:\n%s", out.String())
	}

	// An approval pinned to the installed version was a review of that
	// version's script, not of the next one's.
	pj := run(t, dir, env, "cat", "package.json")
	write(t, dir, "package.json", strings.Replace(pj, `"private": true,`, `"private": true, "allowScripts": {"hooky@1.0.0": true},`, 1))
	rep, err = Run(ctx, dir, Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(rep); got["npm:hooky@1.1.0"] != Failed {
		t.Errorf("with hooky@1.0.0 approved: statuses %v, want 1.1.0 failed", got)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("an approval pinned to hooky@1.0.0 let hooky 1.1.0 run its postinstall")
	}
	write(t, dir, "package.json", pj)

	rep, err = Run(ctx, dir, Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute, AllowScripts: []string{"hooky"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(rep); got["npm:hooky@1.1.0"] != Passed {
		t.Errorf("with hooky allowed: statuses %v, want 1.1.0 passed", got)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("with hooky allowed, its postinstall did not run: %v", err)
	}
}

// statuses maps each result's candidate ID to its status.
func statuses(rep *Report) map[string]Status {
	m := map[string]Status{}
	for _, r := range rep.Results {
		m[r.ID()] = r.Status
	}
	return m
}

func TestScriptPolicy(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "package.json", `{"allowScripts": {"sharp": true, "canvas@2.11.2": true, "evil": false, "@s/pinned@1.0.0": true, "star": "*", "ranged": "1.x.x"},
  "pnpm": {"onlyBuiltDependencies": ["esbuild"]}, "trustedDependencies": ["bun-pkg"]}`)
	write(t, dir, "pnpm-workspace.yaml", "onlyBuiltDependencies:\n  - workspace-pkg\n")
	p := newScriptPolicy(dir, []string{"flagged", "evil"})
	for _, tt := range []struct {
		ref  pkgRef
		want bool
	}{
		{pkgRef{"sharp", "0.33.0"}, true},
		{pkgRef{"canvas", "2.11.2"}, true},
		{pkgRef{"canvas", "2.11.3"}, false}, // approved at another version
		{pkgRef{"@s/pinned", "1.0.0"}, true},
		{pkgRef{"evil", "1.0.0"}, false}, // denied in package.json wins over --allow-scripts
		{pkgRef{"esbuild", "0.25.0"}, true},
		{pkgRef{"bun-pkg", "1.0.0"}, true},
		{pkgRef{"workspace-pkg", "1.0.0"}, true},
		{pkgRef{"flagged", "1.0.0"}, true},
		{pkgRef{"other", "1.0.0"}, false},
		{pkgRef{"star", "3.0.0"}, true},
		{pkgRef{"ranged", "1.0.0"}, false},
	} {
		if got := p.allows(tt.ref); got != tt.want {
			t.Errorf("allows(%s) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}
