package limit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// A Limiter decides whether requests are within the configured rates. It is
// safe for concurrent use. Close stops its background work.
type Limiter struct {
	clock    func() time.Time
	log      *slog.Logger
	clientIP func(*http.Request) netip.Addr // nil: the peer
	onLimit  func(*http.Request, Decision)  // nil: none
	disabled bool
	exempt   []netip.Prefix
	routes   []routeRule
	rules    []*rule // perIP, perNetwork, global: those that are on, in order
	v4bits   int
	v6bits   int
	shared   *shared // nil without Redis
	keyStart string  // PREFIX:{rl}: , the start of every Redis key

	ctx    context.Context // done when closed
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup
}

// Options are a Limiter's collaborators.
type Options struct {
	// Clock tells the time. If nil, time.Now. With Redis, shared decisions
	// use the Redis server's clock, so gateways need not agree on the time.
	Clock func() time.Time
	// Logger is for operational messages (Redis going away and coming
	// back). If nil, slog.Default().
	Logger *slog.Logger
	// Redis, if set, shares the counters with every gateway using the same
	// server. Create the client with ContextTimeoutEnabled (and short dial,
	// read and write timeouts): otherwise go-redis ignores RedisTimeout.
	// If nil, counters are local.
	Redis redis.UniversalClient
	// RedisTimeout bounds one check against Redis; past it the request is
	// decided locally and Redis is treated as down. If zero, 50ms.
	RedisTimeout time.Duration
	// ClientIP decides the client's address for [Limiter.Middleware] (from
	// trusted proxies, say). If nil, the socket peer.
	ClientIP func(*http.Request) netip.Addr
	// OnLimit, if set, is called by [Limiter.Middleware] for each refused
	// request before the response (to publish an event, say). It must not
	// block.
	OnLimit func(*http.Request, Decision)
}

// A Decision is the answer for one request.
type Decision struct {
	// Allowed reports whether the request may pass.
	Allowed bool
	// Exempt reports that the client is in Config.Exempt: no limit applied.
	Exempt bool
	// Limit names the limit that refused the request ("perIP",
	// "perNetwork", "global", "route:NAME") or, when it was allowed, the one
	// closest to refusing. Empty when no limit applied.
	Limit string
	// Key is the client or network Limit counted: 192.0.2.7/32,
	// 2001:db8:1:2::/64, 198.51.100.0/24. The zero Prefix for a limit
	// shared by everyone, or when the client's address is unknown.
	Key netip.Prefix
	// Remaining is how many more requests Limit would let through at once,
	// when allowed; 0 when refused; -1 when no limit applied.
	Remaining int
	// RetryAfter is how long until the request would pass Limit, when
	// refused.
	RetryAfter time.Duration
}

// A rule is one limit's parameters and state.
type rule struct {
	name      string // as in Decision.Limit
	scope     string // as in Redis keys
	kind      keyKind
	interval  int64 // ns per request
	tolerance int64 // interval × burst
	table     *table
	cell      cell   // used when kind is byNothing
	args      [2]any // interval and tolerance in µs, for the Redis script
}

type routeRule struct {
	match matcher
	rule  *rule
}

// sweepEvery is how often expired keys are dropped.
const sweepEvery = 30 * time.Second

// New validates cfg (after defaults) and returns a Limiter. Unless cfg is
// disabled, it starts a sweeper that Close stops.
func New(cfg Config, opts Options) (*Limiter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("limit: %w", err)
	}
	cfg = cfg.WithDefaults()
	l := &Limiter{
		clock: opts.Clock, log: opts.Logger, disabled: cfg.Disable,
		clientIP: opts.ClientIP, onLimit: opts.OnLimit,
		v4bits: cfg.PerNetwork.IPv4Prefix, v6bits: cfg.PerNetwork.IPv6Prefix,
		keyStart: cfg.RedisPrefix + ":{rl}:",
	}
	if l.clock == nil {
		l.clock = time.Now
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	if l.disabled {
		return l, nil
	}
	for _, e := range cfg.Exempt {
		p, _ := clientip.ParsePrefix(e)
		l.exempt = append(l.exempt, p)
	}
	for _, r := range cfg.Routes {
		kind := byIP
		if r.Per == "global" {
			kind = byNothing
		}
		l.routes = append(l.routes, routeRule{
			match: newMatcher(r),
			rule:  newRule("route:"+r.Name, "route:"+r.Name, kind, Limit{Rate: r.Rate, Burst: r.Burst}, cfg.MaxKeys),
		})
	}
	for _, x := range []struct {
		name, scope string
		kind        keyKind
		l           Limit
	}{
		{"perIP", "ip", byIP, cfg.PerIP},
		{"perNetwork", "net", byNetwork, cfg.PerNetwork.limit()},
		{"global", "global", byNothing, cfg.Global},
	} {
		if x.l.on() {
			l.rules = append(l.rules, newRule(x.name, x.scope, x.kind, x.l, cfg.MaxKeys))
		}
	}
	if opts.Redis != nil {
		l.shared = newShared(opts.Redis, opts.RedisTimeout)
	}
	l.start(l.sweep)
	return l, nil
}

func newRule(name, scope string, kind keyKind, lim Limit, maxKeys int) *rule {
	r := &rule{name: name, scope: scope, kind: kind}
	r.interval = int64(lim.Rate.Interval())
	r.tolerance = r.interval * int64(lim.Burst)
	r.args = [2]any{micros(r.interval), micros(r.tolerance)}
	if kind != byNothing {
		r.table = newTable(maxKeys)
	}
	return r
}

