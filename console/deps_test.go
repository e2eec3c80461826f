package console

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/update"
)

// depsConsole is a console with the given sources, and a getter of its
// dependency API.
func depsConsole(t *testing.T, opts Options) func(path string) (int, map[string]any) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bulwark.db"), sqlite.Migrations{"console": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opts.DB, opts.Bus = db, event.NewBus(nil)
	c, err := New(ctx, Config{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	h := c.DependencyHandler()
	return func(path string) (int, map[string]any) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, rec.Body)
		}
		return rec.Code, body
	}
}

const testAdvisory = `{"schema_version":"1.6.0","id":"GHSA-demo-0001","modified":"2024-05-01T00:00:00Z","aliases":["CVE-2024-0001"],
 "summary":"Prototype pollution in left-pad-demo",
 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"npm","name":"left-pad-demo"},
   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`

// advisoryDB makes an advisory database as bulwark db import and
// bulwark audit --monitor leave it: one advisory, and project's snapshot
// with a finding of it (monitor false: no snapshot table at all).
func advisoryDB(t *testing.T, project string, monitor bool) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "GHSA-demo-0001.json"), []byte(testAdvisory), 0o644)
	path := filepath.Join(t.TempDir(), "bulwark-osv.db")
	migs := sqlite.Migrations{"osv": osv.Migrations}
	if monitor {
		migs["audit_monitor"] = audit.MonitorMigrations
	}
	store, err := sqlite.Open(ctx, path, migs)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	db := osv.New(store)
	if _, err := db.Import(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if !monitor {
		return path
	}
	found, err := audit.Match(ctx, db, []lockfile.Package{{Ecosystem: "npm", Name: "left-pad-demo", Version: "1.2.0"}})
	if err != nil || len(found) != 1 {
		t.Fatalf("Match = %d findings, %v", len(found), err)
	}
	if _, err := audit.NewMonitor(store, nil).Update(ctx, project, found); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuditAPI(t *testing.T) {
	t.Run("no source", func(t *testing.T) {
		get := depsConsole(t, Options{})
		if code, body := get("/v1/audit"); code != 404 || !strings.Contains(body["error"].(string), "audit.db") {
			t.Errorf("GET /v1/audit without a source = %d %v, want 404 naming audit.db", code, body)
		}
	})
	t.Run("no database file", func(t *testing.T) {
		src := &AuditDB{Path: filepath.Join(t.TempDir(), "bulwark-osv.db")}
		defer src.Close()
		get := depsConsole(t, Options{Audit: src})
		if code, body := get("/v1/audit"); code != 404 || !strings.Contains(body["error"].(string), "bulwark audit --monitor DIR") {
			t.Errorf("GET /v1/audit, no database = %d %v, want 404 telling to run bulwark audit --monitor DIR", code, body)
		}
		if _, err := os.Stat(src.Path); err == nil {
			t.Errorf("reading an absent database created %s", src.Path)
		}
	})
	t.Run("database never monitored", func(t *testing.T) {
		src := &AuditDB{Path: advisoryDB(t, "", false)}
		defer src.Close()
		get := depsConsole(t, Options{Audit: src})
		if code, body := get("/v1/audit"); code != 404 || !strings.Contains(body["error"].(string), "no monitor run yet") {
			t.Errorf("GET /v1/audit, never monitored = %d %v, want 404 no monitor run yet", code, body)
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		path := advisoryDB(t, "/srv/app", true)
		src := &AuditDB{Path: path}
		defer src.Close()
		get := depsConsole(t, Options{Audit: src})
		code, body := get("/v1/audit")
		if code != 200 {
			t.Fatalf("GET /v1/audit = %d %v", code, body)
		}
		raw, _ := json.Marshal(body)
		for _, want := range []string{`"open":1`, `"counts":{"critical":1}`, `"project":"/srv/app"`, `"package":"left-pad-demo"`,
			`"version":"1.2.0"`, `"ids":["GHSA-demo-0001"]`, `"severity":"critical"`, `"score":9.8`, `"fixed":"2.0.0"`,
			`"summary":"Prototype pollution in left-pad-demo"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("GET /v1/audit lacks %s:\n%s", want, raw)
			}
		}
	})
}

func TestUpdatesAPI(t *testing.T) {
	get := depsConsole(t, Options{})
	if code, body := get("/v1/updates"); code != 404 || !strings.Contains(body["error"].(string), "audit.projects") {
		t.Errorf("GET /v1/updates with no project = %d %v, want 404 naming audit.projects", code, body)
	}

	updated, never := t.TempDir(), t.TempDir()
	rep := &update.Report{Dir: updated, Date: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Runs: 3, Results: []update.Result{
		{Candidate: update.Candidate{Ecosystem: "npm", Name: "left-pad-demo", From: "1.2.0", To: "2.0.0", Kind: update.Major,
			Advisories: []string{"GHSA-demo-0001"}}, Status: update.Passed, How: "alone", Keep: true},
		{Candidate: update.Candidate{Ecosystem: "npm", Name: "express", From: "4.18.0", To: "5.0.0", Kind: update.Major},
			Status: update.Failed, How: "alone"}}}
	if _, err := rep.Record(); err != nil {
		t.Fatal(err)
	}
	get = depsConsole(t, Options{Projects: []string{updated, never}})
	code, body := get("/v1/updates")
	if code != 200 {
		t.Fatalf("GET /v1/updates = %d %v", code, body)
	}
	raw, _ := json.Marshal(body)
	for _, want := range []string{`"runs":3`, `"date":"2026-03-01T09:00:00Z"`, `"from":"1.2.0"`, `"to":"2.0.0"`, `"status":"passed"`, `"keep":true`,
		`"advisories":["GHSA-demo-0001"]`, `"status":"failed"`, `"error":"no bulwark update run recorded: run bulwark update ` + never} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("GET /v1/updates lacks %s:\n%s", want, raw)
		}
	}

	// Without projects configured, the audited ones are shown.
	src := &AuditDB{Path: advisoryDB(t, updated, true)}
	defer src.Close()
	get = depsConsole(t, Options{Audit: src})
	if code, body := get("/v1/updates"); code != 200 || len(body["projects"].([]any)) != 1 {
		t.Errorf("GET /v1/updates from the audited projects = %d %v, want the one project", code, body)
	}
}
