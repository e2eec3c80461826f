package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the root of the repository: the first directory at or
// above the test's working directory that holds a go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// Corpus returns ../shared/corpus/<elem…> beside the repository root, and
// fails the test if it is missing: the shared corpus is always present in
// CI, and the tests that read it have nothing to test without it.
func Corpus(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{RepoRoot(t), "..", "shared", "corpus"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared corpus missing: %v (it is always present in CI; check out ../shared next to the repository)", err)
	}
	return p
}
