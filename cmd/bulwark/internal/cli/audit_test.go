package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

func auditCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// corpusDB imports the npm and Go corpora into a new advisory database
// through bulwark db import.
func corpusDB(t *testing.T) string {
	t.Helper()
	npm, golang := testutil.Corpus(t, "osv", "npm"), testutil.Corpus(t, "osv", "go")
	path := filepath.Join(t.TempDir(), "osv.db")
	if code, _, stderr := auditCLI(t, "db", "import", "--db", path, npm, golang); code != 0 {
		t.Fatalf("db import of the corpus: exit %d: %s", code, stderr)
	}
	return path
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// demoLock lists plotly.js 1.10.3 (NSWG-ECO-145, medium 6.5, fixed in
// 1.10.4) under charts, and bassmaster 1.5.1 (NSWG-ECO-1, medium 6.5,
// last_affected: no fix) as a direct dependency.
const demoLock = `{
  "name": "demo",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "demo",
      "version": "1.0.0",
      "dependencies": {"charts": "^1.0.0", "bassmaster": "1.5.1"}
    },
    "node_modules/bassmaster": {
      "version": "1.5.1"
    },
    "node_modules/charts": {
      "version": "1.0.0",
      "dependencies": {"plotly.js": "1.10.3"}
    },
    "node_modules/plotly.js": {
      "version": "1.10.3"
    }
  }
}
`

func TestAuditCorpus(t *testing.T) {
	db := corpusDB(t)

	t.Run("express-app", func(t *testing.T) {
		code, stdout, stderr := auditCLI(t, "audit", "--db", db, "../../../../examples/express-app")
		if code != 0 || !strings.Contains(stdout, "no known vulnerabilities in") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 0 and no known vulnerabilities", code, stdout, stderr)
		}
	})

	t.Run("the project itself", func(t *testing.T) {
		code, stdout, stderr := auditCLI(t, "audit", "--db", db, "--json", "../../../..")
		if code != 0 && code != 1 {
			t.Fatalf("exit %d, stderr %q; want 0 or 1", code, stderr)
		}
		var doc struct {
			Scanned  int
			Files    []string
			Packages []struct{ Name, Version string }
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("JSON report: %v\n%s", err, stdout)
		}
		if doc.Scanned < 50 || !strings.Contains(strings.Join(doc.Files, " "), "go.mod") {
			t.Errorf("scanned %d packages in %v: want go.mod among the files", doc.Scanned, doc.Files)
		}
		if (code == 1) != (len(doc.Packages) > 0) {
			t.Errorf("exit %d with %d vulnerable packages", code, len(doc.Packages))
		}
	})

	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"package-lock.json": demoLock})

	t.Run("table", func(t *testing.T) {
		code, stdout, stderr := auditCLI(t, "audit", "--db", db, dir)
		if code != 1 || !strings.Contains(stderr, "2 vulnerabilities at or above severity low") {
			t.Errorf("exit %d, stderr %q; want 1 and the count", code, stderr)
		}
		for _, want := range []string{
			"plotly.js@1.10.3 (npm)  medium 6.5  fix: 1.10.4",
			"NSWG-ECO-145",
			"at package-lock.json:19 via charts@1.0.0",
			"bassmaster@1.5.1 (npm)  medium 6.5  fix: none known",
			"at package-lock.json:12 direct dependency",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("table lacks %q:\n%s", want, stdout)
			}
		}
	})

	t.Run("severity threshold", func(t *testing.T) {
		if code, _, stderr := auditCLI(t, "audit", "--db", db, "--severity", "medium", dir); code != 1 {
			t.Errorf("--severity medium: exit %d (%s), want 1", code, stderr)
		}
		if code, _, stderr := auditCLI(t, "audit", "--db", db, "--severity", "high", dir); code != 0 {
			t.Errorf("--severity high: exit %d (%s), want 0: both findings are medium", code, stderr)
		}
	})

	t.Run("sarif", func(t *testing.T) {
		_, stdout, _ := auditCLI(t, "audit", "--db", db, "--sarif", dir)
		var log struct {
			Version string
			Runs    []struct {
				Results []struct {
					RuleID    string
					Level     string
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &log); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range log.Runs[0].Results {
			l := r.Locations[0].PhysicalLocation
			got[r.RuleID] = l.ArtifactLocation.URI + ":" + itoaTest(l.Region.StartLine) + " " + r.Level
		}
		want := map[string]string{"NSWG-ECO-145": "package-lock.json:19 warning", "NSWG-ECO-1": "package-lock.json:12 warning"}
		if log.Version != "2.1.0" || len(got) != 2 || got["NSWG-ECO-145"] != want["NSWG-ECO-145"] || got["NSWG-ECO-1"] != want["NSWG-ECO-1"] {
			t.Errorf("SARIF %s results %v, want 2.1.0 and %v", log.Version, got, want)
		}
	})

	t.Run("ignore file", func(t *testing.T) {
		ig := filepath.Join(t.TempDir(), "ignore.yaml")
		writeFiles(t, filepath.Dir(ig), map[string]string{"ignore.yaml": `ignore:
  - id: NSWG-ECO-145
    reason: charts never renders user input
    until: 2999-12-31
  - id: NSWG-ECO-1
    reason: waiting for a release
    until: 2020-01-31
`})
		code, stdout, stderr := auditCLI(t, "audit", "--db", db, "--ignore", ig, dir)
		if code != 1 || strings.Contains(stdout, "plotly.js@1.10.3 (npm)") ||
			!strings.Contains(stdout, "ignored NSWG-ECO-145 on plotly.js@1.10.3 until 2999-12-31") ||
			!strings.Contains(stdout, "ignore for NSWG-ECO-1 expired on 2020-01-31") {
			t.Errorf("exit %d, stdout:\n%s\nstderr %q; want plotly.js ignored, bassmaster reported with its expired ignore", code, stdout, stderr)
		}
		writeFiles(t, filepath.Dir(ig), map[string]string{"ignore.yaml": "ignore:\n  - id: X\n    until: 2027-01-01\n"})
		if code, _, stderr := auditCLI(t, "audit", "--db", db, "--ignore", ig, dir); code != 2 || !strings.Contains(stderr, "ignore.yaml:2") {
			t.Errorf("bad ignore file: exit %d, stderr %q; want 2 and file:line", code, stderr)
		}
	})

	t.Run("malformed lockfile beside a good one", func(t *testing.T) {
		d := t.TempDir()
		writeFiles(t, d, map[string]string{"a/package-lock.json": demoLock, "b/package-lock.json": "{\n  \"packages\": [\n"})
		code, _, stderr := auditCLI(t, "audit", "--db", db, d)
		if code != 1 || !strings.Contains(stderr, "skipped: b/package-lock.json:") && !strings.Contains(stderr, filepath.Join(d, "b/package-lock.json")+":") {
			t.Errorf("exit %d, stderr %q; want 1 and the bad file named with its line", code, stderr)
		}
		writeFiles(t, d, map[string]string{"a/package-lock.json": "not json"})
		if code, _, stderr := auditCLI(t, "audit", "--db", db, d); code != 2 || !strings.Contains(stderr, "could be read") {
			t.Errorf("only bad lockfiles: exit %d, stderr %q; want 2", code, stderr)
		}
	})

	t.Run("monitor", func(t *testing.T) {
		mdb := filepath.Join(t.TempDir(), "osv.db")
		copyFile(t, db, mdb)
		code, stdout, stderr := auditCLI(t, "audit", "--db", mdb, "--monitor", dir)
		if code != 0 || strings.Count(stdout, `"advisory-new"`) != 2 || !strings.Contains(stdout, `"rule":{"id":"NSWG-ECO-145"`) && !strings.Contains(stdout, `NSWG-ECO-145`) {
			t.Fatalf("first monitor run: exit %d, stdout %s, stderr %s; want two advisory-new events", code, stdout, stderr)
		}
		if code, stdout, _ := auditCLI(t, "audit", "--db", mdb, "--monitor", dir); code != 0 || stdout != "" {
			t.Errorf("second run: exit %d, stdout %q; want 0 and no event", code, stdout)
		}
	})

	t.Run("monitor alerts through a notifier", func(t *testing.T) {
		var mu sync.Mutex
		var bodies []string
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, string(b))
			mu.Unlock()
		}))
		defer hook.Close()
		work := t.TempDir()
		mdb := filepath.Join(work, "osv.db")
		copyFile(t, db, mdb)
		cfg := filepath.Join(work, "bulwark.yaml")
		writeFiles(t, work, map[string]string{"bulwark.yaml": "store: {path: " + filepath.Join(work, "bulwark.db") + "}\n" +
			"alerts:\n  notifiers:\n    hook: {type: webhook, url: " + hook.URL + "}\n"})
		if code, _, stderr := auditCLI(t, "audit", "--db", mdb, "--monitor", "--config", cfg, dir); code != 0 {
			t.Fatalf("monitor with alerts: exit %d, stderr %s", code, stderr)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(bodies) != 1 || !strings.Contains(bodies[0], "advisory") || !strings.Contains(bodies[0], "NSWG-ECO-145") {
			t.Errorf("the webhook got %d notifications %q; want one advisory notification naming NSWG-ECO-145, sent before the command exits", len(bodies), bodies)
		}
	})
}

