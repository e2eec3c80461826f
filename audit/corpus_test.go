package audit

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestMatchCorpus imports the real Go and npm corpora into a database
// and checks that known advisories are found for a vulnerable version
// and not for the fixed one.
func TestMatchCorpus(t *testing.T) {
	ctx := context.Background()
	db, err := osv.Open(ctx, filepath.Join(t.TempDir(), "osv.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, eco := range []string{"go", "npm"} {
		if _, err := db.Import(ctx, testutil.Corpus(t, "osv", eco)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		eco, name, id string
		vulnerable    []string
		fixed         []string
	}{
		{"npm", "bassmaster", "NSWG-ECO-1", []string{"1.5.1", "0.1.0"}, []string{"1.5.2"}},
		{"npm", "plotly.js", "NSWG-ECO-145", []string{"1.10.3", "1.12.0"}, []string{"1.10.4", "1.16.0"}},
		{"npm", "electron-packager", "NSWG-ECO-104", []string{"5.2.1", "6.0.0", "6.0.2"}, []string{"5.2.0", "6.0.3"}},
		{"Go", "github.com/gin-gonic/gin", "GO-2020-0001", []string{"1.5.0"}, []string{"1.6.0"}},
		{"Go", "stdlib", "GO-2021-0069", []string{"1.14.5", "1.15.4"}, []string{"1.14.12", "1.15.5", "1.13.9"}},
		{"Go", "github.com/evanphx/json-patch", "GO-2021-0076", []string{"0.5.1", "3.0.0+incompatible"}, []string{"0.5.2", "4.0.0+incompatible"}},
	}
	var pkgs []lockfile.Package
	want := map[int]bool{} // index in pkgs → the advisory must be found
	wantID := map[int]string{}
	for _, tt := range tests {
		for _, v := range tt.vulnerable {
			want[len(pkgs)], wantID[len(pkgs)] = true, tt.id
			pkgs = append(pkgs, lockfile.Package{Ecosystem: tt.eco, Name: tt.name, Version: v, Line: len(pkgs)})
		}
		for _, v := range tt.fixed {
			want[len(pkgs)], wantID[len(pkgs)] = false, tt.id
			pkgs = append(pkgs, lockfile.Package{Ecosystem: tt.eco, Name: tt.name, Version: v, Line: len(pkgs)})
		}
	}
	findings, err := Match(ctx, db, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]bool{}
	for _, f := range findings {
		if slices.Contains(f.IDs, wantID[f.Package.Line]) {
			got[f.Package.Line] = true
		}
	}
	for i, p := range pkgs {
		if got[i] != want[i] {
			t.Errorf("%s %s@%s: found %s = %v, want %v", p.Ecosystem, p.Name, p.Version, wantID[i], got[i], want[i])
		}
	}
	// Withdrawn advisories are never reported.
	for _, f := range findings {
		for _, id := range f.IDs {
			if id == "GO-2022-0617" {
				t.Errorf("withdrawn advisory %s reported", id)
			}
		}
	}
}
