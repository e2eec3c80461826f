package cli

import (
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestRunStatus: while bulwark run keeps an app running, status --run
// shows it (command, state, pid, restarts); once it stops, nothing is
// left in the state directory and status says none is running.
func TestRunStatus(t *testing.T) {
	home := t.TempDir()
	t.Setenv("BULWARK_HOME", home)
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Run.Command = []string{"sleep", "30"}
	sigs := make(chan os.Signal, 1)
	var stdout, stderr testutil.SyncBuffer
	done := make(chan error, 1)
	go func() { done <- runSupervisor(t.Context(), cfg.Run, "stderr", false, sigs, &stdout, &stderr) }()

	var runs []runStatus
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		runs = readRunStatuses(home, time.Now())
		if len(runs) == 1 && runs[0].App.PID != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no running app in status --run within 10s: %+v\nstderr:\n%s", runs, stderr.String())
		}
	}
	if r := runs[0]; r.PID != os.Getpid() || !slices.Equal(r.Command, []string{"sleep", "30"}) || r.App.Restarts != 0 {
		t.Errorf("status --run = %+v, want this process running sleep 30, no restart", r)
	}
	code, out, _ := runCLI(t, "status", "--run")
	if code != 0 || !containsAll(out, "sleep 30", "restarts           0") {
		t.Errorf("status --run printed (exit %d):\n%s", code, out)
	}

	sigs <- syscall.SIGTERM
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("runSupervisor did not return after SIGTERM")
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("after the run stopped, the state directory holds %v, want nothing", entries)
	}
	if code, out, _ := runCLI(t, "status", "--run", "--json"); code != 0 || out != "[]\n" {
		t.Errorf("status --run --json with none running = %d %q, want []", code, out)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
