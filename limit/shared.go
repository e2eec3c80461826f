package limit

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// shared is the Redis side of a Limiter.
type shared struct {
	client  redis.UniversalClient
	timeout time.Duration
	up      atomic.Bool // false while Redis is down and being probed
	batch   *batcher    // groups concurrent checks; nil sends each alone
}

func newShared(c redis.UniversalClient, timeout time.Duration) *shared {
	if timeout <= 0 {
		timeout = 50 * time.Millisecond
	}
	s := &shared{client: c, timeout: timeout, batch: newBatcher(c, timeout)}
	s.up.Store(true)
	return s
}

// checkScript runs the GCRA for a group of requests, each with all its
// limits at once, in order, as one atomic script run: a request is refused
// if any of its limits refuses, and stores nothing then; otherwise every
// new TAT of it is stored. Times are microseconds of the server's clock, so
// gateways need not agree on the time. KEYS are the requests' keys, one
// request after another; ARGV[1] is the number of requests, then for each
// its number of keys n and an interval and a tolerance per key. The reply
// holds, for each request, {allowed, index (1-based) of the refusing limit
// or of the one closest to refusing, retry-after µs or remaining, then each
// key's debt in µs}: 3+n integers.
//
// One run for the group, rather than one per request, pays Redis's cost of
// starting a script and reading its clock once; what is left is a GET and a
// SET per key.
var checkScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local fmt, floor, ceil = string.format, math.floor, math.ceil
local out, o, k, a = {}, 0, 0, 2
for _ = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[a])
  a = a + 1
  local tats, nexts = {}, {}
  local deny, retry, closest, remaining = 0, 0, 1, -1
  for i = 1, n do
    local interval, tolerance = tonumber(ARGV[a]), tonumber(ARGV[a+1])
    a = a + 2
    local tat = tonumber(redis.call('GET', KEYS[k+i]) or '0') or 0
    if tat < now then tat = now end
    tats[i] = tat
    local nxt = tat + interval
    local allowAt = nxt - tolerance
    if now < allowAt then
      if deny == 0 then deny = i; retry = allowAt - now end
    else
      nexts[i] = nxt
      local rem = floor((now - allowAt) / interval)
      if remaining < 0 or rem < remaining then closest = i; remaining = rem end
    end
  end
  if deny > 0 then
    out[o+1] = 0; out[o+2] = deny; out[o+3] = ceil(retry)
    for i = 1, n do out[o+3+i] = floor(tats[i] - now) end
  else
    out[o+1] = 1; out[o+2] = closest; out[o+3] = remaining
    for i = 1, n do
      local debt = nexts[i] - now
      redis.call('SET', KEYS[k+i], fmt('%.0f', nexts[i]), 'PX', ceil(debt / 1000))
      out[o+3+i] = floor(debt)
    end
  end
  o = o + 3 + n
  k = k + n
end
return out
`)

// decide runs checkScript once for every check of batch, in order, and
// sets each check's reply or error. A script Redis does not hold (after a
// restart) is sent again with EVAL.
func decide(ctx context.Context, c redis.Scripter, batch []*pending) {
	nk, na := 0, 1
	for _, p := range batch {
		nk += len(p.keys)
		na += 1 + len(p.args)
	}
	keys := make([]string, 0, nk)
	args := make([]any, 1, na)
	args[0] = len(batch)
	for _, p := range batch {
		keys = append(keys, p.keys...)
		args = append(args, len(p.keys))
		args = append(args, p.args...)
	}
	res, err := checkScript.Run(ctx, c, keys, args...).Int64Slice()
	for _, p := range batch {
		n := 3 + len(p.keys)
		if err == nil && len(res) < n {
			err = fmt.Errorf("unexpected reply: %d integers left for a check of %d keys", len(res), len(p.keys))
		}
		if err != nil {
			p.err = err
			continue
		}
		p.res, res = res[:n:n], res[n:]
	}
}

// mergeScript raises each key's TAT to at least now + its debt (ARGV, µs):
// what a gateway enforced alone while Redis was away is kept when it
// comes back.
var mergeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for i = 1, #KEYS do
  local debt = tonumber(ARGV[i])
  local tat = now + debt
  local cur = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat > cur then
    redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil(debt / 1000))
  end
end
return #KEYS
`)

// redisKey names a check's key in Redis: PREFIX:{rl}:<scope>:<key>. The
// one hash tag puts every key of the limits on one Cluster shard, as the
// script checking a request's limits at once needs.
func (l *Limiter) redisKey(c check, ip netip.Addr) string {
	p := l.prefix(c, ip)
	if c.rule.kind == byNothing {
		return l.keyStart + c.rule.scope + ":all"
	}
	if !p.IsValid() {
		return l.keyStart + c.rule.scope + ":unknown"
	}
	return l.keyStart + c.rule.scope + ":" + p.String()
}

