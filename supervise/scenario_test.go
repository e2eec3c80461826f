//go:build linux

package supervise

// Scenario tests: the supervisor with real processes (the test app from
// testdata/app, or sh scripts) and real time. They check decisions (the
// backoff planned, as its event says), the order of things and lower bounds
// (a wait really happened), never how fast: a loaded machine is slow, not
// wrong. The exact timings are loop_test.go's, in fake time.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// waitFor waits for the n-th event with action (see [testutil.Eventually])
// and returns it; if it never comes, the failure lists the events that did.
func (h *harness) waitFor(t *testing.T, action string, n int) event.Event {
	t.Helper()
	var got event.Event
	found := false
	defer func() {
		if !found {
			t.Logf("events: %v", h.rec.actions())
		}
	}()
	testutil.Eventually(t, fmt.Sprintf("a %s event #%d", action, n), func() bool {
		if evs := h.rec.find(action); len(evs) >= n {
			got, found = evs[n-1], true
		}
		return found
	})
	return got
}

func quiet() Logs { return Logs{Console: ConsoleOff} }

func ms(d int) time.Duration { return time.Duration(d) * time.Millisecond }

func TestScenarioCrashLoopBacksOff(t *testing.T) {
	t.Parallel()
	cfg := Config{Command: []string{appPath, "-exit-after=1ms", "-code=1"}, Logs: quiet(),
		Backoff: Backoff{Initial: ms(100), Max: ms(400)}}
	h := start(t, cfg, nil, Options{})
	h.waitFor(t, "process-started", 5)
	h.stop()
	crashes, starts, restarts := h.rec.find("process-crashed"), h.rec.find("process-started"), h.rec.find("process-restarting")
	for i, want := range []time.Duration{ms(100), ms(200), ms(400), ms(400)} {
		if got := restarts[i].Labels["backoff"]; got != want.String() {
			t.Errorf("crash %d: backoff %s planned, want %v", i+1, got, want)
		}
		if gap := starts[i+1].Time.Sub(crashes[i].Time); gap < want {
			t.Errorf("crash %d → next start took %v, less than the %v backoff", i+1, gap, want)
		}
	}
	if crashes[0].Labels["exit_code"] != "1" {
		t.Errorf("crash event labels %v, want exit_code 1", crashes[0].Labels)
	}
}

func TestScenarioStableUptimeResetsBackoff(t *testing.T) {
	t.Parallel()
	// Runs 1-3 crash at once; run 4 stays up 1.5s (past resetAfter) first.
	script := `n=$(cat "$0" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$0"; [ $n -eq 4 ] && sleep 1.5; exit 1`
	cfg := Config{Command: []string{"sh", "-c", script, filepath.Join(t.TempDir(), "count")}, Logs: quiet(),
		Backoff: Backoff{Initial: ms(100), Multiplier: 4, Max: 10 * time.Second, ResetAfter: time.Second}}
	h := start(t, cfg, nil, Options{})
	h.waitFor(t, "process-started", 5)
	h.stop()
	crashes, starts, restarts := h.rec.find("process-crashed"), h.rec.find("process-started"), h.rec.find("process-restarting")
	// 100ms, ×4, ×4, then the 1.5s run (past resetAfter) starts over.
	for i, want := range []time.Duration{ms(100), ms(400), ms(1600), ms(100)} {
		if got := restarts[i].Labels["backoff"]; got != want.String() {
			t.Errorf("crash %d: backoff %s planned, want %v", i+1, got, want)
		}
	}
	if gap := starts[3].Time.Sub(crashes[2].Time); gap < ms(1600) {
		t.Errorf("third crash → next start took %v, less than the 1.6s backoff", gap)
	}
}

func TestScenarioHungAppRestarted(t *testing.T) {
	t.Parallel()
	addr := testutil.FreeAddr(t)
	cfg := Config{Command: []string{appPath, "-listen", addr, "-hang-after", "300ms"}, Logs: quiet(),
		Health: Health{HTTP: "http://" + addr + "/healthz", Interval: ms(100), Timeout: ms(200), FailureThreshold: 2},
		Stop:   Stop{Grace: time.Second}, Backoff: Backoff{Initial: ms(100)}}
	h := start(t, cfg, nil, Options{})
	h.waitFor(t, "process-unhealthy", 1)
	h.waitFor(t, "process-ready", 2)
	h.stop()
	crash := h.rec.find("process-crashed")[0]
	if crash.Labels["reason"] != "unhealthy" || crash.Labels["signal"] != "SIGTERM" {
		t.Errorf("hung app ended with %v, want reason unhealthy by SIGTERM", crash.Labels)
	}
	if n := len(h.rec.find("health-check-failed")); n < 2 {
		t.Errorf("%d health-check-failed events, want at least 2", n)
	}
}

