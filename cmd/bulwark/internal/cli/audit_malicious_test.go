package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditMalicious checks that bulwark audit puts a package named by an
// OSV malicious-package entry (MAL-, imported like any other) at the top
// of its report, worded as malware, and fails at any --severity.
func TestAuditMalicious(t *testing.T) {
	dir := t.TempDir()
	osvDir := filepath.Join(dir, "osv")
	os.Mkdir(osvDir, 0o755)
	os.WriteFile(filepath.Join(osvDir, "MAL-2026-0042.json"), []byte(`{"id": "MAL-2026-0042", "modified": "2026-01-01T00:00:00Z",
		"summary": "Malicious code in evil-helper (npm)",
		"affected": [{"package": {"ecosystem": "npm", "name": "evil-helper"}, "versions": ["1.1.0"]}]}`), 0o644)
	os.WriteFile(filepath.Join(osvDir, "GHSA-test-0002.json"), []byte(`{"id": "GHSA-test-0002", "modified": "2026-01-01T00:00:00Z",
		"summary": "a critical flaw", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
		"affected": [{"package": {"ecosystem": "npm", "name": "aaa-first"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]}`), 0o644)
	db := filepath.Join(dir, "osv.db")
	if code, _, stderr := auditCLI(t, "db", "import", "--db", db, osvDir); code != 0 {
		t.Fatalf("db import: exit %d: %s", code, stderr)
	}
	proj := filepath.Join(dir, "app")
	writeFiles(t, proj, map[string]string{"package-lock.json": `{"name": "app", "lockfileVersion": 3, "requires": true,
  "packages": {"": {"name": "app", "dependencies": {"aaa-first": "1.0.0", "evil-helper": "1.1.0"}},
    "node_modules/aaa-first": {"version": "1.0.0"},
    "node_modules/evil-helper": {"version": "1.1.0"}}}`})
	code, stdout, stderr := auditCLI(t, "audit", "--db", db, "--severity", "critical", proj)
	if code != 1 || !strings.Contains(stderr, "1 malicious package") {
		t.Errorf("exit %d, stderr %q; want 1 and the malicious package named", code, stderr)
	}
	if first := strings.SplitN(stdout, "\n", 2)[0]; first != "evil-helper@1.1.0 (npm)  MALICIOUS  malicious: remove it, rotate every secret the machine held" {
		t.Errorf("report starts %q, want the malicious package first:\n%s", first, stdout)
	}
}
