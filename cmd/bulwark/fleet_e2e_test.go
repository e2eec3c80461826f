package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fleetGateway is one of the fleet's gateways.
type fleetGateway struct {
	name, dir, pub, adm, cfg string
	g                        *gateway
}

const fleetToken = "fleet-e2e-admin-token-0123456789"

// startFleet runs n gateways with their own stores, sharing the Redis at
// redisAddr and one accounts key, in front of app.
func startFleet(t *testing.T, n int, app, redisAddr string) []*fleetGateway {
	return startFleetOn(t, n, app, fmt.Sprintf("{address: %q, prefix: fleet-e2e}", redisAddr))
}

// startFleetOn runs n gateways as startFleet does, with store.redis set
// to the YAML flow mapping redisYAML.
func startFleetOn(t *testing.T, n int, app, redisYAML string) []*fleetGateway {
	t.Helper()
	var gws []*fleetGateway
	for i := range n {
		f := &fleetGateway{name: string(rune('A' + i)), pub: testutil.FreeAddr(t), adm: testutil.FreeAddr(t)}
		f.dir = filepath.Join(t.TempDir(), f.name)
		os.Mkdir(f.dir, 0o700)
		f.cfg = filepath.Join(f.dir, "bulwark.yaml")
		body := fmt.Sprintf(`upstream: %s
listen: %s
admin: {listen: %s, token: %s}
trustedProxies: [127.0.0.1/32]
store: {path: %s, redis: %s}
events: {output: %s}
accounts:
  preset: express-example
  key: fleet-e2e-shared-accounts-key-0123456789abcdef
  breach: {mode: "off"}
`, app, f.pub, f.adm, fleetToken, filepath.Join(f.dir, "bulwark.db"), redisYAML, filepath.Join(f.dir, "events.jsonl"))
		if err := os.WriteFile(f.cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		f.g = startGateway(t, f.cfg, f.pub)
		gws = append(gws, f)
	}
	return gws
}

// metric reads one unlabelled metric (or the sum of a labelled one) from
// the gateway's /metrics.
func (f *fleetGateway) metric(t *testing.T, name string) float64 {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+f.adm+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+fleetToken)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("GET /metrics of %s: %v", f.name, err)
	}
	defer resp.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, name+" ") || strings.HasPrefix(line, name+"{") {
			fields := strings.Fields(line)
			v, _ := strconv.ParseFloat(fields[len(fields)-1], 64)
			sum += v
		}
	}
	return sum
}

// loginAs posts a form login to the gateway as ip and returns the status;
// a transport error fails the test: no request may fail.
func loginAs(t *testing.T, pub, ip, user, password string) int {
	t.Helper()
	c := newAccountClient(t, pub, ip, browserUA)
	return c.form("/login", url.Values{"username": {user}, "password": {password}})
}

// mailsIn reads the mails of every gateway's outbox to to about subject.
func mailsIn(gws []*fleetGateway, to, subject string) map[string]int {
	got := map[string]int{}
	for _, f := range gws {
		files, _ := filepath.Glob(filepath.Join(f.dir, "outbox", "*.json"))
		for _, file := range files {
			b, _ := os.ReadFile(file)
			if strings.Contains(string(b), to) && strings.Contains(string(b), subject) {
				got[f.name]++
			}
		}
	}
	return got
}

