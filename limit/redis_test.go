package limit

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// clientWithoutTimeouts is a client of srv with no read or write timeout of
// its own: only the limiter's RedisTimeout brings a stalled call back.
func clientWithoutTimeouts(t *testing.T, srv *testutil.Redis) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: -1, WriteTimeout: -1,
	})
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRedisStalls: a Redis that accepts but does not answer costs one
// request the timeout, then requests are decided locally. The client
// itself would wait for ever (no read timeout), so only RedisTimeout
// brings Allow back: the test asserts that it returns, not how fast.
func TestRedisStalls(t *testing.T) {
	srv := testutil.StartRedis(t)
	var logs testutil.SyncBuffer
	c := clientWithoutTimeouts(t, srv)
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

// trips counts a client's round trips to Redis that carry checks: a script
// run carrying one check (alone) or several (grouped, carrying them), or a
// pipeline of scripts (the client's own commands on a new connection are
// not counted). While gate is set, the first round trip waits for it to
// close, ignoring the command's deadline as a stuck connection would
// (bounded: countedClient releases it when the test ends), so a test can
// hold a round trip in flight and watch checks queue behind it.
type trips struct {
	alone, grouped, carried, pipelines atomic.Int64
	gate                               chan struct{}
	once                               sync.Once
	held                               atomic.Bool // the first round trip reached the gate
}

// release opens the gate.
func (c *trips) release() { c.once.Do(func() { close(c.gate) }) }

func (c *trips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *trips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if isScript(cmd) {
			if n := checksIn(cmd); n == 1 {
				c.alone.Add(1)
			} else {
				c.grouped.Add(1)
				c.carried.Add(int64(n))
			}
			c.wait()
		}
		return next(ctx, cmd)
	}
}

func (c *trips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && isScript(cmds[0]) {
			c.pipelines.Add(1)
			c.wait()
		}
		return next(ctx, cmds)
	}
}

func isScript(cmd redis.Cmder) bool { return cmd.Name() == "evalsha" || cmd.Name() == "eval" }

// checksIn is the number of checks a run of checkScript carries: its
// ARGV[1], after the script, the key count and the keys.
func checksIn(cmd redis.Cmder) int {
	args := cmd.Args()
	nkeys, _ := args[2].(int)
	n, _ := args[3+nkeys].(int)
	return n
}

func (c *trips) wait() {
	if c.gate != nil && c.held.CompareAndSwap(false, true) {
		<-c.gate
	}
}

func (c *trips) total() int64 { return c.alone.Load() + c.grouped.Load() + c.pipelines.Load() }

// countedClient is redisClient with trips counted, the check script
// already loaded (so no EVALSHA is sent twice) and a connection open.
func countedClient(t testing.TB, srv *testutil.Redis, gate chan struct{}) (*redis.Client, *trips) {
	c := redisClient(t, srv)
	if err := checkScript.Load(context.Background(), c).Err(); err != nil {
		t.Fatal(err)
	}
	rt := &trips{gate: gate}
	if gate != nil {
		t.Cleanup(rt.release)
	}
	c.AddHook(rt)
	return c, rt
}

