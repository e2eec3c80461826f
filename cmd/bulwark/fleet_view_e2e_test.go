package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fleetAttacks reads the attacks GET /v1/events lists on f's admin
// listener: the gateway each names (observer.name) by source address, and
// how often each event id is listed.
func fleetAttacks(t *testing.T, f *fleetGateway) (byIP map[string][]string, ids map[string]int) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+f.adm+"/v1/events?category=malicious&limit=1000", nil)
	req.Header.Set("Authorization", "Bearer "+fleetToken)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("GET /v1/events of %s: %v", f.name, err)
	}
	defer resp.Body.Close()
	var out struct {
		Events []struct {
			Event    struct{ ID string }
			Source   struct{ IP string }
			Observer struct{ Name string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET /v1/events of %s: %v", f.name, err)
	}
	byIP, ids = map[string][]string{}, map[string]int{}
	for _, e := range out.Events {
		byIP[e.Source.IP] = append(byIP[e.Source.IP], e.Observer.Name)
		ids[e.Event.ID]++
	}
	return byIP, ids
}

// attacksDiffer says how f's list differs from sent (source address →
// the gateway it was sent to): "" when it lists every attack, each naming
// its gateway, and none twice.
func attacksDiffer(t *testing.T, f *fleetGateway, sent map[string]string) string {
	byIP, ids := fleetAttacks(t, f)
	var diffs []string
	for ip, gw := range sent {
		names := byIP[ip]
		if len(names) == 0 {
			diffs = append(diffs, ip+" (sent to "+gw+") missing")
		}
		for _, n := range names {
			if n != gw {
				diffs = append(diffs, fmt.Sprintf("%s names gateway %q, sent to %s", ip, n, gw))
			}
		}
	}
	for ip := range byIP {
		if _, ok := sent[ip]; !ok {
			diffs = append(diffs, "unexpected attack from "+ip)
		}
	}
	for id, n := range ids {
		if n > 1 {
			diffs = append(diffs, fmt.Sprintf("event %s listed %d times", id, n))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}

// offenceCounts reads the offences of ip, by class, in f's black book.
func offenceCounts(t *testing.T, f *fleetGateway, ip string) map[string]int64 {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+f.adm+"/v1/offenders/"+ip, nil)
	req.Header.Set("Authorization", "Bearer "+fleetToken)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("GET /v1/offenders/%s of %s: %v", ip, f.name, err)
	}
	defer resp.Body.Close()
	var o struct{ Counts map[string]int64 }
	json.NewDecoder(resp.Body).Decode(&o)
	return o.Counts
}

// startNamedFleet runs three gateways, gw-a, gw-b and gw-c, in front of
// app with store.redis set to the flow mapping {redis, name: …}, and waits
// until each reaches Redis.
func startNamedFleet(t *testing.T, app, redis string) []*fleetGateway {
	t.Helper()
	var gws []*fleetGateway
	for _, name := range []string{"gw-a", "gw-b", "gw-c"} {
		f := startFleetOn(t, 1, app, "{"+redis+", name: "+name+"}")[0]
		f.name = name
		gws = append(gws, f)
	}
	for _, f := range gws {
		testutil.Eventually(t, "gateway "+f.name+" to reach Redis", func() bool {
			return strings.Contains(f.g.log.String(), "black book: Redis reachable")
		})
	}
	return gws
}

// sendAttack sends a SQL injection from ip to f, which must block it.
func sendAttack(t *testing.T, f *fleetGateway, ip string) {
	t.Helper()
	if got := getAs(t, f.pub, ip, "/api/products?id=1%27%20OR%201=1--"); got != http.StatusForbidden {
		t.Fatalf("attack from %s on %s = %d, want 403 (blocked)", ip, f.name, got)
	}
}

// seriesRequests reads the requests GET /v1/series on f counts over the
// last hour.
func seriesRequests(t *testing.T, f *fleetGateway) float64 {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+f.adm+"/v1/series?window=1h", nil)
	req.Header.Set("Authorization", "Bearer "+fleetToken)
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("GET /v1/series of %s: %v", f.name, err)
	}
	defer resp.Body.Close()
	var s struct{ Totals map[string]float64 }
	json.NewDecoder(resp.Body).Decode(&s)
	return s.Totals["requests"]
}

