package cli

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// runtimeEvent returns the labels of the runtime-version event among the
// JSON event lines of out, or nil.
func runtimeEvent(t *testing.T, out string) map[string]string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e struct {
			Event  struct{ Action string } `json:"event"`
			Labels map[string]string       `json:"labels"`
		}
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Event.Action == ActionRuntime {
			return e.Labels
		}
	}
	return nil
}

// TestRunLogsNodeRuntime: bulwark run with the machine's node reports the
// version of the interpreter it starts, with that version's advisories
// and line from the database.
func TestRunLogsNodeRuntime(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testutil.RealPartMissing(t, "node")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	t.Setenv("BULWARK_OSV_DB", nodeCoreDB(t))

	for _, command := range [][]string{{node, "-e", "process.exit(0)"}, {"sh", "-c", "node -e 'process.exit(0)'"}} {
		args := append([]string{"run", "--restart", "never", "--"}, command...)
		code, _, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("bulwark %q: exit %d: %s", args, code, stderr)
		}
		labels := runtimeEvent(t, stderr)
		if labels == nil {
			t.Fatalf("bulwark %q: no %s event in:\n%s", args, ActionRuntime, stderr)
		}
		if labels["node.version"] != want || labels["node.release_line"] == "" || labels["node.end_of_life"] == "" {
			t.Errorf("bulwark %q: runtime labels %v, want node.version %s (the interpreter's own) with its line and end of life", args, labels, want)
		}
		if !strings.Contains(stderr, "node runtime: node "+want) {
			t.Errorf("bulwark %q: no log line naming node %s:\n%s", args, want, stderr)
		}
	}
}

// TestRunNoNodeNoRuntime: an app that no node runs logs no runtime.
func TestRunNoNodeNoRuntime(t *testing.T) {
	t.Setenv("PATH", "/nonexistent")
	code, _, stderr := runCLI(t, "run", "--restart", "never", "--", "/bin/sh", "-c", "exit 0")
	if code != 0 || runtimeEvent(t, stderr) != nil {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 0 and no %s event", code, stderr, ActionRuntime)
	}
}
