package audit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// A Snapshot is what the last monitor run of a project found.
type Snapshot struct {
	Project  string
	Scanned  time.Time // when that run saved its findings
	Findings []SnapshotFinding
}

// A SnapshotFinding is one finding of a [Snapshot]: a package version and
// an advisory group, with the fixed version the run knew of.
type SnapshotFinding struct {
	Ecosystem, Name, Version string
	IDs                      []string // the group's advisories, as the database groups them now; the first is the key
	Aliases                  []string
	Summary                  string
	Severity                 Severity // Unknown when the advisory is no longer in the database
	Fixed                    string   // "" when no fix was known
}

// Snapshots returns the last snapshot of every project, by project path,
// each finding's severity and summary scored again from src (the
// advisory database the runs used; nil leaves them unknown), worst
// first. A project whose last run found nothing has no snapshot.
func (m *Monitor) Snapshots(ctx context.Context, src Source) ([]Snapshot, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT project, ecosystem, name, version, advisory, fixed, seen
		FROM audit_snapshot ORDER BY project, ecosystem, name, version, advisory`)
	if err != nil {
		return nil, fmt.Errorf("monitor: reading the snapshots: %w", err)
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var project, advisory, seen string
		var f SnapshotFinding
		if err := rows.Scan(&project, &f.Ecosystem, &f.Name, &f.Version, &advisory, &f.Fixed, &seen); err != nil {
			return nil, fmt.Errorf("monitor: reading the snapshots: %w", err)
		}
		f.IDs = []string{advisory}
		if len(out) == 0 || out[len(out)-1].Project != project {
			out = append(out, Snapshot{Project: project})
		}
		s := &out[len(out)-1]
		if t, err := time.Parse(time.RFC3339, seen); err == nil && t.After(s.Scanned) {
			s.Scanned = t
		}
		s.Findings = append(s.Findings, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("monitor: reading the snapshots: %w", err)
	}
	if src != nil {
		if err := rescore(ctx, src, out); err != nil {
			return nil, err
		}
	}
	for _, s := range out {
		slices.SortStableFunc(s.Findings, func(a, b SnapshotFinding) int {
			return cmp.Compare(b.Severity.Level, a.Severity.Level)
		})
	}
	return out, nil
}

// rescore fills in the severity, summary and group of each finding by
// matching its package version against src again.
func rescore(ctx context.Context, src Source, snaps []Snapshot) error {
	type pv struct{ eco, name, version string }
	seen := map[pv]bool{}
	var pkgs []lockfile.Package
	for _, s := range snaps {
		for _, f := range s.Findings {
			k := pv{f.Ecosystem, f.Name, f.Version}
			if !seen[k] {
				seen[k] = true
				pkgs = append(pkgs, lockfile.Package{Ecosystem: f.Ecosystem, Name: f.Name, Version: f.Version})
			}
		}
	}
	if len(pkgs) == 0 {
		return nil
	}
	found, err := Match(ctx, src, pkgs)
	if err != nil {
		return fmt.Errorf("monitor: scoring the snapshots: %w", err)
	}
	type key struct {
		pv
		advisory string
	}
	byKey := map[key]Finding{}
	for _, f := range found {
		byKey[key{pv{f.Package.Ecosystem, f.Package.Name, f.Package.Version}, f.IDs[0]}] = f
	}
	for _, s := range snaps {
		for i := range s.Findings {
			f := &s.Findings[i]
			if m, ok := byKey[key{pv{f.Ecosystem, f.Name, f.Version}, f.IDs[0]}]; ok {
				f.IDs, f.Aliases, f.Summary, f.Severity = m.IDs, m.Aliases, m.Summary, m.Severity
			}
		}
	}
	return nil
}
