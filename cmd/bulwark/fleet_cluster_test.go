package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// waitShared waits until every gateway reaches Redis.
func waitShared(t *testing.T, gws []*fleetGateway) {
	t.Helper()
	for _, f := range gws {
		testutil.Eventually(t, "gateway "+f.name+" to reach Redis", func() bool {
			return strings.Contains(f.g.log.String(), "black book: Redis reachable")
		})
	}
}

// roundRobin returns a function giving the gateways in turn, as a load
// balancer does.
func roundRobin(gws []*fleetGateway) func() *fleetGateway {
	rr := 0
	return func() *fleetGateway { rr++; return gws[rr%len(gws)] }
}

// TestFleetOnRedisCluster runs three gateways on a real Redis Cluster of
// three masters: every script's keys sit on one shard, so the fleet
// counts as one there too.
func TestFleetOnRedisCluster(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real Redis Cluster, an app and three gateways (runs in CI)")
	}
	addrs := startRedisCluster(t)
	app := testutil.StartExpressApp(t).URL()
	gws := startFleetOn(t, 3, app, fmt.Sprintf("{cluster: [%s], prefix: fleet-cluster}", strings.Join(addrs, ", ")))
	waitShared(t, gws)
	next := roundRobin(gws)
	t.Run("user+address limit after 10 failures fleet-wide", func(t *testing.T) {
		fleetPairLimit(t, gws, next, "198.51.100.10", "bob")
	})
	t.Run("credential stuffing banned at 10 usernames fleet-wide", func(t *testing.T) {
		fleetStuffingBan(t, gws, next, "198.51.100.20")
	})
	t.Run("attack scenario bans at the 5th blocked attack fleet-wide", func(t *testing.T) {
		fleetAttackBan(t, gws, next, "198.51.100.30")
	})
	for _, f := range gws {
		if up := f.metric(t, "bulwark_fleet_redis_up"); up != 1 {
			t.Errorf("%s: bulwark_fleet_redis_up = %v on the Cluster, want 1: the counts above were local", f.name, up)
		}
		if log := f.g.log.String(); strings.Contains(log, "CROSSSLOT") {
			t.Errorf("%s: a script's keys spanned shards:\n%s", f.name, log)
		}
	}
}

// TestFleetOnRedisSentinel runs three gateways on a master, a replica and
// a sentinel; the master is killed in the middle of a password guesser's
// run: no request fails, the sentinel promotes the replica, the gateways
// follow it, and the guesser is still stopped after 10 failures
// fleet-wide.
func TestFleetOnRedisSentinel(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real Redis master, replica and sentinel, an app and three gateways (runs in CI)")
	}
	rs := startRedisSentinel(t)
	app := testutil.StartExpressApp(t).URL()
	gws := startFleetOn(t, 3, app, fmt.Sprintf("{sentinel: {master: mymaster, addresses: [%q]}, prefix: fleet-sentinel}", rs.sentinel.addr))
	waitShared(t, gws)
	next := roundRobin(gws)
	const ip, user = "198.51.100.50", "erin"
	for i := range 5 {
		if got := loginAs(t, next().pub, ip, user, fmt.Sprintf("a%d", i)); got != http.StatusUnauthorized {
			t.Fatalf("failed login %d = %d, want the app's 401", i+1, got)
		}
	}
	// The replica has the counts before the master dies (replication is
	// asynchronous: wait for it, as a failover after a quiet second would).
	rc, mc := rs.replica.client(t), rs.master.client(t)
	testutil.Eventually(t, "the replica to catch up", func() bool {
		m, _ := mc.Info(t.Context(), "replication").Result()
		r, _ := rc.Info(t.Context(), "replication").Result()
		return offset(m, "master_repl_offset:") != "" && offset(m, "master_repl_offset:") == offset(r, "slave_repl_offset:")
	})
	old := rs.master.addr
	rs.master.kill()
	failedOver := time.Now()
	for i := range 3 {
		if got := loginAs(t, next().pub, ip, user, fmt.Sprintf("b%d", i)); got >= 500 {
			t.Fatalf("with the master dead, failed login %d = %d: a request failed", i+6, got)
		}
	}
	testutil.Eventually(t, "the sentinel to promote the replica", func() bool { a := rs.masterAddr(t); return a != "" && a != old })
	for _, f := range gws {
		testutil.Eventually(t, f.name+" to count through the new master", func() bool { return f.metric(t, "bulwark_fleet_redis_up") == 1 })
	}
	t.Logf("failover: the fleet counted through the new master %s after the old one's death", time.Since(failedOver).Round(100*time.Millisecond))
	for i := range 2 {
		if got := loginAs(t, next().pub, ip, user, fmt.Sprintf("c%d", i)); got != http.StatusUnauthorized {
			t.Fatalf("failed login %d, after the failover = %d, want 401", i+9, got)
		}
	}
	for _, f := range gws {
		if got := loginAs(t, f.pub, ip, user, "hunter2-but-longer"); got != http.StatusTooManyRequests && got != http.StatusForbidden {
			t.Errorf("11th login, on %s, after the failover = %d, want 429 or 403: the fleet lost count", f.name, got)
		}
	}
	t.Run("credential stuffing banned at 10 usernames after the failover", func(t *testing.T) {
		fleetStuffingBan(t, gws, next, "198.51.100.60")
	})
}

// offset reads the number after key in an INFO reply.
func offset(info, key string) string {
	i := strings.Index(info, key)
	if i < 0 {
		return ""
	}
	v := info[i+len(key):]
	if j := strings.IndexAny(v, "\r\n"); j >= 0 {
		v = v[:j]
	}
	return v
}
