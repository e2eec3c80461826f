package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestEventsAndStatus runs a guard and asks it, as a user would from the
// terminal, what happened: events list with the console's filters, events
// tail, and status.
func TestEventsAndStatus(t *testing.T) {
	tmp := t.TempDir()
	pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t)
	cfg := filepath.Join(tmp, "bulwark.yaml")
	// No app: attacks are refused before the upstream is asked.
	os.WriteFile(cfg, []byte(`
upstream: http://127.0.0.1:1
listen: `+pub+`
admin: {listen: "`+adm+`", token: tok-e2e-123456}
trustedProxies: [127.0.0.1/32]
store: {path: `+filepath.Join(tmp, "bulwark.db")+`}
events: {output: none}
`), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	guardErr := &testutil.SyncBuffer{}
	exit := make(chan int, 1)
	go func() { exit <- Main(ctx, []string{"guard", "--config", cfg}, nil, io.Discard, guardErr) }()
	defer func() {
		cancel()
		if code := <-exit; code != 0 {
			t.Errorf("guard exited %d: %s", code, guardErr.String())
		}
	}()
	waitHTTP(t, "http://"+adm+"/healthz")

	attack := func(ip string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+pub+"/search?q=%27%20UNION%20SELECT%20a,b%20FROM%20c--", nil)
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("attack from %s: %d, want 403", ip, resp.StatusCode)
		}
	}
	run := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), append(args, "--config", cfg), nil, &out, &errOut)
		return out.String(), errOut.String(), code
	}

	// tail first, so it sees the attacks as they come.
	tailCtx, stopTail := context.WithCancel(context.Background())
	tailed := &testutil.SyncBuffer{}
	tailDone := make(chan int, 1)
	go func() {
		tailDone <- Main(tailCtx, []string{"events", "tail", "--category", "malicious", "--config", cfg}, nil, tailed, io.Discard)
	}()
	time.Sleep(200 * time.Millisecond) // the stream opens (a missed event fails the test below, not a hang)

	for _, ip := range []string{"203.0.113.1", "203.0.113.2", "198.51.100.7"} {
		attack(ip)
	}

	out, stderr, code := run("events", "list", "--category", "malicious", "--json")
	var evs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &evs) != nil || len(evs) != 3 {
		t.Fatalf("events list --category malicious --json: exit %d, %d events, want 3\n%s%s", code, len(evs), out, stderr)
	}
	out, _, _ = run("events", "list", "--ip", "198.51.100.7")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1 ||
		!strings.Contains(lines[0], "attack-blocked") || !strings.Contains(lines[0], "198.51.100.7  GET /search  bw-sqli-001") {
		t.Errorf("events list --ip 198.51.100.7:\n%s\nwant one line for that attack", out)
	}
	out, _, _ = run("events", "list", "--net", "203.0.113.0/24", "--json")
	if json.Unmarshal([]byte(out), &evs) != nil || len(evs) != 2 {
		t.Errorf("events list --net 203.0.113.0/24: %s, want 2 events", out)
	}
	out, _, _ = run("events", "list", "--ip", "192.0.2.200", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("events list matching nothing --json = %q, want []", out)
	}
	_, stderr, code = run("events", "list", "--net", "10.0.0.0/8")
	if code != exitUsage || !strings.Contains(stderr, "--net: want an IPv4 /24") {
		t.Errorf("events list --net 10.0.0.0/8: exit %d, %q; want 2 and the API's hint", code, stderr)
	}

	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(tailed.String(), "attack-blocked") < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stopTail()
	if code := <-tailDone; code != 0 {
		t.Errorf("events tail ended with %d after Ctrl-C, want 0", code)
	}
	if got := tailed.String(); strings.Count(got, "attack-blocked") != 3 || strings.Contains(got, "guard-started") {
		t.Errorf("events tail --category malicious printed:\n%s\nwant the 3 attacks, only", got)
	}

	out, stderr, code = run("status", "--json")
	var st gatewayStatus
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status --json: exit %d\n%s%s", code, out, stderr)
	}
	if st.Requests.Blocked != 3 || st.BansInForce == nil || *st.BansInForce != 0 || st.App != nil {
		t.Errorf("status --json = %s; want 3 blocked, 0 bans in force, no app", out)
	}
	if _, stderr, code := run("bans", "add", "203.0.113.50", "--duration", "1h"); code != 0 {
		t.Fatalf("bans add: %d %s", code, stderr)
	}
	// The gateway reads the store's changes every second.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if out, _, _ = run("status"); strings.Contains(out, "1 in force") {
			break
		}
	}
	for _, want := range []string{"requests    ", "3 blocked", "1 in force", "none supervised"} {
		if !strings.Contains(out, want) {
			t.Errorf("status:\n%s\nlacks %q", out, want)
		}
	}
}