// TestFleetCountsAsOne runs three gateways with their own stores on one
// real redis-server, requests spread round-robin as a load balancer does:
// they block, ban and mail at the counts one gateway would, a "this wasn't
// me" link works on another gateway than the one that mailed it, once, and
// an outage of Redis fails no request and shows on /metrics.
func TestFleetCountsAsOne(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real Redis, an app and three gateways (runs in CI)")
	}
	rs := testutil.StartRedis(t)
	app := testutil.StartExpressApp(t).URL()
	gws := startFleet(t, 3, app, rs.Addr())
	for _, f := range gws {
		testutil.Eventually(t, "gateway "+f.name+" to reach Redis", func() bool {
			return strings.Contains(f.g.log.String(), "black book: Redis reachable")
		})
	}
	rr := 0
	next := func() *fleetGateway { rr++; return gws[rr%len(gws)] }

	t.Run("user+address limit after 10 failures fleet-wide", func(t *testing.T) {
		fleetPairLimit(t, gws, next, "198.51.100.10", "bob")
	})
	t.Run("credential stuffing banned at 10 usernames fleet-wide", func(t *testing.T) {
		fleetStuffingBan(t, gws, next, "198.51.100.20")
	})
	t.Run("attack scenario bans at the 5th blocked attack fleet-wide", func(t *testing.T) {
		fleetAttackBan(t, gws, next, "198.51.100.30")
	})

	t.Run("new-network mail once, link works once on another gateway", func(t *testing.T) {
		a, b, c := gws[0], gws[1], gws[2]
		home := newAccountClient(t, a.pub, "192.0.2.10", browserUA)
		if got, _ := home.do("POST", "/api/login", "application/json", `{"username":"alice","password":"`+alicePass+`"}`); got != http.StatusOK {
			t.Fatalf("alice's first login, on A = %d, want 200", got)
		}
		// The new network, on B (which never saw alice), then on C and A.
		for _, f := range []*fleetGateway{b, c, a} {
			thief := newAccountClient(t, f.pub, "203.0.113.50", browserUA)
			if got, _ := thief.do("POST", "/api/login", "application/json", `{"username":"alice","password":"`+alicePass+`"}`); got != http.StatusOK {
				t.Fatalf("alice's login from the new network, on %s = %d, want 200", f.name, got)
			}
		}
		m := waitForMail(t, filepath.Join(b.dir, "outbox"), "alice@example.com", "New login")
		// A gateway decides to mail in the login's request and publishes
		// new-device-login as it does; the mail itself is written in the
		// background. Once every events file holds all it was sent, the
		// decisions are counted there: one, by B.
		eventsCaughtUp(t, gws, "192.0.2.12")
		for _, f := range gws {
			want := 0
			if f == b {
				want = 1
			}
			if n := len(findEvents(t, filepath.Join(f.dir, "events.jsonl"), "new-device-login", "alice")); n != want {
				t.Errorf("%s published %d new-device-login events for alice, want %d: one mail fleet-wide, from B", f.name, n, want)
			}
		}
		if got := mailsIn(gws, "alice@example.com", "New login"); len(got) != 1 || got["B"] != 1 {
			t.Fatalf("new-login mails by gateway = %v, want exactly one, from B", got)
		}
		link := regexp.MustCompile(`http://\S+/\.bulwark/not-me\?t=\S+`).FindString(m.Text)
		u, err := url.Parse(link)
		if link == "" || err != nil {
			t.Fatalf("no not-me link in the mail:\n%s", m.Text)
		}
		tok := u.Query().Get("t")
		owner := newAccountClient(t, c.pub, "192.0.2.10", browserUA)
		if got := owner.form(u.Path, url.Values{"t": {tok}}); got != http.StatusOK {
			t.Fatalf("POST B's link on C = %d, want 200", got)
		}
		again := newAccountClient(t, a.pub, "192.0.2.10", browserUA)
		if got := again.form(u.Path, url.Values{"t": {tok}}); got != http.StatusGone {
			t.Errorf("POST the used link again, on A = %d, want 410: a link works once fleet-wide", got)
		}
		// Alice's first session, issued by A, was revoked by C's click:
		// every gateway refuses it within a poll of the revoked set.
		var sid *http.Cookie
		for _, ck := range home.jar.Cookies(&url.URL{Scheme: "http", Host: a.pub}) {
			if ck.Name == "sid" {
				sid = ck
			}
		}
		if sid == nil {
			t.Fatal("alice's first login left no sid cookie")
		}
		for _, f := range gws {
			testutil.Eventually(t, "alice's session issued by A, revoked through C, refused with 401 on "+f.name, func() bool {
				return getWithCookie(t, f.pub, "192.0.2.10", sid) == http.StatusUnauthorized
			})
		}
	})

	t.Run("console login limit counts fleet-wide", func(t *testing.T) {
		// 5 wrong passwords (the default limit) spread over the consoles,
		// then every console refuses the address, the right token too.
		for i := range 5 {
			if got := consoleLogin(t, next().adm, "wrong-"+strconv.Itoa(i)); got != http.StatusUnauthorized {
				t.Fatalf("wrong console password %d = %d, want 401", i+1, got)
			}
		}
		for _, f := range gws {
			if got := consoleLogin(t, f.adm, fleetToken); got != http.StatusTooManyRequests {
				t.Errorf("6th console login, on %s, with the admin token = %d, want 429", f.name, got)
			}
		}
	})

	t.Run("redis killed mid-attack: no request fails, counting resumes", func(t *testing.T) {
		for i := range 4 {
			if got := loginAs(t, next().pub, "198.51.100.40", "carol", fmt.Sprintf("g%d", i)); got != http.StatusUnauthorized {
				t.Fatalf("failed login %d = %d, want 401", i+1, got)
			}
		}
		rs.Stop()
		for i := range 9 {
			got := loginAs(t, next().pub, "198.51.100.40", "carol", fmt.Sprintf("h%d", i))
			if got >= 500 {
				t.Fatalf("with Redis down, failed login %d = %d: a request failed", i+1, got)
			}
		}
		for _, f := range gws {
			if up := f.metric(t, "bulwark_fleet_redis_up"); up != 0 {
				t.Errorf("%s: bulwark_fleet_redis_up = %v with Redis down, want 0", f.name, up)
			}
			if n := f.metric(t, "bulwark_fleet_local_counts_total"); n == 0 {
				t.Errorf("%s: bulwark_fleet_local_counts_total = 0 with Redis down, want the counts made alone", f.name)
			}
		}
		rs.Start(t)
		for _, f := range gws {
			testutil.Eventually(t, f.name+" to count through Redis again", func() bool { return f.metric(t, "bulwark_fleet_redis_up") == 1 })
		}
		for i := range 10 {
			if got := loginAs(t, next().pub, "198.51.100.41", "dave", fmt.Sprintf("g%d", i)); got != http.StatusUnauthorized {
				t.Fatalf("after the outage, failed login %d = %d, want 401", i+1, got)
			}
		}
		if got := loginAs(t, next().pub, "198.51.100.41", "dave", "x"); got != http.StatusTooManyRequests && got != http.StatusForbidden {
			t.Errorf("after the outage, the 11th login = %d, want 429 or 403: shared counting resumed", got)
		}
	})
	_ = io.Discard
}

