package supervise

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRotatingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	r, err := openRotating(path, 1024, 2)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for i := range 100 {
		line := fmt.Sprintf("line %03d %s\n", i, strings.Repeat("x", 40))
		all = append(all, line)
		if err := r.WriteLine([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()
	var kept string
	for _, name := range []string{path + ".2", path + ".1", path} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 1024 {
			t.Errorf("%s is %d bytes, over maxSize 1024", filepath.Base(name), len(b))
		}
		if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(name), fi.Mode().Perm())
		}
		kept += string(b)
	}
	if _, err := os.Stat(path + ".3"); err == nil {
		t.Errorf("%s.3 exists; maxFiles is 2", path)
	}
	want := strings.Join(all, "")
	if !strings.HasSuffix(want, kept) || !strings.HasPrefix(kept, "line ") {
		t.Errorf("the kept files are not the last whole lines in order:\n%s", kept)
	}
}

func TestRotatingFileAppendsToExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	os.WriteFile(path, []byte("old\n"), 0o600)
	r, err := openRotating(path, 1<<20, 1)
	if err != nil {
		t.Fatal(err)
	}
	r.WriteLine([]byte("new\n"))
	r.Close()
	if b, _ := os.ReadFile(path); string(b) != "old\nnew\n" {
		t.Errorf("file = %q, want old then new", b)
	}
}

func TestOpenRotatingMissingDir(t *testing.T) {
	_, err := openRotating(filepath.Join(t.TempDir(), "no", "app.log"), 1024, 1)
	if err == nil || !strings.Contains(err.Error(), "check that its directory exists") {
		t.Errorf("openRotating(missing dir) = %v, want a hint", err)
	}
}
