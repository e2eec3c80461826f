package testutil

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ExpressAppDir returns the directory of the example Express app
// (examples/express-app), after checking that node and the app's npm
// dependencies are there: without them the real part is missing
// ([RealPartMissing]).
func ExpressAppDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "examples", "express-app")
	if _, err := exec.LookPath("node"); err != nil {
		RealPartMissing(t, "node is not on PATH")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "express")); err != nil {
		RealPartMissing(t, "the example app's npm dependencies are not installed: run make deps")
	}
	return dir
}

// An ExpressApp is the example Express app running under node on a free
// loopback port, owned by one test: the test's cleanup stops it.
type ExpressApp struct {
	Addr string // "127.0.0.1:port"
	cmd  *exec.Cmd
}

// StartExpressApp runs `node server.js` of the example app (found by
// [ExpressAppDir]) in a temporary directory, and waits, up to 20s, until
// it says it is listening.
func StartExpressApp(t testing.TB) *ExpressApp {
	t.Helper()
	return StartExpressAppAt(t, FreeAddr(t))
}

// StartExpressAppAt is [StartExpressApp] on addr ("127.0.0.1:port"), with
// env added to the app's environment: a new version of the app can take
// the place of a stopped one.
func StartExpressAppAt(t testing.TB, addr string, env ...string) *ExpressApp {
	t.Helper()
	dir := ExpressAppDir(t)
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command("node", filepath.Join(dir, "server.js"))
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT="+port, "NODE_PATH="+filepath.Join(dir, "node_modules"))
	cmd.Env = append(cmd.Env, env...)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				close(ready)
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the example app did not start in 20s")
	}
	a := &ExpressApp{Addr: addr, cmd: cmd}
	t.Cleanup(a.Stop)
	return a
}

// URL returns the app's base URL, "http://127.0.0.1:port".
func (a *ExpressApp) URL() string { return "http://" + a.Addr }

// Stop stops the app (SIGTERM: it closes its server, then exits) and waits
// for it to exit. Stopping it again does nothing.
func (a *ExpressApp) Stop() {
	if a.cmd == nil {
		return
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	a.cmd.Wait()
	a.cmd = nil
}
