package osv

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// openTemp opens an empty advisory database in a temporary directory.
func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "osv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// writeZip writes a zip of name → content into dir and returns its path.
func writeZip(t testing.TB, dir string, files map[string][]byte) string {
	t.Helper()
	p := filepath.Join(dir, "all.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// testdataFiles reads testdata/entries into name → content.
func testdataFiles(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "entries", "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no testdata entries: %v", err)
	}
	files := map[string][]byte{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(n)] = data
	}
	return files
}

// ids returns the ids of entries.
func ids(entries []*Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return out
}

// count returns the number of rows of table.
func count(t testing.TB, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.store.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
