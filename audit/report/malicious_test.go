package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
)

// TestMalicious checks that a malicious package (a MAL- advisory, or an
// advisory aliased to one) comes first whatever the scores, is worded as
// malware to remove, not a version to upgrade, and always fails.
func TestMalicious(t *testing.T) {
	pkg := func(name string) lockfile.Package {
		return lockfile.Package{Ecosystem: "npm", Name: name, Version: "1.0.0", File: "/app/package-lock.json", Line: 7}
	}
	critical := audit.Severity{Level: audit.Critical, Score: 9.8}
	r := New("/app", []audit.Finding{
		{Package: pkg("minimist"), IDs: []string{"GHSA-xvch-5gv4-984h"}, Summary: "Prototype Pollution", Severity: critical, Fixed: []string{"1.2.6"}},
		{Package: pkg("evil-pkg"), IDs: []string{"MAL-2026-1234"}, Summary: "Malicious code in evil-pkg (npm)"},
		{Package: pkg("aliased"), IDs: []string{"GHSA-mal0-0000-0001"}, Aliases: []string{"MAL-2026-9"}, Summary: "Malware in aliased"},
	})
	r.Threshold = audit.Critical
	if got := []string{r.Packages[0].Name, r.Packages[1].Name, r.Packages[2].Name}; got[2] != "minimist" || !r.Packages[0].Malicious || !r.Packages[1].Malicious {
		t.Fatalf("order %q, want the malicious packages before minimist (critical)", got)
	}
	if r.Failing() != 3 || r.Malware() != 2 {
		t.Errorf("Failing() = %d, Malware() = %d; want 3 (malware fails at any threshold) and 2", r.Failing(), r.Malware())
	}
	var table, md, js, sarif bytes.Buffer
	Table(&table, r)
	Markdown(&md, r)
	JSON(&js, r)
	SARIF(&sarif, r, "test")
	first := strings.SplitN(table.String(), "\n", 2)[0]
	if want := "aliased@1.0.0 (npm)  MALICIOUS  malicious: remove it, rotate every secret the machine held"; first != want {
		t.Errorf("table starts %q, want %q", first, want)
	}
	if !strings.Contains(table.String(), "2 malicious packages (malicious: remove it, rotate every secret the machine held); ") {
		t.Errorf("table summary:\n%s", table.String())
	}
	if !strings.Contains(md.String(), "| **malicious**: remove it, rotate every secret the machine held |") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if !strings.Contains(js.String(), `"malicious": true`) || !strings.Contains(js.String(), `"advice": "malicious: remove it`) {
		t.Errorf("json:\n%s", js.String())
	}
	if !strings.Contains(sarif.String(), "is malware (MAL-2026-1234)") {
		t.Errorf("sarif lacks the malware wording")
	}
}
