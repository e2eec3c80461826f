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
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// hangApp is a Node app that blocks its event loop for good on /block,
// answers /slow after 20s and everything else at once with its pid.
const hangApp = `
const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/block') { for (;;) {} }
  if (req.url === '/slow') { setTimeout(() => res.end('slow ' + process.pid + '\n'), 20000); return; }
  res.end('pid ' + process.pid + '\n');
}).listen(+process.env.PORT, '127.0.0.1');
`

// hangConfig shortens hang detection (default: 30s with no answer, a
// probe every 5s with a 5s timeout) so the test takes seconds; there is
// no health section. Alerts are grouped for 1s instead of 30s.
const hangConfig = `
run:
  hang: {after: 3s, interval: 500ms, timeout: 1s}
alerts:
  route: {groupWait: 1s}
`

// startHangGuard runs guard --run over the Node app and waits until it is
// ready. It returns the public and admin addresses, the token file and
// the events.
func startHangGuard(t *testing.T) (pub, adm, tokenFile string, events *testutil.SyncBuffer) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		testutil.RealPartMissing(t, "node is not on PATH: the hang tests need a real Node app (apt-get install nodejs)")
	}
	dir := t.TempDir()
	app, cfg := filepath.Join(dir, "app.js"), filepath.Join(dir, "bulwark.yaml")
	if err := os.WriteFile(app, []byte(hangApp), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(hangConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	appAddr := testutil.FreeAddr(t)
	pub, adm = testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, port, _ := net.SplitHostPort(appAddr)
	cmd, events := startGuard(t, []string{"PORT=" + port},
		"guard", "--config", cfg, "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
		"--run", "node "+app)
	testutil.Eventually(t, "the app to be ready", func() bool { return events.Count(`"action":"process-ready"`) == 1 })
	return pub, adm, filepath.Join(cmd.Dir, "bulwark-admin.token"), events
}

// answer is what a client got: a status and body, or an error.
type answer struct {
	status int
	body   string
	took   time.Duration
	err    error
}

func get(client *http.Client, url string) answer {
	t0 := time.Now()
	resp, err := client.Get(url)
	if err != nil {
		return answer{err: err, took: time.Since(t0)}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return answer{status: resp.StatusCode, body: string(body), took: time.Since(t0)}
}

func status(t *testing.T, adm, tokenFile string) string {
	t.Helper()
	out, err := exec.Command(buildBulwark(t), "status", "--admin", adm, "--token-file", tokenFile).CombinedOutput()
	if err != nil {
		t.Fatalf("bulwark status: %v\n%s", err, out)
	}
	return string(out)
}

// TestHangBlockedNodeAppRestarted blocks a real Node app's event loop with
// one request under guard --run with no health check: a new process must
// answer within a bounded time, the requests sent meanwhile are answered
// by it or get a prompt 503/504, status shows one restart because of the
// hang, and an alert is published.
func TestHangBlockedNodeAppRestarted(t *testing.T) {
	t.Parallel()
	pub, adm, tokenFile, events := startHangGuard(t)
	client := &http.Client{Timeout: 50 * time.Second} // under the proxy's 60s response timeout
	first := get(client, "http://"+pub+"/")
	if first.status != http.StatusOK || !strings.HasPrefix(first.body, "pid ") {
		t.Fatalf("GET / before the hang = %d %q %v", first.status, first.body, first.err)
	}

	t0 := time.Now()
	answers := make([]answer, 4)
	var wg sync.WaitGroup
	wg.Go(func() { answers[0] = get(client, "http://"+pub+"/block") })
	time.Sleep(300 * time.Millisecond) // the loop is blocked: these wait on it
	for i := 1; i < len(answers); i++ {
		wg.Go(func() { answers[i] = get(client, "http://"+pub+"/") })
	}

	// A new process answers within a bounded time.
	var fresh answer
	deadline := time.Now().Add(40 * time.Second)
	for {
		fresh = get(&http.Client{Timeout: 2 * time.Second}, "http://"+pub+"/")
		if fresh.status == http.StatusOK && fresh.body != first.body {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new process answered within 40s of the hang (last: %d %q %v)", fresh.status, fresh.body, fresh.err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	recovered := time.Since(t0)
	wg.Wait()
	for i, a := range answers {
		switch {
		case a.err != nil:
			t.Errorf("request %d during the hang failed: %v after %v", i, a.err, a.took)
		case a.status == http.StatusOK && a.body != first.body,
			a.status == http.StatusServiceUnavailable, a.status == http.StatusGatewayTimeout:
			// answered by the new process, or told promptly
		default:
			t.Errorf("request %d during the hang = %d %q after %v; want the new process's answer, 503 or 504", i, a.status, a.body, a.took)
		}
		if a.took > 20*time.Second {
			t.Errorf("request %d during the hang took %v; want an answer long before the 60s response timeout", i, a.took)
		}
	}
	t.Logf("hang at 0s; new process answering after %v; requests meanwhile: %v", recovered, summary(answers))

	st := status(t, adm, tokenFile)
	for _, want := range []string{"state              ready", "restarts           1\n", "(hung: no answer for "} {
		if !strings.Contains(st, want) {
			t.Errorf("bulwark status lacks %q:\n%s", want, st)
		}
	}
	testutil.Eventually(t, "an alert", func() bool {
		return events.Count(`"action":"alert-firing"`) >= 1 && events.Count(`"crash-loop"`) >= 1
	})
	if events.Count(`"action":"process-hung"`) != 1 {
		t.Errorf("want one process-hung event")
	}
}

func summary(as []answer) string {
	var parts []string
	for _, a := range as {
		if a.err != nil {
			parts = append(parts, a.err.Error())
			continue
		}
		parts = append(parts, http.StatusText(a.status)+" after "+a.took.Round(100*time.Millisecond).String())
	}
	return strings.Join(parts, ", ")
}

// TestHangSlowNodeAppNotRestarted: an app that takes 20s on one route
// (far beyond the 3s hang.after of the test) but answers everything else
// at once is never restarted.
func TestHangSlowNodeAppNotRestarted(t *testing.T) {
	t.Parallel()
	pub, adm, tokenFile, events := startHangGuard(t)
	client := &http.Client{Timeout: 50 * time.Second}
	var slow answer
	var wg sync.WaitGroup
	wg.Go(func() { slow = get(client, "http://"+pub+"/slow") })
	for range 5 { // other requests meanwhile are answered at once
		time.Sleep(time.Second)
		if a := get(client, "http://"+pub+"/"); a.status != http.StatusOK {
			t.Errorf("GET / while /slow runs = %d %v", a.status, a.err)
		}
	}
	wg.Wait()
	if slow.status != http.StatusOK || !strings.HasPrefix(slow.body, "slow ") || slow.took < 19*time.Second {
		t.Errorf("GET /slow = %d %q after %v, want the app's answer after 20s", slow.status, slow.body, slow.took)
	}
	if n := events.Count(`"action":"process-hung"`); n != 0 {
		t.Errorf("%d process-hung events for a slow but healthy app", n)
	}
	if st := status(t, adm, tokenFile); !strings.Contains(st, "restarts           0\n") || !strings.Contains(st, "health             ok") {
		t.Errorf("bulwark status after the slow request:\n%s\nwant 0 restarts and health ok", st)
	}
}