func micros(ns int64) string {
	return strconv.FormatFloat(float64(ns)/1e3, 'f', -1, 64)
}

func (r *rule) take(k key, now int64) verdict {
	if r.table == nil {
		return r.cell.take(now, r.interval, r.tolerance)
	}
	return r.table.take(k, now, r.interval, r.tolerance)
}

// peek is the verdict take would give, without charging.
func (r *rule) peek(k key, now int64) verdict {
	if r.table == nil {
		return r.cell.peek(now, r.interval, r.tolerance)
	}
	return r.table.peek(k, now, r.interval, r.tolerance)
}

func (r *rule) refund(k key) {
	if r.table == nil {
		r.cell.refund(r.interval)
		return
	}
	r.table.refund(k, r.interval)
}

// set stores a TAT learnt from Redis.
func (r *rule) set(k key, tat, now int64) {
	if r.table == nil {
		r.cell.set(tat)
		return
	}
	r.table.set(k, tat, now)
}

// A check is one limit applying to one request, with the request's key.
type check struct {
	rule *rule
	key  key
}

// Allow decides whether a request from ip for method and path may pass,
// and counts it if so. ip is the client's address as the gateway decided
// it; an invalid one counts against one budget shared by every client whose
// address is unknown. With a local store Allow does not allocate; with Redis
// it makes one round trip and allocates its command.
func (l *Limiter) Allow(ip netip.Addr, method, path string) Decision {
	return l.allow(context.Background(), ip, method, path)
}

func (l *Limiter) allow(ctx context.Context, ip netip.Addr, method, path string) Decision {
	if l.disabled {
		return Decision{Allowed: true, Remaining: -1}
	}
	ip = ip.Unmap()
	for _, p := range l.exempt {
		if p.Contains(ip) {
			return Decision{Allowed: true, Exempt: true, Remaining: -1}
		}
	}
	var buf [maxRoutes + 3]check
	checks := buf[:0]
	for i := range l.routes {
		rr := &l.routes[i]
		if rr.match.match(method, path) {
			checks = append(checks, check{rr.rule, keyOf(ip, rr.rule.kind, l.v4bits, l.v6bits)})
		}
	}
	for _, r := range l.rules {
		checks = append(checks, check{r, keyOf(ip, r.kind, l.v4bits, l.v6bits)})
	}
	if len(checks) == 0 {
		return Decision{Allowed: true, Remaining: -1}
	}
	now := l.clock().UnixNano()
	if l.shared != nil && l.shared.up.Load() {
		if d, refused := l.refusedLocally(checks, ip, now); refused {
			return d
		}
		if d, ok := l.allowShared(ctx, checks, ip, now); ok {
			return d
		}
	}
	return l.allowLocal(checks, ip, now)
}

// allowLocal runs the checks in order against the local store; if one
// refuses, the ones before it are refunded.
func (l *Limiter) allowLocal(checks []check, ip netip.Addr, now int64) Decision {
	closest, remaining := 0, int64(-1)
	for i, c := range checks {
		v := c.rule.take(c.key, now)
		if !v.ok {
			for _, p := range checks[:i] {
				p.rule.refund(p.key)
			}
			return Decision{Limit: c.rule.name, Key: l.prefix(c, ip), RetryAfter: time.Duration(v.retry)}
		}
		if remaining < 0 || v.remaining < remaining {
			closest, remaining = i, v.remaining
		}
	}
	c := checks[closest]
	return Decision{Allowed: true, Limit: c.rule.name, Key: l.prefix(c, ip), Remaining: int(remaining)}
}

// refusedLocally refuses, without asking Redis, a request that a limit's
// local copy already refuses. The copy holds what Redis last answered for
// the key, and a key's TAT in Redis only grows until it is paid off, so
// Redis would refuse it too; a refusal charges nothing, so Redis has
// nothing to learn from it. A flood past its limit is then refused at
// local cost, with no round trip and no script run; only a request the
// copy would let through goes to Redis, which decides.
func (l *Limiter) refusedLocally(checks []check, ip netip.Addr, now int64) (Decision, bool) {
	for _, c := range checks {
		if v := c.rule.peek(c.key, now); !v.ok {
			return Decision{Limit: c.rule.name, Key: l.prefix(c, ip), RetryAfter: time.Duration(v.retry)}, true
		}
	}
	return Decision{}, false
}

// prefix is the Decision.Key of a check.
func (l *Limiter) prefix(c check, ip netip.Addr) netip.Prefix {
	if !ip.IsValid() {
		return netip.Prefix{}
	}
	return prefixOf(c.key, c.rule.kind, l.v4bits, l.v6bits)
}

// start runs f in a goroutine the Limiter owns, unless it is closed.
func (l *Limiter) start(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		f()
	}()
}

// sweep drops expired keys every sweepEvery until the Limiter is closed.
func (l *Limiter) sweep() {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
			now := l.clock().UnixNano()
			for _, r := range l.allRules() {
				if r.table != nil {
					r.table.sweep(now)
				}
			}
		}
	}
}

// Close stops the Limiter's background work (the sweeper and any Redis
// probe) and waits for it. The Limiter still answers afterwards, locally
// for good. Close is idempotent.
func (l *Limiter) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	l.wg.Wait()
	if l.shared != nil {
		l.shared.up.Store(false)
	}
	return nil
}
