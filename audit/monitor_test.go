package audit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

func TestMonitor(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Migrations{"audit_monitor": MonitorMigrations})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m := NewMonitor(store, func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) })
	finding := func(name, version, id string, fixed ...string) Finding {
		return Finding{Package: lockfile.Package{Ecosystem: "npm", Name: name, Version: version}, IDs: []string{id}, Fixed: fixed}
	}
	type ev struct{ action, rule, pkg, fixed string }
	run := func(project string, fs ...Finding) []ev {
		t.Helper()
		events, err := m.Update(ctx, project, fs)
		if err != nil {
			t.Fatal(err)
		}
		var out []ev
		for _, e := range events {
			if e.Kind != "alert" || e.Category != "vulnerability" || e.Labels["ecosystem"] != "npm" {
				t.Errorf("event %+v: want kind alert, category vulnerability, ecosystem label", e)
			}
			out = append(out, ev{e.Action, e.RuleID, e.Labels["package"], e.Labels["fixed"]})
		}
		return out
	}
	check := func(name string, got []ev, want ...ev) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: events %v, want %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: event %d = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	a := finding("a", "1.0.0", "GHSA-a", "1.0.1")
	b := finding("b", "2.0.0", "GHSA-b")
	check("first run", run("/p", a, a, b),
		ev{"advisory-new", "GHSA-a", "a@1.0.0", "1.0.1"}, ev{"advisory-new", "GHSA-b", "b@2.0.0", ""})
	check("same findings", run("/p", a, b))
	check("other project", run("/q", a), ev{"advisory-new", "GHSA-a", "a@1.0.0", "1.0.1"})
	bFixed := finding("b", "2.0.0", "GHSA-b", "2.0.5")
	c := finding("c", "0.1.0", "GHSA-c")
	check("fix and new", run("/p", a, bFixed, c),
		ev{"advisory-fix-available", "GHSA-b", "b@2.0.0", "2.0.5"}, ev{"advisory-new", "GHSA-c", "c@0.1.0", ""})
	check("a fixed by upgrade, nothing to say", run("/p", bFixed, c))
	check("a back again is new", run("/p", a, bFixed, c), ev{"advisory-new", "GHSA-a", "a@1.0.0", "1.0.1"})
}