// allowShared decides through Redis, in one round trip shared with the
// checks of concurrent requests (see batcher). It reports false when Redis
// failed or too many checks were waiting; the caller then decides locally.
func (l *Limiter) allowShared(ctx context.Context, checks []check, ip netip.Addr, now int64) (Decision, bool) {
	keys := make([]string, len(checks))
	args := make([]any, 0, 2*len(checks))
	for i, c := range checks {
		keys[i] = l.redisKey(c, ip)
		args = append(args, c.rule.args[0], c.rule.args[1])
	}
	p := &pending{keys: keys, args: args}
	var res []int64
	var err error
	if b := l.shared.batch; b != nil {
		res, err = b.run(ctx, p)
	} else {
		rctx, cancel := context.WithTimeout(ctx, l.shared.timeout)
		decide(rctx, l.shared.client, []*pending{p})
		cancel()
		res, err = p.res, p.err
	}
	if err == errQueueFull {
		return Decision{}, false // decided locally; Redis is not down
	}
	if err == nil && (len(res) != 3+len(checks) || res[1] < 1 || int(res[1]) > len(checks)) {
		err = fmt.Errorf("unexpected reply %v", res)
	}
	if err != nil {
		if ctx.Err() == nil { // not the client going away
			l.redisDown(err)
		}
		return Decision{}, false
	}
	// Mirror what Redis knows, so that if it goes away the local limits
	// carry on from the shared state rather than from nothing.
	for i, c := range checks {
		c.rule.set(c.key, now+res[3+i]*1000, now)
	}
	c := checks[res[1]-1]
	d := Decision{Limit: c.rule.name, Key: l.prefix(c, ip)}
	if res[0] == 1 {
		d.Allowed, d.Remaining = true, int(res[2])
	} else {
		d.RetryAfter = time.Duration(res[2]) * time.Microsecond
	}
	return d, true
}

// redisDown switches to local decisions, once per outage, and starts
// probing.
func (l *Limiter) redisDown(err error) {
	if !l.shared.up.CompareAndSwap(true, false) {
		return
	}
	l.log.LogAttrs(l.ctx, slog.LevelWarn, "rate limits: redis unavailable; enforcing locally until it answers",
		slog.String("error", err.Error()))
	l.start(l.probe)
}

// probe pings Redis with backoff until it answers, pushes what was enforced
// locally meanwhile, and switches back to shared decisions.
func (l *Limiter) probe() {
	wait := 100 * time.Millisecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(l.ctx, time.Second)
		err := l.shared.client.Ping(ctx).Err()
		if err == nil {
			err = l.catchUp(ctx)
		}
		cancel()
		if err == nil {
			l.shared.up.Store(true)
			l.log.LogAttrs(l.ctx, slog.LevelInfo, "rate limits: redis answers again; limits are shared")
			return
		}
		wait = min(2*wait, 2*time.Second)
		t.Reset(wait)
	}
}

// catchBatch is how many keys one merge script carries.
const catchBatch = 256

// catchUp writes every local debt to Redis, keeping the larger of the two.
func (l *Limiter) catchUp(ctx context.Context) error {
	now := l.clock().UnixNano()
	keys := make([]string, 0, catchBatch)
	args := make([]any, 0, catchBatch)
	var err error
	flush := func() {
		if len(keys) > 0 && err == nil {
			err = mergeScript.Run(ctx, l.shared.client, keys, args...).Err()
		}
		keys, args = keys[:0], args[:0]
	}
	add := func(c check, debt int64) {
		if err != nil || debt <= 0 {
			return
		}
		ip := netip.IPv4Unspecified() // any valid address: the key says the rest
		keys = append(keys, l.redisKey(c, ip))
		args = append(args, strconv.FormatInt(max(1, debt/1000), 10))
		if len(keys) == catchBatch {
			flush()
		}
	}
	for _, r := range l.allRules() {
		if r.table == nil {
			add(check{rule: r}, r.cell.tat.Load()-now)
			continue
		}
		r.table.debts(now, func(k key, debt int64) { add(check{rule: r, key: k}, debt) })
	}
	flush()
	if err != nil {
		return fmt.Errorf("catching up with redis: %w", err)
	}
	return nil
}

// allRules lists every rule, route groups first.
func (l *Limiter) allRules() []*rule {
	out := make([]*rule, 0, len(l.routes)+len(l.rules))
	for _, rr := range l.routes {
		out = append(out, rr.rule)
	}
	return append(out, l.rules...)
}
