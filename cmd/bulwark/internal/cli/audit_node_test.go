package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// nodeCoreDB imports the shared Node.js core advisories and schedule
// through bulwark db import.
func nodeCoreDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "osv.db")
	code, out, stderr := auditCLI(t, "db", "import", "--db", path, testutil.Corpus(t, "nodejs-core"))
	if code != 0 || !strings.Contains(out, "171 Node.js core advisories") || !strings.Contains(out, "release schedule") {
		t.Fatalf("db import of nodejs-core: exit %d: %s%s", code, out, stderr)
	}
	return path
}

// auditJSON is the part of the JSON report these tests read.
type auditJSON struct {
	Packages []struct {
		Ecosystem, Name, Version string
		Vulnerabilities          []struct {
			ID      string
			Aliases []string
		}
		Fix *struct{ To string }
	}
	Unpinned []struct {
		Ecosystem, Name, Requirement, File string
		Line                               int
	}
	Runtimes []struct {
		Version, Requirement, File, ReleaseLine, EndOfLife, MoveTo, Fix string
		Line                                                            int
		PastEndOfLife                                                   bool
		Advisories                                                      int
	}
}

func TestAuditNodeRuntime(t *testing.T) {
	db := nodeCoreDB(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Dockerfile":   "FROM node:20.11.0-alpine\nCOPY . .\n",
		"package.json": "{\n  \"name\": \"app\",\n  \"engines\": {\n    \"node\": \">=18\"\n  }\n}\n",
	})
	code, out, stderr := auditCLI(t, "audit", "--db", db, "--json", dir)
	if code != 1 {
		t.Fatalf("audit: exit %d, want 1 (vulnerable runtime): %s", code, stderr)
	}
	var r auditJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	if len(r.Packages) != 1 || r.Packages[0].Ecosystem != "Node.js" || r.Packages[0].Name != "node" || r.Packages[0].Version != "20.11.0" {
		t.Fatalf("packages %+v, want node 20.11.0 (Node.js) alone: the range is not matched", r.Packages)
	}
	var cves []string
	for _, v := range r.Packages[0].Vulnerabilities {
		cves = append(cves, v.Aliases...)
	}
	if !slices.Contains(cves, "CVE-2024-22025") || r.Packages[0].Fix == nil || r.Packages[0].Fix.To != "20.20.2" {
		t.Errorf("node 20.11.0: CVEs %q, fix %+v; want CVE-2024-22025 among them and the fix 20.20.2", cves, r.Packages[0].Fix)
	}
	if len(r.Runtimes) != 2 {
		t.Fatalf("runtimes %+v, want the Dockerfile's and package.json's", r.Runtimes)
	}
	docker, engines := r.Runtimes[0], r.Runtimes[1]
	if docker.File != "Dockerfile" || docker.Line != 1 || docker.Version != "20.11.0" || docker.ReleaseLine != "20.x" ||
		docker.EndOfLife != "2026-04-30" || docker.Fix != "20.20.2" || docker.Advisories != len(r.Packages[0].Vulnerabilities) {
		t.Errorf("Dockerfile runtime %+v, want 20.11.0 at Dockerfile:1, line 20.x ending 2026-04-30, fix 20.20.2", docker)
	}
	// The clock is the machine's: 20.x's end is past from 2026-05-01 on.
	if docker.PastEndOfLife != !timeNowBefore("2026-05-01") {
		t.Errorf("Dockerfile runtime past end of life = %v on this day", docker.PastEndOfLife)
	}
	if engines.File != "package.json" || engines.Line != 4 || engines.Version != "" || engines.Requirement != ">=18" || engines.ReleaseLine != "" {
		t.Errorf("engines runtime %+v, want the range >=18 at package.json:4, no version or line guessed", engines)
	}
	if !slices.ContainsFunc(r.Unpinned, func(u struct {
		Ecosystem, Name, Requirement, File string
		Line                               int
	}) bool {
		return u.Name == "node" && u.Requirement == ">=18" && u.File == "package.json"
	}) {
		t.Errorf("unpinned %+v, want node >=18 from package.json", r.Unpinned)
	}

	// The other formats say the same.
	_, table, _ := auditCLI(t, "audit", "--db", db, dir)
	if !strings.Contains(table, "runtime at Dockerfile:1: node 20.11.0:") || !strings.Contains(table, "fix 20.20.2") ||
		!strings.Contains(table, "node >=18: a range") {
		t.Errorf("table:\n%s\nwant the runtime lines", table)
	}
	_, md, _ := auditCLI(t, "audit", "--db", db, "--markdown", dir)
	if !strings.Contains(md, "### Node.js runtime") || !strings.Contains(md, "| `Dockerfile:1` | 20.11.0 |") || !strings.Contains(md, "### Unpinned") {
		t.Errorf("markdown:\n%s\nwant the runtime and unpinned sections", md)
	}
	_, sarif, _ := auditCLI(t, "audit", "--db", db, "--sarif", dir)
	if !strings.Contains(sarif, "NSWG-COR-138") || !strings.Contains(sarif, `"ruleId": "bulwark/unpinned"`) {
		t.Errorf("sarif lacks NSWG-COR-138 or the unpinned note")
	}
	if !timeNowBefore("2026-05-01") && !strings.Contains(sarif, `"ruleId": "bulwark/node-end-of-life"`) {
		t.Errorf("sarif lacks the end-of-life result")
	}
}