// fleetPairLimit sends 10 failed logins of user from ip, spread by next
// over the fleet, and checks that every gateway refuses the 11th, the
// right password or not: each saw 3 or 4, and alone none would refuse.
func fleetPairLimit(t *testing.T, gws []*fleetGateway, next func() *fleetGateway, ip, user string) {
	t.Helper()
	for i := range 10 {
		if got := loginAs(t, next().pub, ip, user, fmt.Sprintf("guess-%d", i)); got != http.StatusUnauthorized {
			t.Fatalf("failed login %d = %d, want the app's 401", i+1, got)
		}
	}
	for _, f := range gws {
		if got := loginAs(t, f.pub, ip, user, "hunter2-but-longer"); got != http.StatusTooManyRequests && got != http.StatusForbidden {
			t.Errorf("11th login, on %s, with the right password = %d, want 429 or 403 from the gateway", f.name, got)
		}
	}
}

// fleetStuffingBan sends failed logins of 9 usernames from ip over the
// fleet, checks that no gateway bans yet, then a 10th, after which every
// gateway refuses ip.
func fleetStuffingBan(t *testing.T, gws []*fleetGateway, next func() *fleetGateway, ip string) {
	t.Helper()
	for i := range 9 {
		if got := loginAs(t, next().pub, ip, fmt.Sprintf("stuffed%d", i), "x"); got != http.StatusUnauthorized {
			t.Fatalf("failed login %d = %d, want 401", i+1, got)
		}
	}
	scenariosCaughtUp(t, gws, "192.0.2.10") // the scenarios follow the bus: a wrong ban is decided by now
	for _, f := range gws {
		if got := getAs(t, f.pub, ip, "/"); got != http.StatusOK {
			t.Fatalf("after 9 usernames, %s answered %s with %d, want 200", f.name, ip, got)
		}
	}
	loginAs(t, next().pub, ip, "stuffed9", "x")
	for _, f := range gws {
		testutil.Eventually(t, f.name+" to refuse the stuffer", func() bool { return getAs(t, f.pub, ip, "/") == http.StatusForbidden })
	}
}

