package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	m := Migrations{"notes": {`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`}}
	db, err := Open(ctx, path, m)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if _, err := db.Exec(`INSERT INTO notes(body) VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		if fi, _ := os.Stat(path + "-wal"); fi.Size() != 0 {
			t.Errorf("WAL not checkpointed on Close: %d bytes left", fi.Size())
		}
	}

	m["notes"] = append(m["notes"], `ALTER TABLE notes ADD COLUMN author TEXT`)
	db, err = Open(ctx, path, m)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Version(ctx, "notes"); v != 2 {
		t.Errorf("Version = %d, want 2", v)
	}
	var body string
	if err := db.QueryRow(`SELECT body FROM notes WHERE author IS NULL`).Scan(&body); err != nil || body != "kept" {
		t.Errorf("row after migration = %q, %v", body, err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	db, err := Open(ctx, path, Migrations{"a": {`CREATE TABLE a (x)`}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path, Migrations{"a": {`CREATE TABLE a (x)`, `CREATE TABLE b (y)`, `NOT SQL`}})
	if err == nil || !strings.Contains(err.Error(), "a: step 3") {
		t.Fatalf("Open with a bad step = %v, want an error naming the step", err)
	}
	db, err = Open(ctx, path, Migrations{"a": {`CREATE TABLE a (x)`}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Version(ctx, "a"); v != 1 {
		t.Errorf("Version after failed migration = %d, want 1", v)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Error("table b exists: the failed migration was half applied")
	}
}

func TestNewerStoreRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	db, err := Open(ctx, path, Migrations{"a": {`CREATE TABLE a (x)`, `CREATE TABLE b (x)`}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path, Migrations{"a": {`CREATE TABLE a (x)`}}); err == nil || !strings.Contains(err.Error(), "newer bulwark") {
		t.Errorf("Open of a newer store = %v, want a clear refusal", err)
	}
}

func TestOpenBadPath(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing", "dir", "x.db"), nil)
	if err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}
