package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// startGuard runs the binary with args in a temp dir and returns its
// events (stdout) and the process.
func startGuard(t *testing.T, env []string, args ...string) (*exec.Cmd, *testutil.SyncBuffer) {
	t.Helper()
	cmd := exec.Command(buildBulwark(t), args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), append([]string{"BULWARK_HOME=" + cmd.Dir}, env...)...) // state in the temp dir

	events := &testutil.SyncBuffer{}
	cmd.Stdout = events
	cmd.Stderr = io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Error("guard did not stop within 15s of SIGTERM")
		}
	})
	return cmd, events
}

// TestGuardRunZeroDowntime restarts the real Express app five times under
// guard --run while clients keep sending requests: none may fail.
func TestGuardRunZeroDowntime(t *testing.T) {
	app := testutil.ExpressAppDir(t)
	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, port, _ := net.SplitHostPort(appAddr)
	cmd, events := startGuard(t, []string{"HOST=127.0.0.1", "PORT=" + port},
		"guard", "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
		"--run", "node "+filepath.Join(app, "server.js"))
	testutil.Eventually(t, "the app to be ready", func() bool { return events.Count(`"action":"process-ready"`) == 1 })

	client := &http.Client{Timeout: 40 * time.Second}
	var sent, failed atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				var resp *http.Response
				var err error
				if i%2 == 0 {
					resp, err = client.Get("http://" + pub + "/api/products")
				} else { // not idempotent: never replayed, must not fail either
					// The right password: thousands of wrong ones would be,
					// rightly, a brute force the gateway blocks.
					resp, err = client.Post("http://"+pub+"/api/login", "application/json", strings.NewReader(`{"username":"alice","password":"correct horse battery staple"}`))
				}
				sent.Add(1)
				if err != nil {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, err.Error())
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, resp.Status)
				}
			}
		})
	}
	for n := 2; n <= 6; n++ {
		time.Sleep(200 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGHUP)
		testutil.Eventually(t, "restart", func() bool { return events.Count(`"action":"process-ready"`) == n })
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if failed.Load() > 0 || sent.Load() < 50 {
		t.Errorf("during 5 restarts: %d of %d requests failed (first: %v)", failed.Load(), sent.Load(), firstFailure.Load())
	}
	t.Logf("%d requests across 5 restarts, %d failed", sent.Load(), failed.Load())

	out, err := exec.Command(buildBulwark(t), "status", "--admin", adm, "--token-file", filepath.Join(cmd.Dir, "bulwark-admin.token")).CombinedOutput()
	if err != nil {
		t.Fatalf("bulwark status: %v\n%s", err, out)
	}
	for _, want := range []string{"state              ready", "restarts           5", "health             ok", "last exit"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("bulwark status lacks %q:\n%s", want, out)
		}
	}
}

// TestGuardRunBackoff503 supervises an app that crashes at once: clients
// get 503 with Retry-After while it is in backoff.
func TestGuardRunBackoff503(t *testing.T) {
	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, events := startGuard(t, nil, "guard", "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
		"--run", "sh -c 'exit 3'")
	testutil.Eventually(t, "a crash", func() bool { return events.Count(`"action":"process-crashed"`) >= 1 })
	testutil.Eventually(t, "the gateway", func() bool {
		c, err := net.Dial("tcp", pub)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	var resp *http.Response
	testutil.Eventually(t, "a 503", func() bool {
		r, err := http.Get("http://" + pub + "/")
		if err != nil {
			return false
		}
		r.Body.Close()
		resp = r
		return r.StatusCode == http.StatusServiceUnavailable
	})
	if resp.Header.Get("Retry-After") == "" || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("503 without Retry-After or request id: %v", resp.Header)
	}
}

// TestGuardRunWithoutUpstream: the one line a Node user types, guard --run
// with no --upstream, guards the app where it listens by default (PORT).
func TestGuardRunWithoutUpstream(t *testing.T) {
	app := testutil.ExpressAppDir(t)
	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, port, _ := net.SplitHostPort(appAddr)
	_, events := startGuard(t, []string{"HOST=127.0.0.1", "PORT=" + port},
		"guard", "--listen", pub, "--admin", adm, "--run", "node "+filepath.Join(app, "server.js"))
	testutil.Eventually(t, "the app to be ready", func() bool { return events.Count(`"action":"process-ready"`) == 1 })
	resp, err := plainClient.Get("http://" + pub + "/api/products")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("GET /api/products through guard --run = %d (request id %q), want 200 from the gateway", resp.StatusCode, resp.Header.Get("X-Request-Id"))
	}
}
