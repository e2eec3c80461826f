package osv

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestImportCorpora imports the shared Go and npm corpora (directories
// of OSV JSON) and checks counts and a few lookups.
func TestImportCorpora(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "osv.db")
	db, err := Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		dir  string
		want int
	}{{"go", 4291}, {"npm", 465}} {
		start := time.Now()
		stats, err := db.Import(ctx, testutil.Corpus(t, "osv", c.dir))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("import %s corpus: %d advisories in %v", c.dir, stats.Total(), time.Since(start))
		if stats.Added != c.want {
			t.Errorf("import %s corpus: %+v, want %d added", c.dir, stats, c.want)
		}
	}
	info, err := db.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Entries != 4291+465 || info.ByEcosystem["Go"] != 4291 || info.ByEcosystem["npm"] != 465 || info.Withdrawn != 17 {
		t.Errorf("Info = %+v, want 4756 entries (4291 Go, 465 npm, 17 withdrawn)", info)
	}
	for _, k := range []struct{ eco, name, id string }{
		{"Go", "github.com/gin-gonic/gin", "GO-2020-0001"},
		{"Go", "stdlib", "GO-2022-0191"},
		{"npm", "bassmaster", "NSWG-ECO-1"},
	} {
		got, err := db.Lookup(ctx, k.eco, k.name)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range got {
			found = found || e.ID == k.id
		}
		if !found {
			t.Errorf("Lookup(%q, %q) = %v, want it to include %s", k.eco, k.name, ids(got), k.id)
		}
	}
	start := time.Now()
	stats, err := db.Import(ctx, testutil.Corpus(t, "osv", "npm"))
	if err != nil || stats.Unchanged != 465 {
		t.Errorf("re-import npm corpus: %+v, %v; want 465 unchanged", stats, err)
	}
	t.Logf("re-import npm corpus: %v", time.Since(start))
	db.Close()
	if fi, err := os.Stat(dbPath); err == nil {
		t.Logf("database size: %.1f MiB", float64(fi.Size())/(1<<20))
	}
}