func TestScenarioIgnoresSIGTERMKilledAfterGrace(t *testing.T) {
	t.Parallel()
	addr := testutil.FreeAddr(t)
	cfg := Config{Command: []string{appPath, "-ignore-term", "-listen", addr}, Logs: quiet(),
		Health: Health{TCP: addr}, Stop: Stop{Grace: ms(300)}}
	h := start(t, cfg, nil, Options{})
	if err := h.s.WaitReady(t.Context()); err != nil { // the app has set up its signals by then
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if took := time.Since(t0); took < ms(300) {
		t.Errorf("stopping took %v, less than the 300ms grace", took)
	}
	if st := h.s.Status(); st.LastExit == nil || st.LastExit.Signal != "SIGKILL" || st.State != StateStopped {
		t.Errorf("Status = %+v, want stopped, last exit by SIGKILL", st)
	}
	if len(h.rec.find("process-killed")) != 1 {
		t.Errorf("events %v, want process-killed", h.rec.actions())
	}
}

// gone reports whether pid is gone or a zombie (dead, not yet reaped).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(b, ')')
	return i > 0 && len(b) > i+2 && b[i+2] == 'Z'
}

// reaped reports whether pid is gone altogether: dead and waited for.
func reaped(pid int) bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }

func TestScenarioGrandchildCleanedUpAfterCrash(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "grandchild.pid")
	cfg := Config{Command: []string{appPath, "-grandchild", pidFile, "-exit-after", "300ms", "-code", "1"},
		Logs: quiet(), Restart: RestartNever}
	h := start(t, cfg, nil, Options{})
	err := h.wait()
	var ee *ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("Run = %v, want the app's exit code 1", err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(b))
	t.Cleanup(func() {
		if !gone(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	testutil.Eventually(t, fmt.Sprintf("the grandchild %d gone and reaped after the app crashed", pid), func() bool { return reaped(pid) })
}

func TestScenarioAppDiesWithSupervisor(t *testing.T) {
	t.Parallel()
	sup := exec.Command(os.Args[0], "-test.run=^$")
	sup.Env = append(os.Environ(), asSupervisorEnv+"="+appPath)
	out, _ := sup.StdoutPipe()
	sup.Stderr = os.Stderr
	if err := sup.Start(); err != nil {
		t.Fatal(err)
	}
	defer sup.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "pid ")))
	if err != nil || pid == 0 {
		t.Fatalf("supervisor said %q, %v; want pid N", line, err)
	}
	t.Cleanup(func() {
		if !gone(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	sup.Process.Kill() // SIGKILL: no chance to stop the app itself
	sup.Wait()
	testutil.Eventually(t, fmt.Sprintf("the app %d gone with its killed supervisor", pid), func() bool { return gone(pid) })
}

// lineWriter keeps what is written to it and checks each Write is one
// whole line.
type lineWriter struct {
	t     *testing.T
	mu    sync.Mutex
	buf   strings.Builder
	torn  int
	lines int
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.IndexByte(p, '\n') != len(p)-1 {
		w.torn++
	}
	w.lines++
	w.buf.Write(p)
	return len(p), nil
}

func TestScenarioManyLinesNoneLost(t *testing.T) {
	t.Parallel()
	const n = 100000 // to stdout, and as many to stderr
	logFile := filepath.Join(t.TempDir(), "out.log")
	var stdout, stderr lineWriter
	cfg := Config{Command: []string{appPath, "-lines", strconv.Itoa(n), "-partial", "the end, no newline"},
		Restart: RestartNever,
		Logs:    Logs{Stdout: LogFile{Path: logFile, MaxSize: 1 << 20, MaxFiles: 10}}}
	h := start(t, cfg, nil, Options{Stdout: &stdout, Stderr: &stderr})
	if err := h.wait(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	check := func(name string, w *lineWriter, prefix string, tail string) {
		if w.torn != 0 {
			t.Errorf("%s: %d writes were not exactly one line", name, w.torn)
		}
		lines := strings.Split(strings.TrimSuffix(w.buf.String(), "\n"), "\n")
		want := n
		if tail != "" {
			want++
		}
		if len(lines) != want {
			t.Fatalf("%s: %d lines, want %d", name, len(lines), want)
		}
		for i := range n {
			if !strings.HasPrefix(lines[i], fmt.Sprintf("%s %07d ", prefix, i)) {
				t.Fatalf("%s: line %d is %q", name, i, lines[i])
			}
		}
		if tail != "" && lines[n] != tail {
			t.Errorf("%s: last line %q, want the partial line %q", name, lines[n], tail)
		}
	}
	check("stdout", &stdout, "out", "the end, no newline")
	check("stderr", &stderr, "err", "")

	var fromFiles strings.Builder
	for i := 10; i >= 0; i-- {
		name := logFile
		if i > 0 {
			name += "." + strconv.Itoa(i)
		}
		b, err := os.ReadFile(name)
		if err == nil {
			fromFiles.Write(b)
		}
	}
	if _, err := os.Stat(logFile + ".5"); err != nil {
		t.Errorf("about 6MB through a 1MiB log file did not rotate 5 times: %v", err)
	}
	if fromFiles.String() != stdout.buf.String() {
		t.Errorf("rotated log files (%d bytes) differ from the console's stdout (%d bytes)", fromFiles.Len(), stdout.buf.Len())
	}
}

func TestScenarioLongLineIntact(t *testing.T) {
	t.Parallel()
	var stdout lineWriter
	cfg := Config{Command: []string{appPath, "-long", "300000"}, Restart: RestartNever}
	h := start(t, cfg, nil, Options{Stdout: &stdout, Stderr: &lineWriter{}})
	if err := h.wait(); err != nil {
		t.Fatal(err)
	}
	if stdout.lines != 1 || stdout.buf.Len() != 300000 {
		t.Errorf("a 300000-byte line came out as %d writes of %d bytes, want 1 intact", stdout.lines, stdout.buf.Len())
	}
}

func TestScenarioSlowStarterNotReadyUntilHealthy(t *testing.T) {
	t.Parallel()
	addr := testutil.FreeAddr(t)
	cfg := Config{Command: []string{appPath, "-listen", addr, "-listen-after", "1s"}, Logs: quiet(),
		Health: Health{HTTP: "http://" + addr + "/healthz"}}
	h := start(t, cfg, nil, Options{})
	h.waitFor(t, "process-started", 1)
	// Until the app listens, the supervisor calls it starting: look at the
	// state, then at the port, so a state past starting with nothing
	// listening is the supervisor's mistake, however slow the machine.
	looks := 0
	testutil.Eventually(t, "the app to listen", func() bool {
		looks++
		st := h.s.Status().State
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return true
		}
		if st != StateStarting {
			t.Errorf("state %s while the app does not listen yet, want starting", st)
			return true
		}
		return false
	})
	t.Logf("looked %d times before the app listened", looks)
	if err := h.s.WaitReady(t.Context()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Errorf("app not answering once ready: %v", err)
	} else {
		resp.Body.Close()
	}
	h.stop()
}

func TestScenarioBadCommandFailsFast(t *testing.T) {
	t.Parallel()
	notExec := filepath.Join(t.TempDir(), "server.sh")
	os.WriteFile(notExec, []byte("#!/bin/sh\necho hi\n"), 0o644)
	tests := []struct {
		name string
		cfg  Config
		code int
		hint string
	}{
		{"not found", Config{Command: []string{"bulwark-no-such-command"}}, 127, "fix PATH"},
		{"not executable", Config{Command: []string{notExec}}, 126, "chmod +x"},
		{"missing dir", Config{Command: []string{"sh", "-c", "true"}, Dir: "/no/such/dir"}, 127, "dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A backoff longer than wait's limit: a supervisor that
			// retried (or paused) before giving up would still be
			// running when wait gives up, and fail the check below.
			tt.cfg.Backoff = Backoff{Initial: time.Hour, Max: time.Hour}
			h := start(t, tt.cfg, nil, Options{})
			err := h.wait()
			var se *StartError
			if !errors.As(err, &se) || se.ExitCode() != tt.code || !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("Run = %v, want a StartError with code %d and hint %q", err, tt.code, tt.hint)
			}
			if got := h.rec.actions(); len(got) != 1 || got[0] != "process-start-failed" {
				t.Errorf("events %v, want only process-start-failed", got)
			}
		})
	}
}

