package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// bulwark audit --monitor --every runs until interrupted: SIGTERM between
// runs ends it with status 0, after its deferred closes, instead of killing
// it.
func TestAuditMonitorEveryStopsOnSIGTERM(t *testing.T) {
	bin := buildBulwark(t)
	dir := t.TempDir()
	ar, err := txtar.ParseFile("testdata/script/audit.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "app/") && !strings.HasPrefix(f.Name, "advisories/") {
			continue
		}
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	imp := exec.Command(bin, "db", "import", "advisories")
	imp.Dir = dir
	imp.Env = append(os.Environ(), "BULWARK_HOME="+dir) // the advisory database where audit looks
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("bulwark db import: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "audit", "app", "--monitor", "--every", "1h")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BULWARK_HOME="+dir) // the store next to the project
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	ran := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "bulwark: audit of app:") {
				close(ran)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		t.Fatal("the first monitor run did not finish")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("audit --monitor --every after SIGTERM: %v (exit code %d), want status 0", err, exit.ExitCode())
		} else if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("audit --monitor --every did not stop on SIGTERM")
	}
}
