package update

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// A modVersion is one version of a module the test publishes in a file
// proxy: its go.mod extra lines and its files.
type modVersion struct {
	path, version string
	gomod         string            // extra go.mod lines (retract, …)
	files         map[string]string // name → content
	published     time.Time         // the .info Time. If zero, 2026-01-01
}

// writeProxy writes a GOPROXY=file:// directory serving mods, in the
// layout of the module proxy protocol, and returns its URL.
func writeProxy(t testing.TB, mods []modVersion) string {
	t.Helper()
	root := t.TempDir()
	lists := map[string][]string{}
	for _, m := range mods {
		esc, err := module.EscapePath(m.path)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, filepath.FromSlash(esc), "@v")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		gomod := "module " + m.path + "\n\ngo 1.21\n" + m.gomod
		src := t.TempDir()
		write(t, src, "go.mod", gomod)
		for name, content := range m.files {
			write(t, src, name, content)
		}
		var zip bytes.Buffer
		if err := modzip.CreateFromDir(&zip, module.Version{Path: m.path, Version: m.version}, src); err != nil {
			t.Fatal(err)
		}
		write(t, dir, m.version+".zip", zip.String())
		write(t, dir, m.version+".mod", gomod)
		published := m.published
		if published.IsZero() {
			published = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		write(t, dir, m.version+".info", fmt.Sprintf(`{"Version":%q,"Time":%q}`, m.version, published.UTC().Format(time.RFC3339)))
		lists[dir] = append(lists[dir], m.version)
	}
	for dir, vs := range lists {
		write(t, dir, "list", strings.Join(vs, "\n")+"\n")
	}
	return "file://" + filepath.ToSlash(root)
}

func write(t testing.TB, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goEnv is the environment of go commands in tests: the file proxy only,
// no checksum database, a module cache of the test's own.
func goEnv(t testing.TB, proxy string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		testutil.RealPartMissing(t, "the go command is not on PATH")
	}
	env := os.Environ()
	return append(env, "GOPROXY="+proxy, "GOSUMDB=off", "GONOSUMDB=*", "GOPRIVATE=", "GONOPROXY=",
		"GOFLAGS=-mod=mod -modcacherw", "GOMODCACHE="+t.TempDir(), "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOWORK=off",
		"GIT_AUTHOR_NAME=Bulwark Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Bulwark Test", "GIT_COMMITTER_EMAIL=test@example.com")
}

// run runs a command in dir with env and fails the test if it fails.
func run(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