// fleetAttackBan sends 4 blocked attacks from ip over the fleet, checks
// that no gateway bans yet, then a 5th, after which every gateway refuses
// ip.
func fleetAttackBan(t *testing.T, gws []*fleetGateway, next func() *fleetGateway, ip string) {
	t.Helper()
	for i := range 4 {
		if got := getAs(t, next().pub, ip, "/api/products?id=1%27%20OR%201=1--"+strconv.Itoa(i)); got != http.StatusForbidden {
			t.Fatalf("attack %d = %d, want 403 (blocked)", i+1, got)
		}
	}
	scenariosCaughtUp(t, gws, "192.0.2.11")
	for _, f := range gws {
		if got := getAs(t, f.pub, ip, "/"); got != http.StatusOK {
			t.Fatalf("after 4 attacks, %s answered %s with %d, want 200: banned too early", f.name, ip, got)
		}
	}
	getAs(t, next().pub, ip, "/api/products?id=1%27%20OR%201=1--4")
	for _, f := range gws {
		testutil.Eventually(t, f.name+" to refuse the attacker", func() bool { return getAs(t, f.pub, ip, "/") == http.StatusForbidden })
	}
}

// scenariosCaughtUp returns once every gateway's scenarios have decided
// on every event the gateway published before the call: it sends each a
// /.env probe from a fresh address (prefix and a digit), which
// sensitive-probe bans at its first request, and waits until that gateway
// refuses the address. A gateway's scenarios take its events in order and
// carry out a ban before the next, so a wrong ban of an earlier event has
// been carried out by then.
func scenariosCaughtUp(t *testing.T, gws []*fleetGateway, prefix string) {
	t.Helper()
	for i, f := range gws {
		ip := prefix + strconv.Itoa(i+1)
		getAs(t, f.pub, ip, "/.env")
		testutil.Eventually(t, f.name+" to ban the marker probe from "+ip, func() bool { return getAs(t, f.pub, ip, "/") == http.StatusForbidden })
	}
}

// eventsCaughtUp returns once every gateway's events file holds every
// event the gateway published before the call: it sends each a blocked
// attack from a fresh address (prefix and a digit) and waits for its
// attack-blocked line, written after all the lines before it.
func eventsCaughtUp(t *testing.T, gws []*fleetGateway, prefix string) {
	t.Helper()
	for i, f := range gws {
		ip := prefix + strconv.Itoa(i+1)
		if got := getAs(t, f.pub, ip, "/api/products?id=1%27%20OR%201=1--"); got != http.StatusForbidden {
			t.Fatalf("marker attack from %s on %s = %d, want 403 (blocked)", ip, f.name, got)
		}
		events := filepath.Join(f.dir, "events.jsonl")
		testutil.Eventually(t, f.name+"'s events file to hold the marker attack from "+ip, func() bool { return countEvents(t, events, "attack-blocked", ip) == 1 })
	}
}

// consoleLogin posts password to the console's login on the admin
// listener adm and returns the status.
func consoleLogin(t *testing.T, adm, password string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+adm+"/console/login", strings.NewReader(url.Values{"password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("POST /console/login on %s: %v", adm, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// getWithCookie sends GET / to the gateway at pub as ip with the cookie
// and returns the status.
func getWithCookie(t *testing.T, pub, ip string, c *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+pub+"/", nil)
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("User-Agent", browserUA)
	req.AddCookie(c)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("GET / on %s: %v", pub, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