func TestAuditUsage(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"package-lock.json": demoLock})
	missing := filepath.Join(dir, "none.db")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--db", missing, dir}, "run bulwark db import PATH or bulwark db update"},
		{[]string{"audit", "--db", missing, "--json", "--sarif", dir}, "at most one of --json, --sarif and --markdown"},
		{[]string{"audit", "--db", missing, "--severity", "severe", dir}, `"severe" is not one of low, medium, high, critical`},
		{[]string{"audit", "--db", missing, filepath.Join(dir, "nope")}, "is not a directory"},
		{[]string{"audit", "--db", missing, "--every", "1h", dir}, "--every needs --monitor"},
		{[]string{"db", "info", "--db", missing}, "no advisory database at"},
		{[]string{"db", "import", "--db", missing}, "import takes at least one"},
		{[]string{"db", "update", "--db", missing, "--offline"}, "offline mode"},
	} {
		code, _, stderr := auditCLI(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("bulwark %s: exit %d, stderr %q; want 2 and %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("a usage error created %s", missing)
	}
}

// TestDBUpdate downloads all.zip from a loopback server, then again with
// the validators, and checks that --offline makes no request.
func TestDBUpdate(t *testing.T) {
	npm := testutil.Corpus(t, "osv", "npm")
	var zipData bytes.Buffer
	zw := zip.NewWriter(&zipData)
	for _, id := range []string{"NSWG-ECO-1", "NSWG-ECO-145"} {
		data, err := os.ReadFile(filepath.Join(npm, id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(id + ".json")
		w.Write(data)
	}
	zw.Close()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/npm/all.zip" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write(zipData.Bytes())
	}))
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "osv.db")

	if code, _, stderr := auditCLI(t, "db", "update", "--db", db, "--offline", "npm"); code != 2 || requests.Load() != 0 {
		t.Fatalf("--offline: exit %d (%s) after %d requests; want 2 and none", code, stderr, requests.Load())
	}
	code, stdout, stderr := auditCLI(t, "db", "update", "--db", db, "--base-url", srv.URL, "npm")
	if code != 0 || !strings.Contains(stdout, "npm: ") || !strings.Contains(stdout, "2 advisories (2 new") {
		t.Fatalf("update: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := auditCLI(t, "db", "update", "--db", db, "--base-url", srv.URL); code != 0 || !strings.Contains(stdout, "npm: not modified") {
		t.Errorf("second update (ecosystems from the database): exit %d, stdout %q; want npm not modified", code, stdout)
	}
	code, stdout, _ = auditCLI(t, "db", "info", "--db", db, "--json")
	var info struct {
		Entries     int
		ByEcosystem map[string]int
		Sources     []struct{ URL, ETag string }
	}
	if err := json.Unmarshal([]byte(stdout), &info); err != nil || code != 0 {
		t.Fatalf("db info --json: exit %d, %v\n%s", code, err, stdout)
	}
	if info.Entries != 2 || info.ByEcosystem["npm"] != 2 || len(info.Sources) != 1 || info.Sources[0].ETag != `"v1"` {
		t.Errorf("db info = %+v; want 2 npm entries and one source with its ETag", info)
	}
	if code, _, stderr := auditCLI(t, "db", "update", "--db", db, "--base-url", srv.URL, "PyPI"); code != 1 || !strings.Contains(stderr, "PyPI") {
		t.Errorf("update of a missing zip: exit %d, stderr %q; want 1 naming the ecosystem", code, stderr)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func itoaTest(i int) string { b, _ := json.Marshal(i); return string(b) }
