package limit

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// redisClient is how a gateway should talk to Redis: context deadlines honoured,
// no retries (the limiter falls back instead).
func redisClient(t testing.TB, srv *testutil.Redis) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
	})
	t.Cleanup(func() { c.Close() })
	return c
}

func newSharedLimiter(t *testing.T, cfg Config, c redis.UniversalClient, logs *testutil.SyncBuffer) *Limiter {
	l, err := New(cfg, Options{Redis: c, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// waitShared pokes both limiters until both decide through Redis again.
func waitShared(t *testing.T, ls ...*Limiter) {
	t.Helper()
	poke := netip.MustParseAddr("192.0.2.250")
	testutil.Eventually(t, "both limiters deciding through Redis again", func() bool {
		up := true
		for _, l := range ls {
			l.Allow(poke, "GET", "/poke")
			up = up && l.shared.up.Load()
		}
		return up
	})
}

// count sends n requests from ip through l and returns how many passed.
func count(l *Limiter, ip netip.Addr, n int) int {
	ok := 0
	for range n {
		if l.Allow(ip, "GET", "/").Allowed {
			ok++
		}
	}
	return ok
}

func TestRedisSharedBudgetAndOutage(t *testing.T) {
	srv := testutil.StartRedis(t)
	cfg := Config{
		PerIP:      Limit{Rate: mustRate("1/m"), Burst: 5},
		PerNetwork: Network{Rate: mustRate("1/m"), Burst: 1000},
		Routes:     []Route{{Name: "login", Paths: []string{"/login"}, Rate: mustRate("1/h"), Burst: 2, Per: "global"}},
	}
	var logsA, logsB testutil.SyncBuffer
	a := newSharedLimiter(t, cfg, redisClient(t, srv), &logsA)
	b := newSharedLimiter(t, cfg, redisClient(t, srv), &logsB)

	// Two gateways, one budget.
	x := netip.MustParseAddr("198.51.100.1")
	if n := count(a, x, 3); n != 3 {
		t.Fatalf("gateway A: %d of 3 allowed", n)
	}
	if n := count(b, x, 10); n != 2 {
		t.Fatalf("gateway B after A took 3 of a burst of 5: %d allowed, want 2", n)
	}
	d := a.Allow(x, "GET", "/")
	if d.Allowed || d.Limit != "perIP" || d.Key != netip.MustParsePrefix("198.51.100.1/32") || d.RetryAfter <= 0 || d.RetryAfter > time.Minute {
		t.Fatalf("gateway A after the shared burst: %+v; want refused by perIP with a retry within 1m", d)
	}
	// A global route group is one budget across gateways and clients.
	if !a.Allow(netip.MustParseAddr("192.0.2.1"), "POST", "/login").Allowed || !b.Allow(netip.MustParseAddr("192.0.2.2"), "POST", "/login").Allowed {
		t.Fatal("the first two logins were refused")
	}
	if d := a.Allow(netip.MustParseAddr("192.0.2.3"), "POST", "/login"); d.Allowed || d.Limit != "route:login" {
		t.Fatalf("third login across two gateways: %+v; want refused by route:login", d)
	}
	rc := redisClient(t, srv)
	if ttl, err := rc.PTTL(context.Background(), "bulwark:{rl}:ip:198.51.100.1/32").Result(); err != nil || ttl <= 0 || ttl > 6*time.Minute {
		t.Errorf("PTTL of the client's key = %v, %v; want a positive expiry within 5m (its debt)", ttl, err)
	}

	// Redis goes away: what was known is still enforced, a new client gets
	// its local budget, nothing panics, and the fault is logged once.
	srv.Stop()
	for range 50 {
		if d := a.Allow(x, "GET", "/"); d.Allowed {
			t.Fatalf("with Redis down, gateway A let the limited client through: %+v", d)
		}
	}
	if d := b.Allow(x, "GET", "/"); d.Allowed {
		t.Fatalf("with Redis down, gateway B let the limited client through: %+v", d)
	}
	y := netip.MustParseAddr("203.0.113.9")
	if n := count(a, y, 20); n != 5 {
		t.Errorf("with Redis down, a new client on A: %d of 20 allowed, want its local burst of 5", n)
	}
	if n := logsA.Count("redis unavailable"); n != 1 {
		t.Errorf("gateway A logged the outage %d times, want once:\n%s", n, logsA.String())
	}
	if a.shared.up.Load() {
		t.Error("gateway A still decides through Redis while it is down")
	}

	// Redis comes back on the same port: shared again, and what A enforced
	// alone (y used its burst) reaches B.
	srv.Start(t)
	waitShared(t, a, b)
	if n := logsA.Count("redis answers again"); n != 1 {
		t.Errorf("gateway A logged the recovery %d times, want once", n)
	}
	if d := b.Allow(y, "GET", "/"); d.Allowed {
		t.Errorf("after Redis came back, gateway B let through a client that A had limited during the outage: %+v", d)
	}
	z := netip.MustParseAddr("203.0.113.77")
	if na, nb := count(a, z, 3), count(b, z, 10); na != 3 || nb != 2 {
		t.Errorf("shared again: A allowed %d of 3, B %d of 10; want 3 and 2 (one burst of 5)", na, nb)
	}
}

// TestRedisStalls: a Redis that accepts but does not answer costs one
// request the timeout, then requests are decided locally. The client
// itself would wait for ever (no read timeout), so only RedisTimeout
// brings Allow back: the test asserts that it returns, not how fast.
func TestRedisStalls(t *testing.T) {
	srv := testutil.StartRedis(t)
	var logs testutil.SyncBuffer
	c := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: -1, WriteTimeout: -1, // no timeouts of its own
	})
	t.Cleanup(func() { c.Close() })
	l := newSharedLimiter(t, onlyPerIP("1/m", 3), c, &logs)
	ip := netip.MustParseAddr("198.51.100.5")
	if !l.Allow(ip, "GET", "/").Allowed {
		t.Fatal("first request refused")
	}
	srv.Signal(syscall.SIGSTOP)
	defer srv.Signal(syscall.SIGCONT)
	allowed := make(chan Decision, 1)
	go func() { allowed <- l.Allow(ip, "GET", "/") }()
	var d Decision
	testutil.Eventually(t, "Allow back from a stalled Redis (RedisTimeout not honoured?)", func() bool {
		select {
		case d = <-allowed:
			return true
		default:
			return false
		}
	})
	if !d.Allowed || l.shared.up.Load() {
		t.Fatalf("against a stalled Redis: %+v, shared %v; want allowed locally", d, l.shared.up.Load())
	}
	if n := count(l, ip, 10); n != 1 {
		t.Errorf("locally, after 2 of a burst of 3: %d allowed, want 1", n)
	}
	if !strings.Contains(logs.String(), "redis unavailable") {
		t.Errorf("no log line for the stall:\n%s", logs.String())
	}
	srv.Signal(syscall.SIGCONT)
	waitShared(t, l)
}

func TestRedisKeys(t *testing.T) {
	l := newTestLimiter(t, Config{Routes: []Route{{Name: "login", Paths: []string{"/l"}, Rate: mustRate("1/s")}}}, nil)
	ip := netip.MustParseAddr("2001:db8:aa:bb:1::1")
	var got []string
	for _, r := range l.allRules() {
		got = append(got, l.redisKey(check{r, keyOf(ip, r.kind, l.v4bits, l.v6bits)}, ip))
	}
	want := "bulwark:{rl}:route:login:2001:db8:aa:bb::/64 bulwark:{rl}:ip:2001:db8:aa:bb::/64 bulwark:{rl}:net:2001:db8:aa::/48"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("keys = %s\nwant   %s", s, want)
	}
	if k := l.redisKey(check{l.rules[0], 0}, netip.Addr{}); k != "bulwark:{rl}:ip:unknown" {
		t.Errorf("key for an unknown address = %s", k)
	}
	// store.redis.prefix reaches the limits' keys, so fleets sharing one
	// Redis keep apart.
	shop := newTestLimiter(t, Config{RedisPrefix: "shop-prod"}, nil)
	if k := shop.redisKey(check{shop.rules[0], keyOf(ip, shop.rules[0].kind, shop.v4bits, shop.v6bits)}, ip); k != "shop-prod:{rl}:ip:2001:db8:aa:bb::/64" {
		t.Errorf("key with prefix shop-prod = %s", k)
	}
}
