package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAlertTestUsageErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bulwark.yaml")
	yaml := "alerts:\n  notifiers:\n    ops-hook: {type: webhook, url: \"http://127.0.0.1:1/hook\"}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no notifier", []string{"alert", "test", "--config", cfg}, "--notifier NAME is required"},
		{"unknown notifier", []string{"alert", "test", "--config", cfg, "--notifier", "ops-mail"}, `no notifier "ops-mail" (known: ops-hook)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("bulwark %s = %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, stderr, exitUsage, tt.want)
			}
		})
	}
}
