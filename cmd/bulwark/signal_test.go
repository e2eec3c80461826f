package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestSIGTERMDrainsInFlight runs the real binary, sends SIGTERM while a slow
// request is in flight, and checks the request completes and the process
// exits 0.
func TestSIGTERMDrainsInFlight(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { testSignalDrains(t, sig) })
	}
}

// buildBulwark builds the binary once per test run.
func buildBulwark(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "bulwark-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "bulwark")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

func testSignalDrains(t *testing.T, sig syscall.Signal) {
	bin := buildBulwark(t)
	started := make(chan struct{}, 1)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			started <- struct{}{}
			time.Sleep(500 * time.Millisecond)
		}
		io.WriteString(w, "done")
	}))
	defer app.Close()

	pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t)
	cmd := exec.Command(bin, "guard", "--upstream", app.URL, "--listen", pub, "--admin", adm)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "BULWARK_HOME="+cmd.Dir) // state in the temp dir
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", pub); err == nil {
			c.Close()
			break
		}
		if i == 200 {
			t.Fatal("guard did not start listening")
		}
		time.Sleep(25 * time.Millisecond)
	}

	result := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + pub + "/slow")
		if err != nil {
			result <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		result <- string(b)
	}()
	<-started
	cmd.Process.Signal(sig)
	if got := <-result; got != "done" {
		t.Errorf("in-flight request across %v = %q, want done", sig, got)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("guard exit after %v: %v, want 0", sig, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("guard still running 10s after %v", sig)
	}
}
