package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestUpdateAdvisoriesFixes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	osvDir := filepath.Join(dir, "osv")
	os.Mkdir(osvDir, 0o755)
	os.WriteFile(filepath.Join(osvDir, "GHSA-test-0001.json"), []byte(`{
		"id": "GHSA-test-0001", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-0001"],
		"summary": "prototype pollution in left-pad",
		"affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
			"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]
	}`), 0o644)
	dbPath := filepath.Join(dir, "bulwark-osv.db")
	db, store, err := openAdvisoryDB(ctx, dbPath, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, osvDir); err != nil {
		t.Fatal(err)
	}
	store.Close()

	adv, closeAdv, err := openUpdateAdvisories(ctx, dbPath)
	if err != nil || adv == nil {
		t.Fatalf("openUpdateAdvisories = %v, %v", adv, err)
	}
	defer closeAdv()
	for _, tt := range []struct {
		from, to string
		want     []string
	}{
		{"1.1.0", "1.3.0", []string{"GHSA-test-0001"}},
		{"1.1.0", "1.2.0", nil}, // still affected
		{"1.3.0", "1.3.1", nil}, // nothing to fix
	} {
		got, err := adv.Fixes(ctx, "npm", "left-pad", tt.from, tt.to)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Fixes(left-pad %s → %s) = %v, %v; want %v", tt.from, tt.to, got, err, tt.want)
		}
	}

	none, closeNone, err := openUpdateAdvisories(ctx, filepath.Join(dir, "missing.db"))
	defer closeNone()
	if none != nil || err != nil {
		t.Errorf("without a database: %v, %v; want none and no error (updates keep their order)", none, err)
	}
}
