package main

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoPortTaken runs scripts/demo.sh with the gateway's port, 8080,
// taken by another server: it must say which port is busy and what to do,
// and stop at once, instead of calling another server's answers its own.
func TestDemoPortTaken(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is missing: it runs scripts/demo.sh")
	}
	// Take 8080 unless something already has it; either way it is busy.
	if ln, err := net.Listen("tcp", "127.0.0.1:8080"); err == nil {
		defer ln.Close()
	} else if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("taking 127.0.0.1:8080: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join("..", "..", "scripts", "demo.sh"))
	cmd.Env = append(cmd.Environ(), "GUARD_PORT=8080", "BULWARK_BIN=/nonexistent/bulwark", "DEMO_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("demo.sh still running after 30s with 8080 taken:\n%s", out)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("demo.sh with 8080 taken: %v, want exit status 1\n%s", err, out)
	}
	for _, want := range []string{
		"port 8080 (GUARD_PORT) is busy",
		"GUARD_PORT=8081 make demo",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo.sh with 8080 taken said:\n%s\nwant %q in it", out, want)
		}
	}
	if strings.Contains(string(out), "is running") {
		t.Errorf("demo.sh with 8080 taken claims to be running:\n%s", out)
	}
}

// TestDemoShowsError: a gateway that fails to start makes the demo fail
// with the gateway's own error, not print that it is running.
func TestDemoShowsError(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is missing: it runs scripts/demo.sh")
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "bulwark")
	// A bulwark that fails to start as a real one does, with its message
	// on stderr.
	if err := writeExecutable(fake, "#!/bin/sh\necho 'bulwark: public listener: listen tcp 127.0.0.1:1: bind: permission denied' >&2\nexit 1\n"); err != nil {
		t.Fatal(err)
	}
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		return port
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join("..", "..", "scripts", "demo.sh"))
	cmd.Env = append(cmd.Environ(), "GUARD_PORT="+free(), "APP_PORT="+free(), "ADMIN_PORT="+free(),
		"BULWARK_BIN="+fake, "DEMO_DIR="+filepath.Join(dir, "demo"))
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("demo.sh still running after 30s:\n%s", out)
	}
	if err == nil {
		t.Fatalf("demo.sh with a bulwark that cannot start succeeded:\n%s", out)
	}
	for _, want := range []string{"bulwark guard exited", "bind: permission denied"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo.sh said:\n%s\nwant %q in it", out, want)
		}
	}
	if strings.Contains(string(out), "is running") {
		t.Errorf("demo.sh claims to be running:\n%s", out)
	}
}

func writeExecutable(path, text string) error {
	return os.WriteFile(path, []byte(text), 0o755)
}
