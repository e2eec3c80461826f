package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// The abuse tests put the real binary in front of the real example Express
// app and attack it as clients behind a trusted proxy would appear: the
// gateway trusts 127.0.0.1 and the test names the client in
// X-Forwarded-For (loopback itself is allowlisted by default).

const (
	// loginUserIPThreshold is the configured number of failed logins for
	// one user from one IP that gets the IP banned.
	loginUserIPThreshold = 10
	// hydraTasks is how many logins hydra has in flight at once: the
	// attempts that may reach the app while the ban is being made.
	hydraTasks = 4
	// browserUA disguises hydra, whose own User-Agent is banned as a
	// scanner's before any login reaches the app.
	browserUA = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	alicePass = "correct horse battery staple"
)

// TestAbuseHydraBruteForceBanned drives Debian's hydra at the example app's
// login form through bulwark guard and checks the black book: the brute
// force is banned at the configured threshold and never finds the
// password, a /.env probe is banned on its first request, and the bans
// outlive a restart of the gateway.
func TestAbuseHydraBruteForceBanned(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app, gateway and hydra (runs in CI)")
	}
	hydra, err := exec.LookPath("hydra")
	if err != nil {
		testutil.RealPartMissing(t, "hydra is not installed (Debian package hydra)")
	}
	app := testutil.StartExpressApp(t).URL()
	dir := t.TempDir()
	pub := testutil.FreeAddr(t)
	cfg := writeGatewayConfig(t, dir, pub, app, "", fmt.Sprintf(`accounts: {preset: express-example}
scenarios:
  scenarios:
    login-user-ip: {capacity: %d}
`, loginUserIPThreshold))
	gw := startGateway(t, cfg, pub)
	events := filepath.Join(dir, "events.jsonl")

	// The wordlist: 40 wrong passwords, the right one last.
	var words strings.Builder
	for i := range 40 {
		fmt.Fprintf(&words, "wrong-%02d\n", i)
	}
	words.WriteString(alicePass + "\n")
	wordlist := filepath.Join(dir, "passwords.txt")
	os.WriteFile(wordlist, []byte(words.String()), 0o600)

	t.Run("control: hydra finds the password when it comes first", func(t *testing.T) {
		// Without this, "hydra found nothing" could mean hydra never
		// recognised a success through the gateway.
		first := filepath.Join(dir, "first.txt")
		os.WriteFile(first, []byte(alicePass+"\n"), 0o600)
		out, found := runHydra(t, hydra, pub, first, "203.0.113.6", browserUA)
		if found != 1 {
			t.Fatalf("hydra with the right password found %d, want 1:\n%s", found, out)
		}
	})

	t.Run("hydra as shipped is banned as a scanner before any login", func(t *testing.T) {
		out, found := runHydra(t, hydra, pub, wordlist, "203.0.113.5", "")
		if found != 0 {
			t.Errorf("hydra found %d passwords:\n%s", found, out)
		}
		if b, ok := banOf(t, cfg, "203.0.113.5"); !ok || b.Source != "scenario:scanner" {
			t.Errorf("ban of 203.0.113.5 = %+v (%v), want one by scenario:scanner", b, ok)
		}
		if n := countEvents(t, events, "login-failure", "203.0.113.5"); n != 0 {
			t.Errorf("%d logins of hydra's own User-Agent reached the app, want 0", n)
		}
	})

	t.Run("login brute force is banned at the threshold", func(t *testing.T) {
		start := time.Now()
		out, found := runHydra(t, hydra, pub, wordlist, "203.0.113.7", browserUA)
		t.Logf("hydra: 41 passwords in %v", time.Since(start).Round(time.Millisecond))
		if found != 0 {
			t.Errorf("hydra found %d passwords through the gateway, want 0:\n%s", found, out)
		}
		b, ok := banOf(t, cfg, "203.0.113.7")
		if !ok || !strings.HasPrefix(b.Source, "scenario:login") {
			t.Fatalf("bulwark bans list: ban of 203.0.113.7 = %+v (%v), want one by a login scenario", b, ok)
		}
		// Events are written in the order published: once the ban's is in
		// the file, so are the failures that led to it.
		testutil.Eventually(t, "the ban event", func() bool { return countEvents(t, events, "ban", "203.0.113.7") == 1 })
		failures := countEvents(t, events, "login-failure", "203.0.113.7")
		t.Logf("%d failed logins reached the app before the ban (threshold %d, %d in flight); ban: %s",
			failures, loginUserIPThreshold, hydraTasks, b.Reason)
		if failures < loginUserIPThreshold || failures > loginUserIPThreshold+hydraTasks {
			t.Errorf("%d failed logins reached the app, want between %d and %d (threshold + hydra's tasks in flight)",
				failures, loginUserIPThreshold, loginUserIPThreshold+hydraTasks)
		}
		for _, c := range []struct {
			ip   string
			want int
		}{{"203.0.113.7", http.StatusForbidden}, {"203.0.113.8", http.StatusOK}} {
			if got := getAs(t, pub, c.ip, "/"); got != c.want {
				t.Errorf("GET / from %s = %d, want %d", c.ip, got, c.want)
			}
		}
	})

	t.Run("a /.env probe is banned at once", func(t *testing.T) {
		if got := getAs(t, pub, "203.0.113.9", "/.env"); got < 400 {
			t.Errorf("GET /.env = %d, want it refused", got)
		}
		// One probe only; the ban is made off the request path, so wait
		// (bounded) for it rather than assume it is instant.
		testutil.Eventually(t, "the /.env prober to be refused", func() bool { return getAs(t, pub, "203.0.113.9", "/") == http.StatusForbidden })
		if b, ok := banOf(t, cfg, "203.0.113.9"); !ok || b.Source != "scenario:sensitive-probe" {
			t.Errorf("ban of 203.0.113.9 = %+v (%v), want one by scenario:sensitive-probe", b, ok)
		}
	})

	t.Run("bans survive a restart of the gateway", func(t *testing.T) {
		gw.stop(t)
		startGateway(t, cfg, pub)
		for _, c := range []struct {
			ip   string
			want int
		}{{"203.0.113.7", http.StatusForbidden}, {"203.0.113.9", http.StatusForbidden}, {"203.0.113.8", http.StatusOK}} {
			if got := getAs(t, pub, c.ip, "/"); got != c.want {
				t.Errorf("after the restart, GET / from %s = %d, want %d", c.ip, got, c.want)
			}
		}
	})
}