// TestRedisGroupedExact: goroutines on two gateways sharing one Redis, each
// gateway grouping its concurrent checks, let exactly the budgets through:
// a client's burst, and a login route group's global burst that clients
// reach only as far as their own per-IP burst lets them (refusals by one
// limit store nothing for the others).
func TestRedisGroupedExact(t *testing.T) {
	srv := testutil.StartRedis(t)
	cfg := Config{
		PerIP:      Limit{Rate: mustRate("1/h"), Burst: 25},
		PerNetwork: Network{Disable: true},
		Routes:     []Route{{Name: "login", Paths: []string{"/login"}, Rate: mustRate("1/h"), Burst: 37, Per: "global"}},
	}
	var logs testutil.SyncBuffer
	ca, ta := countedClient(t, srv, nil)
	cb, tb := countedClient(t, srv, nil)
	ls := [2]*Limiter{newSharedLimiter(t, cfg, ca, &logs), newSharedLimiter(t, cfg, cb, &logs)}
	for _, l := range ls {
		l.shared.timeout = 10 * time.Second // a slow machine is not an outage here
		l.shared.batch.timeout = 10 * time.Second
	}
	const goroutines, each = 16, 40
	x := netip.MustParseAddr("198.51.100.7")
	var xAllowed, loginAllowed atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			own := netip.AddrFrom4([4]byte{203, 0, 113, byte(g)})
			for i := range each {
				l := ls[(g+i)%2]
				if g%2 == 0 {
					if l.Allow(x, "GET", "/").Allowed {
						xAllowed.Add(1)
					}
				} else if l.Allow(own, "POST", "/login").Allowed {
					loginAllowed.Add(1)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if !ls[0].shared.up.Load() || !ls[1].shared.up.Load() {
		t.Fatalf("a gateway fell back to local counting; the counts are not the shared ones:\n%s", logs.String())
	}
	if n := xAllowed.Load(); n != 25 {
		t.Errorf("one client through two grouping gateways: %d allowed, want exactly its burst of 25", n)
	}
	if n := loginAllowed.Load(); n != 37 {
		t.Errorf("logins from 8 clients through two grouping gateways: %d allowed, want exactly the group's burst of 37", n)
	}
	checks := int64(goroutines * each)
	t.Logf("%d checks, %d round trips (%d alone, %d grouped carrying %d)", checks, ta.total()+tb.total(),
		ta.alone.Load()+tb.alone.Load(), ta.grouped.Load()+tb.grouped.Load(), ta.carried.Load()+tb.carried.Load())
	if ta.total()+tb.total() >= checks {
		t.Errorf("%d concurrent checks took %d round trips: not grouped", checks, ta.total()+tb.total())
	}
}

// holdFirstTrip starts one check that holds the limiter's first round trip
// at the gate, and returns its decision's channel once it is held.
func holdFirstTrip(t *testing.T, l *Limiter, rt *trips, ip netip.Addr) chan Decision {
	t.Helper()
	out := make(chan Decision, 1)
	go func() { out <- l.Allow(ip, "GET", "/") }()
	testutil.Eventually(t, "the first check in flight, held", rt.held.Load)
	return out
}

func queued(l *Limiter) int {
	l.shared.batch.mu.Lock()
	defer l.shared.batch.mu.Unlock()
	return len(l.shared.batch.queue)
}

// TestRedisGroupCommit: checks arriving while a round trip is in flight
// wait and go together in the next one: K checks, two round trips, and each
// request still its own decision (one client's remaining budget counts down
// through every value once).
func TestRedisGroupCommit(t *testing.T) {
	srv := testutil.StartRedis(t)
	gate := make(chan struct{})
	c, rt := countedClient(t, srv, gate)
	var logs testutil.SyncBuffer
	l := newSharedLimiter(t, onlyPerIP("1/h", 100), c, &logs)
	l.shared.timeout = 10 * time.Second
	l.shared.batch.timeout = 10 * time.Second
	const k = 32
	ip := netip.MustParseAddr("198.51.100.8")
	first := holdFirstTrip(t, l, rt, ip)
	rest := make(chan Decision, k-1)
	for range k - 1 {
		go func() { rest <- l.Allow(ip, "GET", "/") }()
	}
	testutil.Eventually(t, fmt.Sprintf("%d checks queued behind the one in flight", k-1), func() bool { return queued(l) == k-1 })
	rt.release()
	got := []int{(<-first).Remaining}
	for range k - 1 {
		d := <-rest
		if !d.Allowed {
			t.Fatalf("a check within the burst was refused: %+v", d)
		}
		got = append(got, d.Remaining)
	}
	if n := rt.total(); n != 2 || rt.grouped.Load() != 1 || rt.carried.Load() != k-1 {
		t.Errorf("%d checks: %d round trips (%d alone, %d grouped carrying %d); want 2: one alone, then one script run of %d",
			k, n, rt.alone.Load(), rt.grouped.Load(), rt.carried.Load(), k-1)
	}
	slices.Sort(got)
	for i, r := range got {
		if r != 100-k+i {
			t.Fatalf("remaining budgets %v; want each of %d..%d once (one decision per request)", got, 100-k, 99)
		}
	}
	if !l.shared.up.Load() {
		t.Fatalf("fell back to local counting:\n%s", logs.String())
	}
}

// TestRedisLoneCheck: with no concurrency each check goes at once, alone:
// one round trip per request, never grouped, and nothing left waiting.
func TestRedisLoneCheck(t *testing.T) {
	srv := testutil.StartRedis(t)
	c, rt := countedClient(t, srv, nil)
	var logs testutil.SyncBuffer
	l := newSharedLimiter(t, onlyPerIP("1/h", 100), c, &logs)
	ip := netip.MustParseAddr("198.51.100.9")
	for i := range 10 {
		d := l.Allow(ip, "GET", "/")
		if !d.Allowed || d.Remaining != 99-i {
			t.Fatalf("check %d: %+v; want allowed with %d remaining", i, d, 99-i)
		}
		if q := queued(l); q != 0 {
			t.Fatalf("check %d left %d checks queued", i, q)
		}
	}
	if rt.alone.Load() != 10 || rt.grouped.Load()+rt.pipelines.Load() != 0 {
		t.Errorf("10 sequential checks: %d sent alone, %d grouped; want 10 alone, none grouped", rt.alone.Load(), rt.grouped.Load()+rt.pipelines.Load())
	}
}

// TestRedisQueueBounded: past the bound on waiting checks, a check is
// decided locally at once, and Redis is not taken for down.
func TestRedisQueueBounded(t *testing.T) {
	srv := testutil.StartRedis(t)
	gate := make(chan struct{})
	c, rt := countedClient(t, srv, gate)
	var logs testutil.SyncBuffer
	l := newSharedLimiter(t, onlyPerIP("1/h", 100), c, &logs)
	l.shared.timeout = 10 * time.Second
	l.shared.batch.timeout = 10 * time.Second
	l.shared.batch.limit = 4
	ip := netip.MustParseAddr("198.51.100.10")
	first := holdFirstTrip(t, l, rt, ip)
	waiting := make(chan Decision, 4)
	for range 4 {
		go func() { waiting <- l.Allow(ip, "GET", "/") }()
	}
	testutil.Eventually(t, "4 checks queued", func() bool { return queued(l) == 4 })
	over := make(chan Decision, 1)
	other := netip.MustParseAddr("192.0.2.44")
	go func() { over <- l.Allow(other, "GET", "/") }()
	var d Decision
	testutil.Eventually(t, "the check past the bound decided without waiting for the held round trip", func() bool {
		select {
		case d = <-over:
			return true
		default:
			return false
		}
	})
	if !d.Allowed || !l.shared.up.Load() || logs.Count("redis unavailable") != 0 {
		t.Errorf("past the bound: %+v, shared %v, logs:\n%s; want allowed locally with Redis still taken for up", d, l.shared.up.Load(), logs.String())
	}
	if rt.total() != 1 {
		t.Errorf("the check past the bound went to Redis: %d round trips, want only the held one", rt.total())
	}
	rt.release()
	<-first
	for range 4 {
		if d := <-waiting; !d.Allowed {
			t.Errorf("a queued check was refused: %+v", d)
		}
	}
}

// TestRedisStallsGrouped: against a Redis that accepts but does not
// answer, concurrent checks (one in flight, the others queued) all come
// back after the timeout and are decided locally; the fault is logged once.
func TestRedisStallsGrouped(t *testing.T) {
	srv := testutil.StartRedis(t)
	var logs testutil.SyncBuffer
	c := clientWithoutTimeouts(t, srv)
	l := newSharedLimiter(t, onlyPerIP("1/h", 100), c, &logs)
	ip := netip.MustParseAddr("198.51.100.11")
	if !l.Allow(ip, "GET", "/").Allowed {
		t.Fatal("first request refused")
	}
	srv.Signal(syscall.SIGSTOP)
	defer srv.Signal(syscall.SIGCONT)
	const k = 16
	out := make(chan Decision, k)
	for range k {
		go func() { out <- l.Allow(ip, "GET", "/") }()
	}
	var got []Decision
	testutil.Eventually(t, "every check back from a stalled Redis (a waiter not bounded by RedisTimeout?)", func() bool {
		for {
			select {
			case d := <-out:
				got = append(got, d)
			default:
				return len(got) == k
			}
		}
	})
	for _, d := range got {
		if !d.Allowed {
			t.Errorf("against a stalled Redis, a check within the local burst was refused: %+v", d)
		}
	}
	if l.shared.up.Load() || logs.Count("redis unavailable") != 1 {
		t.Errorf("stalled Redis: shared %v, outage logged %d times; want local decisions, logged once:\n%s", l.shared.up.Load(), logs.Count("redis unavailable"), logs.String())
	}
	srv.Signal(syscall.SIGCONT)
	waitShared(t, l)
}

// TestRedisWaiterBounded: a check queued behind a round trip that does not
// come back (a connection stuck past its deadline) gives up after
// RedisTimeout and is decided locally: no request waits on Redis longer
// than the timeout, whatever the check ahead of it does.
func TestRedisWaiterBounded(t *testing.T) {
	srv := testutil.StartRedis(t)
	gate := make(chan struct{})
	c, rt := countedClient(t, srv, gate)
	var logs testutil.SyncBuffer
	l := newSharedLimiter(t, onlyPerIP("1/h", 100), c, &logs) // RedisTimeout 50ms
	first := holdFirstTrip(t, l, rt, netip.MustParseAddr("198.51.100.12"))
	waiter := make(chan Decision, 1)
	go func() { waiter <- l.Allow(netip.MustParseAddr("192.0.2.45"), "GET", "/") }()
	var d Decision
	testutil.Eventually(t, "the queued check back while the round trip ahead of it is still stuck", func() bool {
		select {
		case d = <-waiter:
			return true
		default:
			return false
		}
	})
	select {
	case <-first:
		t.Fatal("the held round trip came back: the test did not hold it")
	default:
	}
	if !d.Allowed || l.shared.up.Load() {
		t.Errorf("queued behind a stuck round trip: %+v, shared %v; want allowed locally, Redis taken for down", d, l.shared.up.Load())
	}
	rt.release()
	<-first
}

// TestRedisRefusedLocally: a client past its shared limit is refused from
// the gateway's copy of what Redis last said, with no round trip: a flood
// costs Redis nothing. The other gateway, whose copy knows nothing of the
// client yet, asks Redis once, is refused there and then refuses locally
// too. Once the copy says the debt is paid down, the next request goes to
// Redis again, which decides: here its clock has not moved, so it refuses.
func TestRedisRefusedLocally(t *testing.T) {
	srv := testutil.StartRedis(t)
	ca, ta := countedClient(t, srv, nil)
	cb, tb := countedClient(t, srv, nil)
	var logs testutil.SyncBuffer
	cfg := onlyPerIP("1/h", 5)
	now := time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	a := newSharedLimiter(t, cfg, ca, &logs)
	b := newSharedLimiter(t, cfg, cb, &logs)
	a.clock, b.clock = clock, clock
	ip := netip.MustParseAddr("198.51.100.20")
	if n := count(a, ip, 5); n != 5 {
		t.Fatalf("%d of the burst of 5 allowed on A", n)
	}
	if n := count(a, ip, 100); n != 0 {
		t.Fatalf("%d of 100 requests past the burst allowed on A", n)
	}
	if got := ta.total(); got != 5 {
		t.Errorf("A: 5 allowed and 100 refused took %d round trips; want 5, the charges (A's copy holds the fifth's TAT)", got)
	}
	if n := count(b, ip, 100); n != 0 {
		t.Fatalf("%d of 100 requests allowed on B, which shares A's counts", n)
	}
	if got := tb.total(); got != 1 {
		t.Errorf("B: 100 refused took %d round trips; want 1 (Redis refuses, B's copy learns)", got)
	}
	mu.Lock()
	now = now.Add(time.Hour + time.Second) // one interval paid down on the gateway's clock only
	mu.Unlock()
	trips := ta.total()
	if d := a.Allow(ip, "GET", "/"); d.Allowed {
		t.Errorf("a request A's copy would let through was allowed without Redis: %+v", d)
	}
	if ta.total() != trips+1 {
		t.Errorf("a request A's copy would let through took %d round trips; want 1: only Redis lets requests through", ta.total()-trips)
	}
}