func TestAuditNodeFixedVersion(t *testing.T) {
	db := nodeCoreDB(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".nvmrc": "v24.14.1\n"})
	code, out, stderr := auditCLI(t, "audit", "--db", db, "--json", dir)
	if code != 0 {
		t.Fatalf("audit of node 24.14.1: exit %d, want 0: %s%s", code, out, stderr)
	}
	if strings.Contains(out, "CVE-2026-21637") {
		t.Errorf("node 24.14.1 reported with CVE-2026-21637, fixed in 24.14.1:\n%s", out)
	}
	var r auditJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Runtimes) != 1 || r.Runtimes[0].Version != "24.14.1" || r.Runtimes[0].PastEndOfLife {
		t.Errorf("runtimes %+v (%v), want 24.14.1 in a supported line", r.Runtimes, err)
	}
}

// TestAuditNodeMonitor: a new advisory on the runtime in use is an
// advisory-new event of the next monitor run.
func TestAuditNodeMonitor(t *testing.T) {
	db := nodeCoreDB(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".node-version": "24.14.1\n"})
	if code, out, stderr := auditCLI(t, "audit", "--db", db, "--monitor", dir); code != 0 || strings.Contains(out, "advisory-new") {
		t.Fatalf("first monitor run: exit %d, out %q: %s", code, out, stderr)
	}
	newer := t.TempDir()
	writeFiles(t, newer, map[string]string{"vuln/core/172.json": `{"cve": ["CVE-2026-99999"], "vulnerable": "24.x || 25.x",
		"patched": "^24.15.0 || ^25.9.0", "description": "a later flaw", "affectedEnvironments": ["all"], "severity": "high"}`})
	if code, _, stderr := auditCLI(t, "db", "import", "--db", db, newer); code != 0 {
		t.Fatalf("import of the new advisory: exit %d: %s", code, stderr)
	}
	code, out, stderr := auditCLI(t, "audit", "--db", db, "--monitor", dir)
	if code != 0 || !strings.Contains(out, "advisory-new") || !strings.Contains(out, "NSWG-COR-172") || strings.Count(out, "\n") != 1 {
		t.Errorf("second monitor run: exit %d, out:\n%s\nwant one advisory-new event for NSWG-COR-172: %s", code, out, stderr)
	}
}

func TestDBUpdateNode(t *testing.T) {
	core := testutil.Corpus(t, "nodejs-core")
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		http.ServeFile(w, r, filepath.Join(core, filepath.Base(r.URL.Path)))
	}))
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "osv.db")
	code, out, stderr := auditCLI(t, "db", "update", "--db", db, "--nodejs-index-url", srv.URL+"/vuln/core/index.json",
		"--nodejs-schedule-url", srv.URL+"/schedule.json", "Node.js")
	if code != 0 || !strings.Contains(out, "Node.js: 171 advisories (171 new") {
		t.Fatalf("db update Node.js: exit %d: %s%s", code, out, stderr)
	}
	if !slices.Equal(paths, []string{"/vuln/core/index.json", "/schedule.json"}) {
		t.Errorf("requests %q, want index.json then schedule.json", paths)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".nvmrc": "20.11.0\n"})
	_, table, _ := auditCLI(t, "audit", "--db", db, dir)
	if !strings.Contains(table, "fix 20.20.2; 20.x line:") {
		t.Errorf("audit after update:\n%s\nwant node 20.11.0 with its fix and line", table)
	}
	// A broken schedule changes nothing already stored and says where.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "schedule.json") {
			w.Write([]byte(`{"v20": {"end": "April"}}`))
			return
		}
		http.ServeFile(w, r, filepath.Join(core, "index.json"))
	}))
	defer bad.Close()
	before, _ := os.ReadFile(db)
	code, _, stderr = auditCLI(t, "db", "update", "--db", db, "--nodejs-index-url", bad.URL+"/index.json",
		"--nodejs-schedule-url", bad.URL+"/schedule.json", "Node.js")
	if code == 0 || !strings.Contains(stderr, "schedule.json") || !strings.Contains(stderr, "YYYY-MM-DD") {
		t.Errorf("update with a bad schedule: exit %d: %s; want an error naming the file and the date format", code, stderr)
	}
	if after, _ := os.ReadFile(db); len(after) != len(before) {
		t.Errorf("the database changed on a failed update")
	}
}

// timeNowBefore reports whether today is before day (YYYY-MM-DD).
func timeNowBefore(day string) bool { return time.Now().Format(time.DateOnly) < day }
