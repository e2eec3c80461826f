package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestSystemdUnits has systemd-analyze verify check the units for guard and
// watch: every directive known to this systemd, the commands runnable. Any
// warning fails the test (an unknown or misspelt key is only a warning to
// systemd, which then ignores that hardening silently). It also checks the
// hardening the issue asks for is in each.
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		testutil.RealPartMissing(t, "systemd-analyze is not on PATH: apt-get install systemd")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(testutil.RepoRoot(t), "packaging", "systemd")
	for _, tt := range []struct {
		unit string
		want []string
	}{
		{"bulwark-guard.service", []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=bulwark", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n", "ExecStart=/usr/local/bin/bulwark guard "}},
		{"bulwark-watch.service", []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=bulwark-watch", "CapabilityBoundingSet=CAP_NET_ADMIN\n", "AF_NETLINK", "ExecStart=/usr/local/bin/bulwark watch "}},
	} {
		t.Run(tt.unit, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(src, tt.unit))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(raw), w) {
					t.Errorf("%s has no %q", tt.unit, w)
				}
			}
			// The binary is not installed here: point ExecStart at an
			// executable that is (this test), as systemd checks it exists.
			unit := strings.ReplaceAll(string(raw), "/usr/local/bin/bulwark ", self+" ")
			dir := t.TempDir()
			path := filepath.Join(dir, tt.unit)
			if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(analyze, "verify", path)
			cmd.Env = append(os.Environ(), "SYSTEMD_LOG_COLOR=0")
			out, err := cmd.CombinedOutput()
			if err != nil || len(strings.TrimSpace(string(out))) > 0 {
				t.Errorf("systemd-analyze verify %s: %v\n%s", tt.unit, err, out)
			}
		})
	}
}
