package osv

import (
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestImportZipAndLookup(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	zipPath := writeZip(t, t.TempDir(), testdataFiles(t))
	stats, err := db.Import(ctx, zipPath)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ImportStats{Added: 4}, stats); diff != "" {
		t.Errorf("Import stats (-want +got):\n%s", diff)
	}
	tests := []struct {
		eco, name string
		want      []string
	}{
		{"npm", "bassmaster", []string{"NSWG-ECO-1"}},
		{"npm", "geddy", []string{"NSWG-ECO-10"}},
		{"Go", "github.com/gin-gonic/gin", []string{"GO-2020-0001"}},
		{"Go", "k8s.io/kubernetes", []string{"GO-2022-0617"}},
		{"npm", "github.com/gin-gonic/gin", nil},
		{"npm", "left-pad", nil},
	}
	for _, tt := range tests {
		got, err := db.Lookup(ctx, tt.eco, tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
			t.Errorf("Lookup(%q, %q) ids (-want +got):\n%s", tt.eco, tt.name, diff)
		}
	}
	got, _ := db.Lookup(ctx, "npm", "bassmaster")
	e := got[0]
	if e.Summary != "Arbitrary JavaScript Execution" || e.Affected[0].Ranges[0].Events[1].LastAffected != "1.5.1" ||
		e.Severity[0].Type != "CVSS_V3" || !cmp.Equal(e.Aliases, []string{"CVE-2014-7205"}) {
		t.Errorf("stored entry not decoded whole: %+v", e)
	}
	w, _ := db.Lookup(ctx, "Go", "k8s.io/kubernetes")
	if !w[0].IsWithdrawn() {
		t.Errorf("GO-2022-0617 should be withdrawn")
	}

	// Importing the same data again changes nothing.
	stats, err = db.Import(ctx, zipPath)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ImportStats{Unchanged: 4}, stats); diff != "" {
		t.Errorf("re-import stats (-want +got):\n%s", diff)
	}
}

func TestImportUpdatesByModified(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	entry := func(modified, pkg string) []byte {
		return []byte(`{"id":"X-1","modified":"` + modified + `","affected":[{"package":{"ecosystem":"npm","name":"` + pkg + `"}}]}`)
	}
	dir := t.TempDir()
	write := func(data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "X-1.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(entry("2024-01-01T00:00:00Z", "old-name"))
	if _, err := db.Import(ctx, dir); err != nil {
		t.Fatal(err)
	}
	write(entry("2024-02-01T00:00:00Z", "new-name"))
	stats, err := db.Import(ctx, dir)
	if err != nil || stats.Updated != 1 {
		t.Fatalf("newer record: stats %+v, err %v; want 1 updated", stats, err)
	}
	if got, _ := db.Lookup(ctx, "npm", "old-name"); len(got) != 0 {
		t.Errorf("index still lists the package the updated record dropped")
	}
	if got, _ := db.Lookup(ctx, "npm", "new-name"); len(got) != 1 {
		t.Errorf("index misses the package the updated record names")
	}
	write(entry("2023-01-01T00:00:00Z", "older-name"))
	stats, err = db.Import(ctx, dir)
	if err != nil || stats.Older != 1 {
		t.Fatalf("older record: stats %+v, err %v; want 1 older", stats, err)
	}
	if got, _ := db.Lookup(ctx, "npm", "new-name"); len(got) != 1 || !got[0].Modified.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("an older record replaced a newer one")
	}
}

func TestImportGoVulnDBLayout(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	root := t.TempDir()
	files := testdataFiles(t)
	mk := func(rel string, data []byte) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("index/db.json", []byte(`{"modified":"2024-01-01T00:00:00Z"}`))
	mk("index/modules.json", []byte(`[{"path":"github.com/gin-gonic/gin","vulns":[{"id":"GO-2020-0001"}]}]`))
	mk("ID/GO-2020-0001.json", files["GO-2020-0001.json"])
	var gz strings.Builder
	zw := gzip.NewWriter(&gz)
	zw.Write(files["GO-2022-0617.json"])
	zw.Close()
	mk("ID/GO-2022-0617.json.gz", []byte(gz.String()))
	stats, err := db.Import(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Added != 2 {
		t.Errorf("Go layout: %+v, want 2 added (index files skipped, .json.gz read)", stats)
	}
}

func TestImportBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	good := testdataFiles(t)["NSWG-ECO-1.json"]
	tests := []struct {
		name    string
		files   map[string][]byte
		wantErr string
	}{
		{"bad json", map[string][]byte{"a.json": good, "broken.json": []byte(`{"id": "X",`)}, "broken.json"},
		{"not osv", map[string][]byte{"a.json": good, "pkg.json": []byte(`{"name": "left-pad"}`)}, "pkg.json"},
		{"no package name", map[string][]byte{"a.json": good, "n.json": []byte(`{"id":"N","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm"}}]}`)}, "n.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/dir", func(t *testing.T) {
			db := openTemp(t)
			dir := t.TempDir()
			for n, data := range tt.files {
				os.WriteFile(filepath.Join(dir, n), data, 0o644)
			}
			_, err := db.Import(ctx, dir)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Import error = %v, want one naming %s", err, tt.wantErr)
			}
			if n := count(t, db, "osv_entries"); n != 0 {
				t.Errorf("%d entries half-imported", n)
			}
		})
		t.Run(tt.name+"/zip", func(t *testing.T) {
			db := openTemp(t)
			_, err := db.Import(ctx, writeZip(t, t.TempDir(), tt.files))
			if err == nil || !strings.Contains(err.Error(), "all.zip:"+tt.wantErr) {
				t.Fatalf("Import error = %v, want one naming all.zip:%s", err, tt.wantErr)
			}
			if n := count(t, db, "osv_entries"); n != 0 {
				t.Errorf("%d entries half-imported", n)
			}
		})
	}
	t.Run("not a zip", func(t *testing.T) {
		db := openTemp(t)
		p := filepath.Join(t.TempDir(), "all.zip")
		os.WriteFile(p, []byte("<html>404</html>"), 0o644)
		if _, err := db.Import(ctx, p); err == nil || !strings.Contains(err.Error(), p) {
			t.Fatalf("Import error = %v, want one naming %s", err, p)
		}
	})
}

func TestLookupBatchAndPyPINames(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p.json"), []byte(`{"id":"PYSEC-1","modified":"2024-01-01T00:00:00Z",
		"affected":[{"package":{"ecosystem":"PyPI","name":"Foo_Bar.baz"}},{"package":{"ecosystem":"PyPI","name":"other"}}]}`), 0o644)
	if _, err := db.Import(ctx, dir); err != nil {
		t.Fatal(err)
	}
	keys := []Key{{"PyPI", "foo-bar-baz"}, {"PyPI", "FOO.BAR_BAZ"}, {"PyPI", "other"}, {"PyPI", "none"}, {"npm", "other"}}
	got, err := db.LookupBatch(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys[:3] {
		if len(got[k]) != 1 {
			t.Errorf("LookupBatch[%v] = %v, want PYSEC-1", k, ids(got[k]))
		}
	}
	if got[keys[0]][0] != got[keys[2]][0] {
		t.Errorf("an entry found for two names should be decoded once")
	}
	for _, k := range keys[3:] {
		if len(got[k]) != 0 {
			t.Errorf("LookupBatch[%v] = %v, want none", k, ids(got[k]))
		}
	}
}
