package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// runCLI runs bulwark with args in-process and returns the exit code and
// output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(t.Context(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunPassesOnExitCodeAndOutput(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "--restart", "never", "--", "sh", "-c", "echo hello; echo oops >&2; exit 3")
	if code != 3 {
		t.Errorf("exit code %d, want the app's 3; stderr:\n%s", code, stderr)
	}
	if stdout != "hello\n" {
		t.Errorf("stdout = %q, want only the app's line", stdout)
	}
	for _, want := range []string{"oops\n", `"action":"process-started"`, `"action":"process-crashed"`, "bulwark: app exit code 3"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestRunWithoutDashDash(t *testing.T) {
	// Flags after the command are the app's.
	code, stdout, stderr := runCLI(t, "run", "--restart=never", "--log-console=prefixed", "sh", "-c", "echo $1", "sh", "--restart")
	if code != 0 || !strings.HasPrefix(stdout, "app[") || !strings.HasSuffix(stdout, "] --restart\n") {
		t.Errorf("run without -- = %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

func TestRunUsageErrors(t *testing.T) {
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badFile, []byte("run:\n  restart: sometimes\n"), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", []string{"run"}, 2, "no command to run: give it after --"},
		{"bad flag value", []string{"run", "--restart", "sometimes", "--", "true"}, 2, "restart: must be always, on-failure or never"},
		{"bad env", []string{"run", "--env", "NOVALUE", "--", "true"}, 2, `--env "NOVALUE": want KEY=VALUE`},
		{"bad file", []string{"run", "--config", badFile, "--", "true"}, 2, "bad.yaml:2: run.restart: must be always"},
		{"not found", []string{"run", "--", "bulwark-no-such-command"}, 127, "fix PATH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("bulwark %s = %d, stderr:\n%s\nwant %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestRunConfigSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bulwark.yaml")
	os.WriteFile(path, []byte("run:\n  command: [sh, -c, 'echo $GREETING; exit 4']\n  restart: never\n  env: {GREETING: hi}\n"), 0o600)
	code, stdout, stderr := runCLI(t, "run", "--config", path)
	if code != 4 || stdout != "hi\n" {
		t.Errorf("run --config = %d, stdout %q; want 4, %q; stderr:\n%s", code, stdout, "hi\n", stderr)
	}
}

func TestRunSignals(t *testing.T) {
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Run.Command = []string{"sleep", "30"}
	sigs := make(chan os.Signal, 1)
	var stdout, stderr testutil.SyncBuffer
	done := make(chan error, 1)
	go func() { done <- runSupervisor(t.Context(), cfg.Run, "stderr", false, sigs, &stdout, &stderr) }()

	waitCount := func(s string, n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); stderr.Count(s) < n; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %d× %s within 10s; stderr:\n%s", n, s, stderr.String())
			}
		}
	}
	waitCount(`"action":"process-started"`, 1)
	sigs <- syscall.SIGHUP
	waitCount(`"action":"process-started"`, 2)
	if stderr.Count(`ended (restart)`) != 1 {
		t.Errorf("SIGHUP did not end the first app as a planned restart:\n%s", stderr.String())
	}
	t0 := time.Now()
	sigs <- syscall.SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runSupervisor after SIGTERM = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runSupervisor did not return after SIGTERM")
	}
	if took := time.Since(t0); took > 5*time.Second {
		t.Errorf("stopping took %v; sleep dies on SIGTERM at once", took)
	}
	if stderr.Count(`ended (shutdown)`) != 1 {
		t.Errorf("no shutdown exit event:\n%s", stderr.String())
	}
}

func TestRunUpstream(t *testing.T) {
	for port, want := range map[string]string{"": "http://127.0.0.1:3000", "4000": "http://127.0.0.1:4000", "x": "http://127.0.0.1:3000", "70000": "http://127.0.0.1:3000"} {
		if got := runUpstream(port); got != want {
			t.Errorf("runUpstream(%q) = %q, want %q", port, got, want)
		}
	}
}
