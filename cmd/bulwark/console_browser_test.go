package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

const chromiumPath = "/usr/bin/chromium"

// TestConsoleInChromium drives the web console in Debian's Chromium against
// the real gateway supervising the real Express app: a wrong password is
// refused, the right one logs in, an attack sent to the app appears live,
// an IP banned and unbanned from the page is refused and then let through,
// a state change without the CSRF token is refused, the App page shows a
// line the app logged and the Dependencies page a finding of bulwark audit
// --monitor. Screenshots of
// every page are the test's artifacts (go test -artifacts), and go to
// CONSOLE_SCREENSHOTS when set (docs/console for the documentation).
func TestConsoleInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		testutil.RealPartMissing(t, "Chromium is not at "+chromiumPath+": apt-get install chromium")
	}
	app := testutil.ExpressAppDir(t)
	bin := buildBulwark(t)
	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, port, _ := net.SplitHostPort(appAddr)

	// The test's client is on loopback, which is never banned: the
	// "attackers" are other addresses, believed from X-Forwarded-For.
	state := t.TempDir()
	project := auditedProject(t, bin, state)
	conf := filepath.Join(state, "bulwark.yaml")
	os.WriteFile(conf, []byte(fmt.Sprintf("trustedProxies: [127.0.0.1]\nstore:\n  path: %s\naudit:\n  projects: [%s]\n",
		filepath.Join(state, "bulwark.db"), project)), 0o600)
	const password = "correct horse battery console"
	passwd := exec.Command(bin, "console", "passwd", "--stdin", "--config", conf)
	passwd.Stdin = strings.NewReader(password + "\n")
	if out, err := passwd.CombinedOutput(); err != nil {
		t.Fatalf("bulwark console passwd: %v\n%s", err, out)
	}
	_, events := startGuard(t, []string{"HOST=127.0.0.1", "PORT=" + port},
		"guard", "--config", conf, "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
		"--run", "node "+filepath.Join(app, "server.js"))
	waitFor(t, "the app to be ready", func() bool { return events.Count(`"action":"process-ready"`) == 1 })

	shots := t.ArtifactDir()
	if d := os.Getenv("CONSOLE_SCREENSHOTS"); d != "" {
		shots = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Second)
	defer cancel()
	ctx = newBrowser(t, ctx)
	console := "http://" + adm + "/console/"
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, st := range steps {
			sctx, c := context.WithTimeout(ctx, 8*time.Second)
			err := chromedp.Do(sctx, st)
			c()
			if err != nil {
				html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.documentElement.outerHTML`))
				t.Fatalf("%s, step %d: %v\n%s", what, i, err, html)
			}
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("evaluating %s: %v", js, err)
		}
		return s
	}
	poll := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond),
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}

	// A wrong password is refused; the right one logs in.
	do("wrong password",
		chromedp.Navigate(console),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#login-error")))
	if msg := eval(`document.querySelector('#login-error').textContent`); !strings.Contains(msg, "Wrong password") {
		t.Errorf("after a wrong password the page says %q", msg)
	}
	shot("login")
	do("log in",
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(`body[data-page="overview"]`)))
	if c := eval(`document.cookie`); strings.Contains(c, "bulwark_console") {
		t.Errorf("the session cookie is readable by scripts: %q", c)
	}

	// An attack sent through the gateway appears on the live page.
	do("traffic page", chromedp.Navigate(console+"traffic"))
	poll("the live stream", `document.querySelector('#live').textContent === 'live'`)
	attacker := "203.0.113.9"
	if code := sendAs(t, "http://"+pub+"/search?q="+url.QueryEscape("' UNION SELECT id,name,value FROM secrets--"), attacker); code != http.StatusForbidden {
		t.Fatalf("SQL injection through the gateway: %d, want 403", code)
	}
	poll("the attack in the table", `[...document.querySelectorAll('#events tbody tr')].some(r => r.textContent.includes('`+attacker+`') && r.textContent.includes('/search'))`)
	do("open the event", chromedp.Click(chromedp.CSS("#events tbody tr")), chromedp.WaitVisible(chromedp.CSS("#detail-json")))
	if j := eval(`document.querySelector('#detail-json').textContent`); !strings.Contains(j, `"malicious"`) || !strings.Contains(j, attacker) {
		t.Errorf("the event's detail lacks its category or address:\n%s", j)
	}
	shot("traffic-event")
	do("close the event", chromedp.Click(chromedp.CSS("#detail-close")))
	poll("the top lists", `document.querySelector('#top-ips').textContent.includes('`+attacker+`')`)
	shot("traffic")

	// Ban from the page: refused; unban from the page: let through.
	banned := "203.0.113.50"
	do("ban from the page",
		chromedp.Navigate(console+"blackbook"),
		chromedp.WaitVisible(chromedp.CSS("#ban-form")),
		chromedp.SendKeys(chromedp.CSS(`#ban-form input[name="target"]`), banned),
		chromedp.SendKeys(chromedp.CSS(`#ban-form input[name="duration"]`), "1h"),
		chromedp.SendKeys(chromedp.CSS(`#ban-form input[name="reason"]`), "browser test"),
		chromedp.Click(chromedp.CSS("#ban")),
		chromedp.WaitVisible(chromedp.CSS(`#bans tr[data-target="`+banned+`"]`)))
	waitFor(t, "the ban to be enforced", func() bool { return sendAs(t, "http://"+pub+"/api/products", banned) == http.StatusForbidden })
	shot("blackbook")
	do("unban from the page",
		chromedp.SendKeys(chromedp.CSS(`#bans tr[data-target="`+banned+`"] input.reason`), "lifted by the browser test"),
		chromedp.Click(chromedp.CSS(`#bans tr[data-target="`+banned+`"] button.unban`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#bans tr[data-target="`+banned+`"]`)))
	if code := sendAs(t, "http://"+pub+"/api/products", banned); code != http.StatusOK {
		t.Errorf("request after the unban: %d, want 200", code)
	}

	// A state change without the CSRF token is refused, with it accepted.
	noCSRF := eval(`fetch('/console/api/v1/bans', {method: 'POST', headers: {'Content-Type': 'application/json'},
		body: JSON.stringify({target: '203.0.113.77', reason: 'forged'})}).then(r => String(r.status))`)
	if noCSRF != "403" {
		t.Errorf("POST /console/api/v1/bans without the CSRF token: %s, want 403", noCSRF)
	}
	if code := sendAs(t, "http://"+pub+"/api/products", "203.0.113.77"); code != http.StatusOK {
		t.Errorf("the refused ban was made anyway: %d", code)
	}

	// The other pages render their data; their screenshots document them.
	sendAs(t, "http://"+pub+"/api/login", "203.0.113.20") // not a login attempt: a GET
	postLogin(t, "http://"+pub+"/api/login", "198.51.100.7", "alice", "wrong password")
	for _, p := range []struct{ page, ready string }{
		{"overview", `document.querySelector('#app-state').textContent === 'ready' && document.querySelector('#advisories').textContent === '2'`},
		{"accounts", `[...document.querySelectorAll('table.acct tbody tr')].some(r => r.textContent.includes('alice'))`},
		// A line the Express app logged, read back from the supervisor.
		{"app", `document.querySelector('#app-status dd') !== null &&
			[...document.querySelectorAll('#logs span.stdout')].some(s => s.textContent.includes('express-app listening on http://` + appAddr + `'))`},
		// The finding bulwark audit --monitor saved, and the project's update state.
		{"dependencies", `[...document.querySelectorAll('#findings tbody tr')].some(r => r.textContent.includes('left-pad-demo@1.2.0') &&
			r.textContent.includes('critical 9.8') && r.textContent.includes('GHSA-demo-0001') && r.textContent.includes('2.0.0')) &&
			document.querySelector('#audit-counts').textContent.includes('low') &&
			document.querySelector('#updates').textContent.includes('no bulwark update run recorded')`},
	} {
		do(p.page, chromedp.Navigate(console+p.page))
		poll(p.page+" data", p.ready)
		shot(p.page)
	}
	t.Logf("screenshots in %s", shots)
}

// auditedProject writes a small npm project and an OSV directory with two
// advisories on its packages, imports them into the advisory database next
// to the store (state/bulwark-osv.db, where guard looks by default) and
// runs bulwark audit --monitor on the project, as an operator would before
// opening the console. It returns the project's directory.
func auditedProject(t *testing.T, bin, state string) string {
	t.Helper()
	project, advisories := filepath.Join(state, "shop"), filepath.Join(state, "advisories")
	for name, content := range map[string]string{
		filepath.Join(project, "package-lock.json"): `{"name": "shop", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": {"name": "shop", "version": "1.0.0", "dependencies": {"left-pad-demo": "^1.0.0", "tiny-parser-demo": "1.0.1"}},
    "node_modules/left-pad-demo": {"version": "1.2.0"},
    "node_modules/tiny-parser-demo": {"version": "1.0.1"}}}`,
		filepath.Join(advisories, "GHSA-demo-0001.json"): `{"schema_version":"1.6.0","id":"GHSA-demo-0001","modified":"2024-05-01T00:00:00Z",
 "aliases":["CVE-2024-0001"], "summary":"Prototype pollution in left-pad-demo",
 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"npm","name":"left-pad-demo"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
		filepath.Join(advisories, "GHSA-demo-0002.json"): `{"schema_version":"1.6.0","id":"GHSA-demo-0002","modified":"2024-05-01T00:00:00Z",
 "summary":"Denial of service in tiny-parser-demo", "database_specific":{"severity":"LOW"},
 "affected":[{"package":{"ecosystem":"npm","name":"tiny-parser-demo"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.0.3"}]}]}]}`,
	} {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(state, "bulwark-osv.db")
	for _, args := range [][]string{{"db", "import", advisories, "--db", db}, {"audit", "--monitor", project, "--db", db}} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("bulwark %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return project
}

// newBrowser starts a headless Chromium, closed with the test. The flags
// keep it off the network, which is closed here (Chromium hangs on lookups
// without them).
func newBrowser(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		testutil.RealPartMissing(t, "Chromium does not start: "+err.Error())
	}
	return bctx
}

// get sends a GET as if from ip (through the trusted loopback proxy) and
// returns the status.
func sendAs(t *testing.T, u, ip string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("X-Forwarded-For", ip)
	return sendReq(t, req)
}

func postLogin(t *testing.T, u, ip, user, password string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	return sendReq(t, req)
}

func sendReq(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
