package update

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestMaliciousNeverInstalled checks that a candidate named by a MAL-
// advisory is not tried, that a candidate pulling one in is stopped after
// resolving and before installing, that neither tarball is downloaded,
// and that the report raises both as alerts.
func TestMaliciousNeverInstalled(t *testing.T) {
	needNPM(t)
	ok := "exports.ok = () => true;\n"
	reg := newNPMRegistry(t, testToken, []npmVersion{
		{name: "evil", version: "1.0.0", index: ok},
		{name: "evil", version: "1.0.1", index: ok},
		{name: "carrier", version: "1.0.0", index: ok},
		{name: "carrier", version: "1.0.1", index: ok,
			manifest: map[string]any{"name": "carrier", "version": "1.0.1", "main": "index.js", "dependencies": map[string]string{"evil": "1.0.1"}}},
	})
	env := npmEnv(t)
	dir := t.TempDir()
	write(t, dir, ".npmrc", "registry="+reg.URL+"\n")
	write(t, dir, "package.json", `{"name": "app", "version": "1.0.0", "private": true,
  "scripts": {"test": "node -e \"require('carrier'); require('evil')\""},
  "dependencies": {"carrier": "1.0.0", "evil": "1.0.0"}}
`)
	run(t, dir, env, "npm", "install", "--no-audit", "--no-fund")
	reg.forget()
	adv := testAdvisoryDB(t, `{"id": "MAL-2026-0042", "modified": "2026-01-01T00:00:00Z",
		"summary": "Malicious code in evil (npm)", "affected": [{"package": {"ecosystem": "npm", "name": "evil"}, "versions": ["1.0.1"]}]}`)

	for _, group := range []bool{false, true} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		rep, err := Run(ctx, dir, Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute, Advisories: adv, Group: group})
		if err != nil {
			t.Fatal(err)
		}
		got := statuses(rep)
		if got["npm:evil@1.0.1"] != Blocked || got["npm:carrier@1.0.1"] != Blocked {
			t.Errorf("group %v: statuses %v, want evil 1.0.1 and carrier 1.0.1 (which pulls it in) blocked", group, got)
		}
		if reg.wasFetched("evil", "1.0.1") {
			t.Fatalf("group %v: the malicious evil 1.0.1 was downloaded", group)
		}
		if len(rep.Malicious) != 2 || !rep.Failed() {
			t.Errorf("group %v: malicious %v, failed %v; want evil 1.0.1 as a candidate and through carrier 1.0.1", group, rep.Malicious, rep.Failed())
		}
		var out strings.Builder
		rep.WriteTable(&out)
		if !strings.HasPrefix(out.String(), "ALERT: evil@1.0.1 (npm) is malicious (MAL-2026-0042)") || !strings.Contains(out.String(), "pulled in by carrier@1.0.1") {
			t.Errorf("group %v: the table does not start with the alerts:\n%s", group, out.String())
		}
		if !strings.Contains(rep.Markdown(), "[!CAUTION]") {
			t.Errorf("group %v: the PR text does not raise the alert", group)
		}
	}
}