// runHydra runs hydra against the login form of the gateway at pub, as user
// alice with the passwords in wordlist, its requests forwarded for ip and,
// if ua is set, with that User-Agent. It returns hydra's output and how many
// passwords it says it found.
func runHydra(t *testing.T, hydra, pub, wordlist, ip, ua string) (string, int) {
	t.Helper()
	host, port, _ := net.SplitHostPort(pub)
	// hydra 9.4 parses the options only when they come before the
	// condition; "\:" is a colon inside an option.
	form := "/login:username=^USER^&password=^PASS^:H=X-Forwarded-For\\: " + ip
	if ua != "" {
		form += ":H=User-Agent\\: " + strings.ReplaceAll(ua, ":", "\\:")
	}
	form += ":S=Log out" // the profile page a successful login redirects to
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hydra, "-I", "-l", "alice", "-P", wordlist,
		"-t", strconv.Itoa(hydraTasks), "-w", "5", "-s", port, host, "http-post-form", form)
	cmd.Dir = t.TempDir() // hydra.restore
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("hydra still running after 40s:\n%s", out)
	}
	if err != nil {
		t.Fatalf("hydra: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(\d+) valid passwords? found`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("hydra did not finish its run:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return string(out), n
}

// writeGatewayConfig writes bulwark.yaml in dir for a gateway listening on
// pub in front of upstream, trusting 127.0.0.1 as its proxy, with its store
// and events in dir, sharing state through the Redis at redisAddr if it is
// set, and extra appended.
func writeGatewayConfig(t *testing.T, dir, pub, upstream, redisAddr, extra string) string {
	t.Helper()
	cfg := filepath.Join(dir, "bulwark.yaml")
	body := fmt.Sprintf(`upstream: %s
listen: %s
admin: {listen: %s}
trustedProxies: [127.0.0.1/32]
store: {path: %s, redis: {address: %q}}
events: {output: %s}
`, upstream, pub, testutil.FreeAddr(t), filepath.Join(dir, "bulwark.db"), redisAddr, filepath.Join(dir, "events.jsonl")) + extra
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// gateway is a running bulwark guard.
type gateway struct {
	cmd  *exec.Cmd
	log  *testutil.SyncBuffer // stderr: the gateway's log
	done chan struct{}
	once sync.Once
}

// startGateway runs bulwark guard --config cfg and waits until pub accepts
// connections. The test's cleanup stops it.
func startGateway(t *testing.T, cfg, pub string) *gateway {
	t.Helper()
	g := &gateway{log: &testutil.SyncBuffer{}, done: make(chan struct{})}
	g.cmd = exec.Command(buildBulwark(t), "guard", "--config", cfg)
	g.cmd.Dir = filepath.Dir(cfg)
	g.cmd.Env = append(os.Environ(), "BULWARK_HOME="+g.cmd.Dir) // state next to the configuration
	g.cmd.Stdout = io.Discard
	g.cmd.Stderr = g.log
	if testing.Verbose() {
		g.cmd.Stderr = io.MultiWriter(g.log, os.Stderr)
	}
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { g.cmd.Wait(); close(g.done) }()
	t.Cleanup(func() { g.stop(t) })
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", pub); err == nil {
			c.Close()
			return g
		}
		select {
		case <-g.done:
			t.Fatalf("bulwark guard exited at start: %v\n%s", g.cmd.ProcessState, g.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("bulwark guard not listening on %s after 20s:\n%s", pub, g.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits, bounded, for the gateway to exit 0.
func (g *gateway) stop(t *testing.T) {
	g.once.Do(func() {
		g.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-g.done:
			if !g.cmd.ProcessState.Success() {
				t.Errorf("bulwark guard exited with %v after SIGTERM", g.cmd.ProcessState)
			}
		case <-time.After(15 * time.Second):
			g.cmd.Process.Kill()
			<-g.done
			t.Error("bulwark guard did not stop within 15s of SIGTERM")
		}
	})
}

// exited reports whether the gateway has exited.
func (g *gateway) exited() bool {
	select {
	case <-g.done:
		return true
	default:
		return false
	}
}

var plainClient = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// getAs sends GET path to the gateway at pub as the client ip behind the
// trusted proxy and returns the status.
func getAs(t *testing.T, pub, ip, path string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+pub+path, nil)
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("User-Agent", browserUA)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s as %s: %v", path, ip, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

type listedBan struct {
	Target, Source, Reason string
}

// banOf returns the ban in force for target, as bulwark bans list tells.
func banOf(t *testing.T, cfg, target string) (listedBan, bool) {
	t.Helper()
	out, err := exec.Command(buildBulwark(t), "bans", "list", "--json", "--config", cfg).Output()
	if err != nil {
		t.Fatalf("bulwark bans list: %v\n%s", err, out)
	}
	var bans []listedBan
	if err := json.Unmarshal(out, &bans); err != nil {
		t.Fatalf("bulwark bans list --json: %v\n%s", err, out)
	}
	for _, b := range bans {
		if b.Target == target {
			return b, true
		}
	}
	return listedBan{}, false
}

// countEvents counts the events with action from ip in the JSON lines file.
func countEvents(t *testing.T, path, action, ip string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading events: %v", err)
	}
	n := 0
	for line := range bytes.Lines(data) {
		var e struct {
			Event  struct{ Action string }
			Source struct{ IP string }
		}
		if json.Unmarshal(line, &e) == nil && e.Event.Action == action && e.Source.IP == ip {
			n++
		}
	}
	return n
}
