package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestStoreFilesPrivate checks that a new store and its -wal and -shm are
// the owner's alone: the store holds the key that signs one-time links.
func TestStoreFilesPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bulwark.db")
	db, err := Open(context.Background(), path, Migrations{"notes": {`CREATE TABLE notes (body TEXT)`}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO notes VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %#o, want %#o", filepath.Base(p), got, want)
		}
	}
	if got := db.Tightened(); len(got) != 0 {
		t.Errorf("Tightened() = %q for a new store", got)
	}
}

// TestStoreFilesTightened checks that a store left readable by others, as
// earlier versions made it, is made private on open and named.
func TestStoreFilesTightened(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bulwark.db")
	m := Migrations{"notes": {`CREATE TABLE notes (body TEXT)`}}
	db, err := Open(context.Background(), path, m)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.WriteFile(path+"-wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err = Open(context.Background(), path, m)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, want := db.Tightened(), []string{path, path + "-wal"}; !slices.Equal(got, want) {
		t.Errorf("Tightened() = %q, want %q", got, want)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %#o after open, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
}
