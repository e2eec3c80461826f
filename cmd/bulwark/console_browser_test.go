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
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

const chromiumPath = "/usr/bin/chromium"

// consolePages are the console's pages, in the order of its menu.
var consolePages = []string{"overview", "traffic", "routes", "blackbook", "accounts", "app", "dependencies"}

// TestConsoleInChromium drives the web console in Debian's Chromium against
// the real gateway supervising the real Express app: a wrong password is
// refused, the right one logs in, an attack sent to the app appears live
// and opens as a summary with its raw JSON a click away, an address banned
// from a traffic row's detail is refused by the gateway and listed in the
// black book, an IP banned and unbanned from the black book is refused and
// then let through, a state change without the CSRF token is refused, the
// app restarts from its page. At 1400 and 400 px every page fits the window
// (no sideways scroll), its menu reaches every page, and every clickable row
// opens its detail, all without a script error. Then the gateway restarts on
// the same store and the traffic page still shows the attack. Screenshots of
// every page at both widths are the test's artifacts (go test -artifacts),
// and go to CONSOLE_SCREENSHOTS when set (docs/console for the
// documentation).
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
	// The app's routes, listed from its code, are the declared surface the
	// Routes page compares the traffic with.
	os.WriteFile(conf, []byte(fmt.Sprintf("trustedProxies: [127.0.0.1]\nstore:\n  path: %s\naudit:\n  db: %s\n  projects: [%s]\nroutes: {express: %s}\n",
		filepath.Join(state, "bulwark.db"), filepath.Join(state, "bulwark-osv.db"), project, filepath.Join(app, "server.js"))), 0o600)
	const password = "correct horse battery console"
	passwd := exec.Command(bin, "console", "passwd", "--stdin", "--config", conf)
	passwd.Stdin = strings.NewReader(password + "\n")
	if out, err := passwd.CombinedOutput(); err != nil {
		t.Fatalf("bulwark console passwd: %v\n%s", err, out)
	}
	guard := func() (*exec.Cmd, *testutil.SyncBuffer) {
		cmd, events := startGuard(t, []string{"HOST=127.0.0.1", "PORT=" + port},
			"guard", "--config", conf, "--upstream", "http://"+appAddr, "--listen", pub, "--admin", adm,
			"--run", "node "+filepath.Join(app, "server.js"))
		testutil.Eventually(t, "the app to be ready", func() bool { return events.Count(`"action":"process-ready"`) >= 1 })
		return cmd, events
	}
	gw, events := guard()

	shots := t.ArtifactDir()
	if d := os.Getenv("CONSOLE_SCREENSHOTS"); d != "" {
		shots = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	ctx = newBrowser(t, ctx)
	console := "http://" + adm + "/console/"
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, st := range steps {
			sctx, c := context.WithTimeout(ctx, 15*time.Second)
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
		var err error
		// A poll begun as a navigation ends loses its page's context
		// ("Cannot find context with specified id"): try again, twice.
		for try := 0; try < 3; try++ {
			if _, err = chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond),
				chromedp.WithPollingTimeout(20*time.Second))); err == nil || !strings.Contains(err.Error(), "Cannot find context") {
				break
			}
		}
		if err != nil {
			html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
			t.Fatalf("waiting for %s: %v\n%s", what, err, html)
		}
	}
	width := func(w int64) { do(fmt.Sprintf("a %d px window", w), chromedp.EmulateViewport(w, 900)) }
	width(1400)

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
	if hint := eval(`document.querySelector('.login .hint').textContent`); !strings.Contains(hint, "bulwark-console.password") || strings.Contains(hint, "standard error") {
		t.Errorf("the login page says where the password is as %q, want the file bulwark-console.password", hint)
	}
	if icon := eval(`fetch(document.querySelector('link[rel=icon]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`); !strings.HasPrefix(icon, "200 image/svg") {
		t.Errorf("favicon: %s, want 200 image/svg+xml", icon)
	}
	shot("login-1400")
	do("log in",
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(`body[data-page="overview"]`)))
	if c := eval(`document.cookie`); strings.Contains(c, "bulwark_console") {
		t.Errorf("the session cookie is readable by scripts: %q", c)
	}
	errs, stopErrs := collectErrors(ctx)

	// An attack sent through the gateway appears on the live page and
	// opens as a summary for people, the raw JSON one click away.
	do("traffic page", chromedp.Navigate(console+"traffic"))
	poll("the live stream", `document.querySelector('#live').textContent === 'live'`)
	attacker := "203.0.113.9"
	if code := sendAs(t, "http://"+pub+"/search?q="+url.QueryEscape("' UNION SELECT id,name,value FROM secrets--"), attacker); code != http.StatusForbidden {
		t.Fatalf("SQL injection through the gateway: %d, want 403", code)
	}
	row := func(ip string) string {
		return `[...document.querySelectorAll('#events tbody tr.clickable')].find(r => r.textContent.includes('` + ip + `'))`
	}
	poll("the attack in the table", row(attacker)+` !== undefined`)
	eval(row(attacker) + `.click(), ''`)
	poll("the event's detail", `document.querySelector('#detail').open && document.querySelector('#detail-next').textContent !== '…'`)
	summary := eval(`document.querySelector('#detail-body').innerText`)
	for _, want := range []string{attacker, "203.0.113.0/24", "/search", "blocked (403)", "bw-sqli", "query"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the event's summary lacks %q:\n%s", want, summary)
		}
	}
	do("raw JSON", chromedp.Click(chromedp.CSS("#detail-raw summary")), chromedp.WaitVisible(chromedp.CSS("#detail-json")))
	if j := eval(`document.querySelector('#detail-json').textContent`); !strings.Contains(j, `"malicious"`) || !strings.Contains(j, attacker) {
		t.Errorf("the event's raw JSON lacks its category or address:\n%s", j)
	}
	if curl := eval(`curlOf(JSON.parse(document.querySelector('#detail-json').textContent))`); !strings.HasPrefix(curl, "curl -i") || !strings.Contains(curl, "/search'") {
		t.Errorf("copy as curl gives %q", curl)
	}
	shot("traffic-event-1400")
	do("close the event", chromedp.Click(chromedp.CSS("#detail-close")))
	poll("the top lists", `document.querySelector('#top-ips').textContent.includes('`+attacker+`') && document.querySelector('#top-nets').textContent.includes('203.0.113.0/24')`)

	// Ban from a traffic row's detail: the gateway refuses the address and
	// the black book lists it.
	rowBanned := "198.51.100.23"
	if code := sendAs(t, "http://"+pub+"/search?q="+url.QueryEscape("<script>alert(1)</script>"), rowBanned); code != http.StatusForbidden {
		t.Fatalf("XSS through the gateway: %d, want 403", code)
	}
	poll("the second attack in the table", row(rowBanned)+` !== undefined`)
	eval(row(rowBanned) + `.click(), ''`)
	do("ban from the event",
		chromedp.WaitVisible(chromedp.CSS("#detail-ban")),
		chromedp.Click(chromedp.CSS("#detail-ban")),
		chromedp.WaitVisible(chromedp.CSS("#detail-ban-confirm")),
		chromedp.Click(chromedp.CSS("#detail-ban-confirm")))
	poll("the ban's confirmation", `document.querySelector('#detail-status').textContent.startsWith('Banned `+rowBanned+`')`)
	testutil.Eventually(t, "the ban from the traffic row to be enforced", func() bool { return sendAs(t, "http://"+pub+"/api/products", rowBanned) == http.StatusForbidden })
	do("the black book shows it", chromedp.Navigate(console+"blackbook"), chromedp.WaitVisible(chromedp.CSS(`#bans tr[data-target="`+rowBanned+`"]`)))

	// Ban from the black book: refused; unban from the page: let through.
	banned := "203.0.113.50"
	do("ban from the page",
		chromedp.WaitVisible(chromedp.CSS("#ban-form")),
		chromedp.SendKeys(chromedp.CSS(`#ban-form input[name="target"]`), banned),
		chromedp.SendKeys(chromedp.CSS(`#ban-form input[name="duration"]`), "1h"),
		chromedp.SendKeys(chromedp.CSS(`#ban-form input[name="reason"]`), "browser test"),
		chromedp.Click(chromedp.CSS("#ban")),
		chromedp.WaitVisible(chromedp.CSS(`#bans tr[data-target="`+banned+`"]`)))
	testutil.Eventually(t, "the ban to be enforced", func() bool { return sendAs(t, "http://"+pub+"/api/products", banned) == http.StatusForbidden })
	do("unban from the page",
		chromedp.SendKeys(chromedp.CSS(`#bans tr[data-target="`+banned+`"] input.reason`), "lifted by the browser test"),
		chromedp.Click(chromedp.CSS(`#bans tr[data-target="`+banned+`"] button.unban`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#bans tr[data-target="`+banned+`"]`)))
	if code := sendAs(t, "http://"+pub+"/api/products", banned); code != http.StatusOK {
		t.Errorf("request after the unban: %d, want 200", code)
	}

	// The app restarts from its page.
	do("restart the app", chromedp.Navigate(console+"app"), chromedp.WaitVisible(chromedp.CSS("#restart")),
		chromedp.Click(chromedp.CSS("#restart")), chromedp.Click(chromedp.CSS("#restart")))
	poll("the restart", `document.querySelector('#status').textContent.startsWith('Restarted')`)
	if n := events.Count(`"action":"process-ready"`); n != 2 {
		t.Errorf("after the restart button: %d process-ready events, want 2", n)
	}

	if got := errs(); len(got) > 0 {
		t.Errorf("script errors in the pages:\n%s", strings.Join(got, "\n"))
	}
	stopErrs() // the refusals below are meant, and the browser logs each

	// A state change without the CSRF token is refused, with it accepted.
	noCSRF := eval(`fetch('/console/api/v1/bans', {method: 'POST', headers: {'Content-Type': 'application/json'},
		body: JSON.stringify({target: '203.0.113.77', reason: 'forged'})}).then(r => String(r.status))`)
	if noCSRF != "403" {
		t.Errorf("POST /console/api/v1/bans without the CSRF token: %s, want 403", noCSRF)
	}
	if code := sendAs(t, "http://"+pub+"/api/products", "203.0.113.77"); code != http.StatusOK {
		t.Errorf("the refused ban was made anyway: %d", code)
	}
	noCSRF = eval(`fetch('/console/api/v1/app/restart', {method: 'POST'}).then(r => String(r.status))`)
	if noCSRF != "403" {
		t.Errorf("POST /console/api/v1/app/restart without the CSRF token: %s, want 403", noCSRF)
	}

	errs, stopErrs = collectErrors(ctx)
	defer stopErrs()

	// Data for the other pages.
	sendAs(t, "http://"+pub+"/api/login", "203.0.113.20") // not a login attempt: a GET
	postLogin(t, "http://"+pub+"/api/login", "198.51.100.7", "alice", "wrong password")
	// Credential stuffing: one address trying many users gets banned, and
	// the Accounts page shows the ban.
	stuffer := "198.51.100.99"
	for i := 0; i < 25 && sendAs(t, "http://"+pub+"/api/products", stuffer) != http.StatusForbidden; i++ {
		postLogin(t, "http://"+pub+"/api/login", stuffer, fmt.Sprintf("user%02d", i), "guess")
	}
	sendAs(t, "http://"+pub+"/.env", "203.0.113.66")
	// A long IPv6 address must not widen the narrow pages.
	if code := sendAs(t, "http://"+pub+"/search?q="+url.QueryEscape("1 OR 1=1 UNION SELECT password FROM users"), "2001:db8:85a3:1234:5678:8a2e:370:7334"); code != http.StatusForbidden {
		t.Errorf("SQL injection from an IPv6 address: %d, want 403", code)
	}
	for range 4 { // four lines alike in the app's log, which the App page folds
		sendAs(t, "http://"+pub+"/api/products", "127.0.0.1")
	}
	// The example app's admin stats answer without credentials while the
	// users list next to them asks for them: the Routes page's unsecured
	// finding. A search's query teaches the page a field.
	for i := range 4 {
		ip := fmt.Sprintf("192.0.2.%d", 10+i)
		if code := sendAs(t, "http://"+pub+"/api/admin/stats", ip); code != http.StatusOK {
			t.Fatalf("GET /api/admin/stats without credentials: %d, want the app's 200", code)
		}
		if code := sendAs(t, "http://"+pub+"/api/admin/users", ip); code != http.StatusUnauthorized {
			t.Fatalf("GET /api/admin/users without credentials: %d, want the app's 401", code)
		}
		sendAs(t, "http://"+pub+"/search?q=desk-lamp", ip)
	}
	if code := sendAs(t, "http://"+pub+"/search?q="+url.QueryEscape("lamp' OR '1'='1"), "192.0.2.20"); code != http.StatusForbidden {
		t.Errorf("SQL injection in the search: %d, want 403", code)
	}

	ready := map[string]string{
		"overview": `document.querySelector('#app-state').textContent === 'ready' && document.querySelector('#advisories').textContent === '2' &&
			/^\d+ restarts?/.test(document.querySelector('#app-restarts').textContent) && document.querySelectorAll('#latest tbody tr.clickable').length > 0 &&
			document.querySelector('#chart-attacks .u-over') !== null && document.querySelector('#chart-attacks .total').textContent.includes('attacks in the last hour')`,
		"traffic": `document.querySelector('#live').textContent === 'live' && document.querySelectorAll('#events tbody tr.clickable').length > 0 && document.querySelector('#chart-classes .u-over') !== null`,
		// A route seen, a declared route never called, and the unsecured
		// admin stats among the findings.
		"routes": `[...document.querySelectorAll('#route-findings tbody tr[data-kind="unsecured"]')].some(r => r.textContent.includes('GET /api/admin/stats')) &&
			document.querySelector('#routes tbody tr[data-route="GET /api/admin/users"]') !== null && document.querySelectorAll('#unused tbody tr.clickable').length > 0`,
		// Offenders include an address the history shows failing a login.
		"blackbook": `[...document.querySelectorAll('#offenders tbody tr.clickable')].some(r => r.textContent.includes('198.51.100.7') && r.textContent.includes('failed logins 1')) &&
			[...document.querySelectorAll('#allowlist tbody tr')].some(r => r.textContent.includes('configuration at start'))`,
		"accounts": `[...document.querySelectorAll('table.acct tbody tr.clickable')].some(r => r.textContent.includes('alice')) &&
			[...document.querySelectorAll('table.acct tbody tr.clickable')].some(r => r.textContent.includes('banned ` + stuffer + `'))`,
		// A line the Express app logged, read back from the supervisor.
		"app": `document.querySelector('#app-status dd') !== null && document.querySelectorAll('#process tbody tr.clickable').length > 0 &&
			[...document.querySelectorAll('#logs span.stdout')].some(s => s.textContent.includes('express-app listening on http://` + appAddr + `')) &&
			[...document.querySelectorAll('#logs span.folded')].some(s => s.textContent.includes('GET /api/products'))`,
		// The finding bulwark audit --monitor saved, and the project's update state.
		"dependencies": `[...document.querySelectorAll('#findings tbody tr')].some(r => r.textContent.includes('left-pad-demo@1.2.0') &&
			r.textContent.includes('critical 9.8') && r.textContent.includes('GHSA-demo-0001') && r.textContent.includes('2.0.0')) &&
			document.querySelector('#audit-counts').textContent.includes('low') &&
			document.querySelector('#updates').textContent.includes('no bulwark update run recorded')`,
	}
	for _, w := range []int64{1400, 400} {
		width(w)
		for _, p := range consolePages {
			name := fmt.Sprintf("%s-%d", p, w)
			do(name, chromedp.Navigate(console+p), chromedp.WaitVisible(chromedp.CSS(`body[data-page="`+p+`"] main`)))
			poll(name+" data", ready[p])
			if got := eval(`(() => { const d = document.documentElement; return d.scrollWidth + ' ' + d.clientWidth; })()`); !fits(got) {
				t.Errorf("%s scrolls sideways: scrollWidth clientWidth = %s", name, got)
			}
			if got := eval(clippedCells); got != "" {
				t.Errorf("%s: cells whose text is cut off: %s", name, got)
			}
			if got := eval(menuReaches); got != strings.Join(consolePages, " ")+" logout" {
				t.Errorf("%s: the menu reaches %q, want every page and log out", name, got)
			}
			if got := eval(clickEveryRow); !strings.HasPrefix(got, "ok ") {
				t.Errorf("%s: %s", name, got)
			}
			shot(name)
			if p == "routes" && w == 1400 {
				checkRoutesPage(t, eval, poll, shot)
			}
			if p == "routes" && w == 400 {
				eval(`document.querySelector('#routes tbody tr[data-route="GET /search"]').click(), ''`)
				poll("the search's detail at 400 px", `document.querySelector('#detail').open && document.querySelector('#detail-fields') !== null`)
				if got := eval(`(() => { const d = document.querySelector('#detail'); return d.scrollWidth + ' ' + d.clientWidth; })()`); !fits(got) {
					t.Errorf("a route's detail at 400 px scrolls sideways: %s", got)
				}
				shot("routes-route-400")
				eval(`document.querySelector('#detail').close(), ''`)
			}
			if p == "traffic" && w == 400 {
				eval(row("2001:db8:85a3:1234:5678:8a2e:370:7334") + `.click(), ''`)
				poll("an IPv6 attack's detail", `document.querySelector('#detail').open && document.querySelector('#detail-next').textContent !== '…'`)
				if got := eval(`(() => { const d = document.querySelector('#detail'); return d.scrollWidth + ' ' + d.clientWidth; })()`); !fits(got) {
					t.Errorf("the detail dialog at 400 px scrolls sideways: %s", got)
				}
				if got := eval(`document.querySelector('#detail-body').innerText`); !strings.Contains(got, "2001:db8:85a3::/48") {
					t.Errorf("an IPv6 attack's detail lacks its /48:\n%s", got)
				}
				shot("traffic-event-400")
				eval(`document.querySelector('#detail').close(), ''`)
			}
		}
	}
	width(400)
	do("login page at 400 px", chromedp.Navigate(console+"login"), chromedp.WaitVisible(chromedp.CSS("#password")))
	shot("login-400")
	if got := errs(); len(got) > 0 {
		t.Errorf("script errors in the pages:\n%s", strings.Join(got, "\n"))
	}

	// A new gateway on the same store shows the attacks from before.
	gw.Process.Signal(syscall.SIGTERM)
	if err := gw.Wait(); err != nil {
		t.Logf("the first gateway stopped with %v", err)
	}
	guard()
	width(1400)
	do("traffic after a restart", chromedp.Navigate(console+"traffic"))
	poll("the attack from before the restart", row(attacker)+` !== undefined`)
	t.Logf("screenshots in %s", shots)
}

// clippedCells lists the visible table cells, and the elements directly in
// them, whose content is wider than they are (text cut off, as a long IPv6
// address was on a phone), or "".
const clippedCells = `[...document.querySelectorAll('td, td > *')].filter(td => td.offsetParent !== null && td.scrollWidth > td.clientWidth + 1).map(td => JSON.stringify(td.textContent.slice(0, 40))).join(', ')`

// fits reports whether "scrollWidth clientWidth" says the page does not
// scroll sideways.
func fits(widths string) bool {
	var sw, cw int
	fmt.Sscan(widths, &sw, &cw)
	return cw > 0 && sw <= cw
}

// menuReaches opens the menu (at a narrow width it is behind a button) and
// lists the pages its links reach and its log-out button, each visible and
// inside the window, then closes it again.
const menuReaches = `(() => {
  const toggle = document.querySelector('#menu-toggle');
  const narrow = toggle && toggle.offsetParent !== null;
  if (narrow) toggle.click();
  const inside = (e) => { const r = e.getBoundingClientRect(); return e.offsetParent !== null && r.width > 0 && r.left >= 0 && r.right <= innerWidth; };
  const got = [...document.querySelectorAll('#menu a')].filter(inside).map((a) => new URL(a.href).pathname.replace('/console/', ''));
  const out = document.querySelector('#logout');
  if (out && inside(out)) got.push('logout');
  if (narrow) toggle.click();
  return got.join(' ');
})()`

// clickEveryRow clicks each visible clickable row of the page (at most 15)
// and checks that the detail dialog opens with a summary; it answers
// "ok N" or what failed.
const clickEveryRow = `(async () => {
  const rows = [...document.querySelectorAll('tr.clickable')].filter((r) => r.offsetParent !== null).slice(0, 15);
  if (!rows.length) return 'no clickable row';
  const d = document.querySelector('#detail');
  for (const r of rows) {
    r.click();
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      await new Promise((res) => setTimeout(res, 40));
      ok = d.open && document.querySelector('#detail-body').textContent.trim() !== '' && document.querySelector('#detail-json').textContent !== '';
    }
    if (!ok) return 'the row "' + r.textContent.slice(0, 80) + '" opened no detail';
    d.close();
  }
  return 'ok ' + rows.length;
})()`

// collectErrors gathers the page's script errors, uncaught exceptions and
// browser log errors (a refused script or style, a failed load) from now
// on; seen returns those so far, stop ends the collection.
func collectErrors(ctx context.Context) (seen func() []string, stop func()) {
	ctx, stop = context.WithCancel(ctx)
	var mu sync.Mutex
	var errs []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(errs)
	}, stop
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

// checkRoutesPage reads the Routes page as a user would: the unsecured
// finding with its sentence at the top, a route's detail in words with its
// learned field and raw JSON, and the filter by finding kind.
func checkRoutesPage(t *testing.T, eval func(string) string, poll func(string, string), shot func(string)) {
	t.Helper()
	finding := eval(`[...document.querySelectorAll('#route-findings tbody tr[data-kind="unsecured"]')].map(r => r.innerText).join('\n')`)
	if !strings.Contains(finding, "GET /api/admin/stats") || !strings.Contains(finding, "while GET /api/admin/users under the same prefix answers 401/403") {
		t.Errorf("the unsecured finding reads %q, want the admin stats next to the users list that asks for credentials", finding)
	}
	if got, n := eval(`document.querySelector('#kinds [data-kind="unsecured"]').textContent`),
		eval(`String(document.querySelectorAll('#route-findings tbody tr[data-kind="unsecured"]').length)`); got != "unsecured "+n {
		t.Errorf("the unsecured filter says %q, and %s unsecured findings are listed", got, n)
	}
	if got := eval(`document.querySelector('#routes tbody tr[data-route="GET /api/admin/stats"]').innerText`); !strings.Contains(got, "unsecured") {
		t.Errorf("the admin stats' row lacks its finding: %q", got)
	}
	eval(`document.querySelector('#routes tbody tr[data-route="GET /api/admin/stats"]').click(), ''`)
	poll("the admin stats' detail", `document.querySelector('#detail').open && document.querySelector('#detail-findings') !== null`)
	detail := eval(`document.querySelector('#detail-body').innerText`)
	for _, want := range []string{"yes, the app declares it", "4 requests answered by the app, from 4 clients", "4 2xx",
		"4 answered 2xx, 0 refused with 401/403", "0 of 4 (0%) carried credentials", "unsecured", "answered 4 requests without credentials"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the admin stats' detail lacks %q:\n%s", want, detail)
		}
	}
	shot("routes-route-1400")
	eval(`document.querySelector('#detail-raw summary').click(), ''`)
	if j := eval(`document.querySelector('#detail-json').textContent`); !strings.Contains(j, `"template": "/api/admin/stats"`) || !strings.Contains(j, `"unsecured"`) {
		t.Errorf("the route's raw JSON lacks its template or finding:\n%s", j)
	}
	eval(`document.querySelector('#detail').close(), ''`)
	// The search's query, typed from the requests: counts per type, never a value.
	eval(`document.querySelector('#routes tbody tr[data-route="GET /search"]').click(), ''`)
	poll("the search's detail", `document.querySelector('#detail').open && document.querySelector('#detail-fields') !== null`)
	// The four attacks sent to /search above, counted from the first: the
	// route is declared.
	if got := eval(`document.querySelector('#detail-body').innerText`); !strings.Contains(got, "4 attacks aimed at it; the gateway refused them all") {
		t.Errorf("the search's detail does not count the four attacks refused on it:\n%s", got)
	}
	if fields := eval(`document.querySelector('#detail-fields').innerText`); !strings.Contains(fields, "query:q") || !strings.Contains(fields, "slug 4 (4 clients)") || strings.Contains(fields, "desk-lamp") {
		t.Errorf("the search's fields read %q, want query:q with 4 slugs from 4 clients and no value", fields)
	}
	eval(`document.querySelector('#detail').close(), ''`)
	// The filter keeps the routes with that finding.
	eval(`document.querySelector('#kinds [data-kind="unsecured"]').click(), ''`)
	poll("the unsecured filter", `location.hash === '#kind=unsecured' && document.querySelector('#routes tbody tr[data-route="GET /api/admin/users"]') === null`)
	shown := strings.Split(eval(`[...document.querySelectorAll('#routes tbody tr')].map(r => r.dataset.route + (r.querySelector('.finding-unsecured') ? '' : ' (no unsecured finding)')).join(',')`), ",")
	if !slices.Contains(shown, "GET /api/admin/stats") || slices.ContainsFunc(shown, func(r string) bool { return strings.Contains(r, "(no") }) {
		t.Errorf("filtered by unsecured, the routes are %q, want the admin stats and only routes with that finding", shown)
	}
	if n := eval(`String(document.querySelectorAll('#unused tbody tr').length)`); n != "0" {
		t.Errorf("filtered by unsecured, %s declared routes never called are listed", n)
	}
	eval(`document.querySelector('#kinds [data-kind=""]').click(), ''`)
	poll("every route again", `document.querySelector('#routes tbody tr[data-route="GET /api/admin/users"]') !== null`)
}