func TestScenarioPlannedRestart(t *testing.T) {
	t.Parallel()
	addr := testutil.FreeAddr(t)
	var drained atomic.Int32
	cfg := Config{Command: []string{appPath, "-listen", addr}, Logs: quiet(), Health: Health{TCP: addr}}
	h := start(t, cfg, nil, Options{BeforeStop: func(context.Context) { drained.Add(1) }})
	if err := h.s.WaitReady(t.Context()); err != nil {
		t.Fatal(err)
	}
	old := h.s.Status().PID
	if err := h.s.Restart(t.Context()); err != nil {
		t.Fatalf("Restart = %v", err)
	}
	if drained.Load() != 1 {
		t.Errorf("BeforeStop called %d times for one restart", drained.Load())
	}
	if st := h.s.Status(); st.PID == old || st.State != StateReady || st.Restarts != 1 {
		t.Errorf("Status after Restart = %+v, want a new ready pid", st)
	}
	if !gone(old) {
		t.Errorf("old app %d still running", old)
	}
	h.stop()
}

func TestScenarioPortBusyWaits(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	go func() { // an old instance still holding the port
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	cfg := Config{Command: []string{appPath, "-listen", addr}, Logs: quiet(), Health: Health{TCP: addr},
		Stop: Stop{Grace: ms(200)}, Backoff: Backoff{Initial: ms(100)}}
	h := start(t, cfg, nil, Options{})
	h.waitFor(t, "port-busy", 1)
	if n := len(h.rec.find("process-started")); n != 0 {
		t.Errorf("app started %d times while its port was taken", n)
	}
	l.Close()
	h.waitFor(t, "process-ready", 1)
	h.stop()
}
