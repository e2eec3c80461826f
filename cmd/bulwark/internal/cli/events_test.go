package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
		// The client's kept-alive connections to the gateway end with the
		// test, not in another test's time.
		noRedirect.CloseIdleConnections()
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
	// The stream has no replay: probe it with attacks from 2001:db8::N, one
	// IP each (no ban), until the tail prints one, so that the attacks below
	// are sent to an open stream.
	probes := 0
	testutil.Eventually(t, "events tail printing a probe attack", func() bool {
		select {
		case code := <-tailDone:
			t.Fatalf("events tail ended with %d before the stream opened", code)
		default:
		}
		probes++
		attack("2001:db8::" + strconv.Itoa(probes))
		return strings.Contains(tailed.String(), "2001:db8::")
	})

	attackers := []string{"203.0.113.1", "203.0.113.2", "198.51.100.7"}
	for _, ip := range attackers {
		attack(ip)
	}

	out, stderr, code := run("events", "list", "--category", "malicious", "--json")
	var evs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &evs) != nil || len(evs) != 3+probes {
		t.Fatalf("events list --category malicious --json: exit %d, %d events, want 3 and %d probes\n%s%s", code, len(evs), probes, out, stderr)
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

	// A last attack marks the end: the stream is in order, so once the tail
	// prints it, everything before it has been printed too.
	const marker = "192.0.2.99"
	attack(marker)
	testutil.Eventually(t, "events tail printing the last attack", func() bool { return tailed.Count(marker+"  ") > 0 })
	stopTail()
	if code := <-tailDone; code != 0 {
		t.Errorf("events tail ended with %d after Ctrl-C, want 0", code)
	}
	got := tailed.String()
	for _, ip := range append(attackers, marker) {
		if n := strings.Count(got, ip+"  "); n != 1 {
			t.Errorf("events tail printed %d lines for %s, want 1", n, ip)
		}
	}
	if strings.Count(got, "attack-blocked") != 4+strings.Count(got, "2001:db8::") || strings.Contains(got, "guard-started") {
		t.Errorf("events tail --category malicious printed:\n%s\nwant the attacks, only", got)
	}

	out, stderr, code = run("status", "--json")
	var st gatewayStatus
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status --json: exit %d\n%s%s", code, out, stderr)
	}
	if blocked := 4 + probes; st.Requests.Blocked != int64(blocked) || st.BansInForce == nil || *st.BansInForce != 0 || st.App != nil {
		t.Errorf("status --json = %s; want %d blocked (%d probes), 0 bans in force, no app", out, blocked, probes)
	}
	if _, stderr, code := run("bans", "add", "203.0.113.50", "--duration", "1h"); code != 0 {
		t.Fatalf("bans add: %d %s", code, stderr)
	}
	// The gateway reads the store's changes every second.
	testutil.Eventually(t, "status telling the ban", func() bool {
		out, _, _ = run("status")
		return strings.Contains(out, "1 in force")
	})
	for _, want := range []string{"requests    ", fmt.Sprintf("%d blocked", 4+probes), "1 in force", "none supervised"} {
		if !strings.Contains(out, want) {
			t.Errorf("status:\n%s\nlacks %q", out, want)
		}
	}
}
