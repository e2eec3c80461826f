package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/bulwark-sec/bulwark/internal/testutil"
	"github.com/bulwark-sec/bulwark/update"
)

func TestUpdateUsage(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"update", "--jobs", "0", empty}, "--jobs must be at least 1"},
		{[]string{"update", "--apply", "--dry-run", empty}, "exclude each other"},
		{[]string{"update", "--push", "origin", empty}, "give --apply too"},
		{[]string{"update", "--apply", "--push", "-x", empty}, "not a git remote"},
		{[]string{"update", "a", "b"}, "at most 1 argument"},
		{[]string{"update", empty}, "no go.mod or package.json"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), tt.args, nil, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("bulwark %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

// TestUpdateGo runs bulwark update on a Go module whose dependency has a
// passing patch (v1.0.1) and a minor that breaks the tests (v1.1.0),
// served from a file proxy.
func TestUpdateGo(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		testutil.RealPartMissing(t, "the go command is not on PATH")
	}
	proxy := t.TempDir()
	for v, n := range map[string]string{"v1.0.0": "1", "v1.0.1": "1", "v1.1.0": "2"} {
		src := t.TempDir()
		writeTestFile(t, src, "go.mod", "module example.com/one\n\ngo 1.21\n")
		writeTestFile(t, src, "one.go", "package one\n\nfunc One() int { return "+n+" }\n")
		var zip bytes.Buffer
		if err := modzip.CreateFromDir(&zip, module.Version{Path: "example.com/one", Version: v}, src); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(proxy, "example.com", "one", "@v")
		writeTestFile(t, dir, v+".zip", zip.String())
		writeTestFile(t, dir, v+".mod", "module example.com/one\n\ngo 1.21\n")
		// Published ten days ago: old enough for the default release
		// age (3 days), too young for a file asking for 30.
		writeTestFile(t, dir, v+".info", `{"Version":"`+v+`","Time":"`+time.Now().Add(-10*24*time.Hour).UTC().Format(time.RFC3339)+`"}`)
	}
	writeTestFile(t, filepath.Join(proxy, "example.com", "one", "@v"), "list", "v1.0.0\nv1.0.1\nv1.1.0\n")
	for k, v := range map[string]string{"GOPROXY": "file://" + proxy, "GOSUMDB": "off", "GOFLAGS": "-mod=mod -modcacherw",
		"GOMODCACHE": t.TempDir(), "GOPRIVATE": "", "GONOPROXY": "", "GOTOOLCHAIN": "local", "GOWORK": "off", "CGO_ENABLED": "0"} {
		t.Setenv(k, v)
	}
	app := t.TempDir()
	writeTestFile(t, app, "go.mod", "module example.com/app\n\ngo 1.21\n\nrequire example.com/one v1.0.0\n")
	writeTestFile(t, app, "app_test.go", "package app\n\nimport (\n\t\"testing\"\n\n\t\"example.com/one\"\n)\n\nfunc TestOne(t *testing.T) {\n\tif one.One() != 1 {\n\t\tt.Fatal(\"one.One() != 1\")\n\t}\n}\n")
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = app
	if out, err := tidy.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}

	// bulwark.yaml's update: section sets the release age; the flag wins.
	cfg := filepath.Join(t.TempDir(), "bulwark.yaml")
	writeTestFile(t, filepath.Dir(cfg), "bulwark.yaml", "update:\n  minimumReleaseAge: 30d\n  allowScripts: [esbuild]\n")
	t.Setenv("BULWARK_CONFIG", "")

	tests := []struct {
		args  []string
		code  int
		want  []string
		lacks []string
	}{
		{[]string{"--dry-run"}, exitOK, []string{"example.com/one (Go)  v1.0.0  v1.0.1  patch", "not tried"}, []string{"waiting"}},
		{[]string{"--dry-run", "--config", cfg}, exitOK, []string{"example.com/one (Go)  v1.0.0  v1.0.1  patch", "waiting until " + time.Now().Add(20*24*time.Hour).UTC().Format("2006-01-02")}, nil},
		{[]string{"--dry-run", "--config", cfg, "--min-release-age", "0"}, exitOK, []string{"example.com/one (Go)  v1.0.0  v1.0.1  patch", "not tried"}, []string{"waiting"}},
		{[]string{"--group"}, exitFailure, []string{"v1.0.1  patch  passed (keep)", "v1.1.0  minor  failed", "one.One() != 1"}, nil},
		{[]string{"--json", "--test", "go test -count=1 ./..."}, exitFailure, []string{`"status": "failed"`}, nil},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		args := append(append([]string{"update"}, tt.args...), app)
		code := Main(context.Background(), args, nil, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("bulwark %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, tt.code, stdout.String(), stderr.String())
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("bulwark %v: stdout lacks %q:\n%s", args, w, stdout.String())
			}
		}
		for _, w := range tt.lacks {
			if strings.Contains(stdout.String(), w) {
				t.Errorf("bulwark %v: stdout has %q:\n%s", args, w, stdout.String())
			}
		}
		_, _, recErr := update.LatestRecord(app)
		if slicesContains(tt.args, "--dry-run") != errors.Is(recErr, fs.ErrNotExist) {
			t.Errorf("bulwark %v: LatestRecord = %v; want a record of every run but a dry one", args, recErr)
		}
		if slicesContains(tt.args, "--json") {
			var rep map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Errorf("--json output does not decode: %v", err)
			}
		}
	}
}

func slicesContains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func writeTestFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
