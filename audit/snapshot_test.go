package audit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/google/go-cmp/cmp"
)

func TestMonitorSnapshots(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Migrations{"audit_monitor": MonitorMigrations})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	m := NewMonitor(store, func() time.Time { return at })
	if s, err := m.Snapshots(ctx, nil); err != nil || len(s) != 0 {
		t.Fatalf("Snapshots of an empty store = %v, %v; want none", s, err)
	}

	high := adv("GHSA-high", []string{"CVE-2026-1"}, "lib", "0", "1.2.0")
	high.Severity = []osv.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}}
	low := adv("GHSA-low", nil, "other", "0", "")
	src := mapSource{high, low}
	pkgs := []lockfile.Package{{Ecosystem: "npm", Name: "other", Version: "3.0.0"}, {Ecosystem: "npm", Name: "lib", Version: "1.1.0"}}
	found, err := Match(ctx, src, pkgs)
	if err != nil || len(found) != 2 {
		t.Fatalf("Match = %d findings, %v; want 2", len(found), err)
	}
	if _, err := m.Update(ctx, "/srv/app", found); err != nil {
		t.Fatal(err)
	}
	at = at.Add(time.Hour)
	var libOnly []Finding
	for _, f := range found {
		if f.Package.Name == "lib" {
			libOnly = append(libOnly, f)
		}
	}
	if _, err := m.Update(ctx, "/srv/api", libOnly); err != nil {
		t.Fatal(err)
	}

	got, err := m.Snapshots(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	// The expected rows are written out, not built from Match's findings:
	// a field Update or Snapshots dropped would otherwise drop from both.
	libHigh := SnapshotFinding{Ecosystem: "npm", Name: "lib", Version: "1.1.0", IDs: []string{"GHSA-high"}, Aliases: []string{"CVE-2026-1"},
		Summary: "GHSA-high summary", Severity: Severity{Level: High, Score: 7.5, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", Source: "CVSS_V3"}, Fixed: "1.2.0"}
	want := []Snapshot{
		{Project: "/srv/api", Scanned: at, Findings: []SnapshotFinding{libHigh}},
		{Project: "/srv/app", Scanned: at.Add(-time.Hour), Findings: []SnapshotFinding{
			libHigh,
			{Ecosystem: "npm", Name: "other", Version: "3.0.0", IDs: []string{"GHSA-low"}, Summary: "GHSA-low summary"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Snapshots (-want +got):\n%s", diff)
	}

	// Without the database, the findings are still there, unscored.
	bare, err := m.Snapshots(ctx, nil)
	if err != nil || len(bare) != 2 || len(bare[1].Findings) != 2 || bare[1].Findings[0].Severity.Level != Unknown {
		t.Errorf("Snapshots(nil) = %+v, %v; want both projects, severity unknown", bare, err)
	}
}
