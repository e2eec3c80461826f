package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// sharedDir returns the shared corpus for tests that read it. Without it,
// the test fails under CI (where $CI is set) and is skipped, loudly,
// elsewhere.
func sharedDir(t *testing.T) string {
	t.Helper()
	d, err := Dir()
	if err == nil {
		return d
	}
	testutil.RealPartMissing(t, fmt.Sprintf("the shared corpus is missing (%v)", err))
	return ""
}

// fakeCorpus makes the folders Dir looks for under root/shared/corpus.
func fakeCorpus(t *testing.T, root string) string {
	t.Helper()
	c := filepath.Join(root, "shared", "corpus")
	for _, sub := range []string{"crs-regression", "attacks", "benign"} {
		if err := os.MkdirAll(filepath.Join(c, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestDirWalksUp(t *testing.T) {
	root := t.TempDir()
	want := fakeCorpus(t, root)
	deep := filepath.Join(root, "main", "internal", "corpus")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvDir, "")
	t.Chdir(deep)
	got, err := Dir()
	if err != nil {
		t.Fatalf("Dir() from %s: %v", deep, err)
	}
	if g, _ := filepath.EvalSymlinks(got); g != mustEval(t, want) {
		t.Errorf("Dir() = %s, want %s", got, want)
	}
}

func TestDirEnv(t *testing.T) {
	want := fakeCorpus(t, t.TempDir())
	t.Setenv(EnvDir, want)
	if got, err := Dir(); err != nil || got != want {
		t.Errorf("Dir() with $%s=%s = %q, %v", EnvDir, want, got, err)
	}

	bad := t.TempDir()
	t.Setenv(EnvDir, bad)
	_, err := Dir()
	if !errors.Is(err, ErrNoCorpus) || !strings.Contains(err.Error(), EnvDir) {
		t.Errorf("Dir() with $%s=%s (empty) = %v, want ErrNoCorpus naming the variable", EnvDir, bad, err)
	}
}

func TestDirMissing(t *testing.T) {
	t.Setenv(EnvDir, "")
	t.Chdir(t.TempDir())
	_, err := Dir()
	if !errors.Is(err, ErrNoCorpus) || !strings.Contains(err.Error(), "set $"+EnvDir) {
		t.Errorf("Dir() with no corpus around = %v, want ErrNoCorpus with a hint", err)
	}
}

func mustEval(t *testing.T, p string) string {
	t.Helper()
	e, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