// waitAttacks waits, up to 30s, until f lists exactly sent, and fails
// with the difference if it does not.
func waitAttacks(t *testing.T, f *fleetGateway, sent map[string]string, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		diff := attacksDiffer(t, f, sent)
		if diff == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s's /v1/events after 30s: %s", what, f.name, diff)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestFleetViewListsEveryGatewaysAttacks runs three gateways, each named,
// on one real redis-server: attacks sent round-robin are listed by
// /v1/events on every gateway, each naming the gateway it was sent to,
// none twice. With Redis killed each still lists its own new attacks; the
// others' arrive once Redis is back.
func TestFleetViewListsEveryGatewaysAttacks(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real Redis, an app and three gateways (runs in CI)")
	}
	rs := testutil.StartRedis(t)
	app := testutil.StartExpressApp(t).URL()
	gws := startNamedFleet(t, app, fmt.Sprintf("address: %q, prefix: fleet-view", rs.Addr()))
	sent := map[string]string{}
	attack := func(t *testing.T, f *fleetGateway, ip string) { sendAttack(t, f, ip); sent[ip] = f.name }
	for i := range 9 { // one address each: no ban gets in the way
		attack(t, gws[i%3], fmt.Sprintf("198.51.100.%d", 10+i))
	}
	for _, f := range gws {
		waitAttacks(t, f, sent, "the attacks sent to all three")
	}

	t.Run("the console's traffic page lists them", func(t *testing.T) {
		if _, err := os.Stat(chromiumPath); err != nil {
			testutil.RealPartMissing(t, "Chromium is not at "+chromiumPath+": apt-get install chromium")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		ctx = newBrowser(t, ctx)
		console := "http://" + gws[1].adm + "/console/"
		for i, st := range []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(console),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), fleetToken),
			chromedp.Click(chromedp.CSS("#login")),
			chromedp.WaitVisible(chromedp.CSS(`body[data-page="overview"]`)),
			chromedp.Navigate(console + "traffic"),
		} {
			sctx, c := context.WithTimeout(ctx, 20*time.Second)
			err := chromedp.Do(sctx, st)
			c()
			if err != nil {
				t.Fatalf("console of %s, step %d: %v", gws[1].name, i, err)
			}
		}
		want, _ := json.Marshal(sent)
		// Every attack is a row naming the gateway it was sent to.
		js := `(() => { const rows = [...document.querySelectorAll('#events tbody tr.clickable')];
			return Object.entries(` + string(want) + `).every(([ip, gw]) =>
				rows.filter((r) => r.textContent.includes(ip)).length === 1 &&
				rows.find((r) => r.textContent.includes(ip)).querySelector('.gateway')?.textContent === gw); })()`
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond),
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#events').innerText`))
			t.Fatalf("%s's traffic page does not list every attack once, naming its gateway (%s): %v\n%s", gws[1].name, want, err, text)
		}
	})

	t.Run("offenders' dossiers cover the fleet", func(t *testing.T) {
		for ip, gw := range sent {
			var own map[string]int64
			for _, f := range gws {
				if f.name == gw {
					testutil.Eventually(t, gw+" to record "+ip+"'s offence", func() bool { own = offenceCounts(t, f, ip); return len(own) > 0 })
				}
			}
			for _, f := range gws {
				testutil.Eventually(t, f.name+"'s dossier of "+ip+" to count what "+gw+" saw", func() bool {
					return fmt.Sprint(offenceCounts(t, f, ip)) == fmt.Sprint(own)
				})
			}
		}
	})

	t.Run("series count the fleet's requests", func(t *testing.T) {
		total := 0.0
		for _, f := range gws {
			total += f.metric(t, "bulwark_http_requests_total")
		}
		if total < 9 {
			t.Fatalf("the gateways answered %v requests in all, want at least the 9 attacks", total)
		}
		for _, f := range gws {
			testutil.Eventually(t, f.name+"'s series to count the fleet's requests", func() bool {
				return seriesRequests(t, f) == total
			})
		}
	})

	t.Run("redis killed and restarted", func(t *testing.T) {
		rs.Stop()
		down := map[string]string{}
		for i, f := range gws {
			ip := fmt.Sprintf("203.0.113.%d", 10+i)
			attack(t, f, ip)
			down[ip] = f.name
		}
		for _, f := range gws {
			testutil.Eventually(t, f.name+" to list its own attack while Redis is down", func() bool {
				byIP, _ := fleetAttacks(t, f)
				for ip, gw := range down {
					if gw == f.name && len(byIP[ip]) == 0 {
						return false
					}
				}
				return true
			})
			byIP, _ := fleetAttacks(t, f)
			for ip, gw := range down {
				if gw != f.name && len(byIP[ip]) > 0 {
					t.Errorf("%s lists %s's attack from %s while Redis is down", f.name, gw, ip)
				}
			}
		}
		rs.Start(t)
		for _, f := range gws {
			waitAttacks(t, f, sent, "the others' attacks after Redis is back")
		}
	})

	t.Run("a malformed entry is skipped with a log", func(t *testing.T) {
		rc := redis.NewClient(&redis.Options{Addr: rs.Addr()})
		defer rc.Close()
		id, err := rc.XAdd(t.Context(), &redis.XAddArgs{Stream: "fleet-view:{view}:events",
			Values: []any{"g", "intruder", "i", "x", "e", "{not json"}}).Result()
		if err != nil {
			t.Fatal(err)
		}
		attack(t, gws[0], "198.51.100.99")
		for _, f := range gws {
			waitAttacks(t, f, sent, "the attack sent after a malformed entry")
			if log := f.g.log.String(); !strings.Contains(log, "skipped a malformed entry") || !strings.Contains(log, id) {
				t.Errorf("%s did not log the malformed entry %s:\n%s", f.name, id, log)
			}
		}
	})
	for _, f := range gws {
		if diff := attacksDiffer(t, f, sent); diff != "" {
			t.Errorf("%s's /v1/events: %s", f.name, diff)
		}
	}
}

// TestFleetViewOnRedisCluster: on a 3-master Redis Cluster, the fleet's
// stream (one key, one shard) gives every gateway every attack.
func TestFleetViewOnRedisCluster(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real Redis Cluster, an app and three gateways (runs in CI)")
	}
	addrs := startRedisCluster(t)
	app := testutil.StartExpressApp(t).URL()
	gws := startNamedFleet(t, app, fmt.Sprintf("cluster: [%s], prefix: fleet-view-cluster", strings.Join(addrs, ", ")))
	sent := map[string]string{}
	for i := range 6 {
		f := gws[i%3]
		ip := fmt.Sprintf("198.51.100.%d", 40+i)
		sendAttack(t, f, ip)
		sent[ip] = f.name
	}
	for _, f := range gws {
		waitAttacks(t, f, sent, "the attacks sent to all three, on a Cluster")
		if log := f.g.log.String(); strings.Contains(log, "fleet view:") {
			t.Errorf("%s logged trouble with the fleet's stream:\n%s", f.name, log)
		}
	}
}
