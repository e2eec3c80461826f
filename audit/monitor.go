package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// MonitorMigrations creates the monitor's snapshot table: per project,
// the findings of the last run (package version and advisory group) and
// the version that fixed them then ("" when none was known).
var MonitorMigrations = []string{
	`CREATE TABLE audit_snapshot (
		project   TEXT NOT NULL,
		ecosystem TEXT NOT NULL,
		name      TEXT NOT NULL,
		version   TEXT NOT NULL,
		advisory  TEXT NOT NULL,
		fixed     TEXT NOT NULL DEFAULT '',
		seen      TEXT NOT NULL,
		PRIMARY KEY (project, ecosystem, name, version, advisory)
	) WITHOUT ROWID`,
}

// A Monitor remembers each project's findings between runs and says
// what changed: findings new since the last run, and fixes that have
// become available for findings that had none. It is safe for
// concurrent use; runs of one project are serialized by the store.
type Monitor struct {
	db    *sqlite.DB
	clock func() time.Time
}

// NewMonitor returns a monitor over store, which must have been opened
// with sqlite.Migrations{"audit_monitor": MonitorMigrations}. If clock
// is nil, time.Now.
func NewMonitor(store *sqlite.DB, clock func() time.Time) *Monitor {
	if clock == nil {
		clock = time.Now
	}
	return &Monitor{db: store, clock: clock}
}

// Event actions the monitor publishes.
const (
	ActionAdvisoryNew  = "advisory-new"           // a finding not in the last snapshot
	ActionFixAvailable = "advisory-fix-available" // a known finding whose fix appeared
)

// Update compares findings with the project's last snapshot, replaces
// the snapshot with them (in one transaction) and returns an alert event
// per change: a finding not seen before, or a finding that had no fixed
// version and now has one. The first run of a project reports every
// finding as new. Findings gone since the last run produce no event.
func (m *Monitor) Update(ctx context.Context, project string, findings []Finding) ([]event.Event, error) {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	defer tx.Rollback()
	type key struct{ eco, name, version, advisory string }
	prev := map[key]string{}
	rows, err := tx.QueryContext(ctx, `SELECT ecosystem, name, version, advisory, fixed FROM audit_snapshot WHERE project = ?`, project)
	if err != nil {
		return nil, fmt.Errorf("monitor: reading the snapshot of %s: %w", project, err)
	}
	for rows.Next() {
		var k key
		var fixed string
		if err := rows.Scan(&k.eco, &k.name, &k.version, &k.advisory, &fixed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("monitor: reading the snapshot of %s: %w", project, err)
		}
		prev[k] = fixed
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("monitor: reading the snapshot of %s: %w", project, err)
	}

	now := m.clock().UTC()
	var events []event.Event
	cur := map[key]string{}
	for _, f := range findings {
		k := key{f.Package.Ecosystem, f.Package.Name, f.Package.Version, f.IDs[0]}
		if _, dup := cur[k]; dup {
			continue // another occurrence of the same package version
		}
		fixed := "" // the smallest version fixing every advisory of the group
		if len(f.Fixed) > 0 {
			fixed = f.Fixed[len(f.Fixed)-1]
		}
		cur[k] = fixed
		old, seen := prev[k]
		switch {
		case !seen:
			events = append(events, monitorEvent(now, project, f, ActionAdvisoryNew, fixed))
		case old == "" && fixed != "":
			events = append(events, monitorEvent(now, project, f, ActionFixAvailable, fixed))
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_snapshot WHERE project = ?`, project); err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_snapshot (project, ecosystem, name, version, advisory, fixed, seen) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	defer stmt.Close()
	for k, fixed := range cur {
		if _, err := stmt.ExecContext(ctx, project, k.eco, k.name, k.version, k.advisory, fixed, now.Format(time.RFC3339)); err != nil {
			return nil, fmt.Errorf("monitor: saving the snapshot of %s: %w", project, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("monitor: saving the snapshot of %s: %w", project, err)
	}
	return events, nil
}

// Forget deletes a project's snapshot; its next run reports every
// finding as new.
func (m *Monitor) Forget(ctx context.Context, project string) error {
	_, err := m.db.ExecContext(ctx, `DELETE FROM audit_snapshot WHERE project = ?`, project)
	return err
}

func monitorEvent(now time.Time, project string, f Finding, action, fixed string) event.Event {
	pv := f.Package.Name + "@" + f.Package.Version
	msg := fmt.Sprintf("%s (%s) is affected by %s", pv, f.Package.Ecosystem, strings.Join(f.IDs, ", "))
	if action == ActionFixAvailable {
		msg = fmt.Sprintf("a fix for %s on %s is available: %s", f.IDs[0], pv, fixed)
	} else if f.Summary != "" {
		msg += ": " + f.Summary
	}
	labels := map[string]string{"package": pv, "ecosystem": f.Package.Ecosystem, "project": project,
		"severity": f.Severity.Level.String()}
	if fixed != "" {
		labels["fixed"] = fixed
	}
	return event.Event{
		ID: event.NewID(), Time: now, Kind: event.KindAlert, Category: event.CategoryVulnerability, Type: "info",
		Action: action, Severity: eventSeverity(f.Severity.Level), Message: msg,
		RuleID: f.IDs[0], RuleName: f.Summary, Labels: labels,
	}
}

func eventSeverity(l Level) event.Severity {
	switch l {
	case Critical:
		return event.SeverityCritical
	case High:
		return event.SeverityHigh
	case Medium, Unknown:
		return event.SeverityMedium
	case Low:
		return event.SeverityLow
	}
	return event.SeverityInfo
}
