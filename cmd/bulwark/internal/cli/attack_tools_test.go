package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// requireTool finds a real attack tool; in CI it must be there.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		testutil.RealPartMissing(t, fmt.Sprintf("%s is not installed (apt-get install %s)", name, name))
	}
	return path
}

// runTool runs an attack tool against loopback, bounded in time.
func runTool(t *testing.T, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s ran past %v", name, timeout)
	}
	if err != nil {
		t.Logf("%s: %v", name, err)
	}
	return string(out)
}

// TestRealAttackToolsThroughGuard points sqlmap and wapiti at the example
// app directly, where they find its vulnerabilities, and through guard,
// where they find nothing and their probes become events.
func TestRealAttackToolsThroughGuard(t *testing.T) {
	sqlmap, wapiti := requireTool(t, "sqlmap"), requireTool(t, "wapiti")
	appAddr := testutil.StartExpressApp(t).Addr
	tmp := t.TempDir()
	pub := testutil.FreeAddr(t)
	events := filepath.Join(tmp, "events.jsonl")
	cfg := filepath.Join(tmp, "bulwark.yaml")
	os.WriteFile(cfg, []byte(`
upstream: http://`+appAddr+`
listen: `+pub+`
admin: {listen: "`+testutil.FreeAddr(t)+`"}
store: {path: `+filepath.Join(tmp, "bulwark.db")+`}
events: {output: `+events+`}
`), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	go func() { exit <- Main(ctx, []string{"guard", "--config", cfg}, nil, io.Discard, io.Discard) }()
	defer func() { cancel(); <-exit }()
	waitHTTP(t, "http://"+pub+"/api/health")

	sqlmapAt := func(base, out string) string {
		// --random-agent: blocking must come from the payloads, not sqlmap's user agent.
		return runTool(t, 3*time.Minute, sqlmap, "-u", base+"/search?q=laptop", "-p", "q", "--batch",
			"--random-agent", "--disable-coloring", "--output-dir", filepath.Join(tmp, out))
	}
	if out := sqlmapAt("http://"+appAddr, "direct"); !strings.Contains(out, "sqlmap identified the following injection point") {
		t.Errorf("sqlmap did not find the app's SQL injection directly:\n%s", tail(out))
	}
	if out := sqlmapAt("http://"+pub, "guarded"); strings.Contains(out, "identified the following injection point") || !strings.Contains(out, "403 (Forbidden)") {
		t.Errorf("sqlmap through guard found an injection or was never refused:\n%s", tail(out))
	}
	if data, _ := os.ReadFile(events); strings.Count(string(data), `"category":"malicious"`) < 20 {
		t.Errorf("sqlmap's probes through guard left %d malicious events, want them logged", strings.Count(string(data), `"category":"malicious"`))
	}

	wapitiAt := func(base, out string) map[string]int {
		report := filepath.Join(tmp, out+".json")
		runTool(t, 3*time.Minute, wapiti, "-u", base+"/", "--scope", "folder", "-m", "sql,xss,exec,file",
			"--max-scan-time", "60", "-f", "json", "-o", report, "--flush-session")
		var r struct {
			Vulnerabilities map[string][]json.RawMessage `json:"vulnerabilities"`
		}
		data, err := os.ReadFile(report)
		if err == nil {
			err = json.Unmarshal(data, &r)
		}
		if err != nil {
			t.Fatalf("wapiti report: %v", err)
		}
		found := map[string]int{}
		for k, v := range r.Vulnerabilities {
			if len(v) > 0 {
				found[k] = len(v)
			}
		}
		return found
	}
	if found := wapitiAt("http://"+appAddr, "direct"); found["Cross Site Scripting"] == 0 || found["Path Traversal"] == 0 {
		t.Errorf("wapiti directly found %v, want the app's XSS and path traversal", found)
	}
	if found := wapitiAt("http://"+pub, "guarded"); len(found) > 0 {
		t.Errorf("wapiti through guard found %v, want nothing", found)
	}
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}
