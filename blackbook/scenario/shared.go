package scenario

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// With Options.Fleet, a bucket lives in Redis as a hash at
// PREFIX:{sc:ID}:b (fields tat, quiet, first, count, in ms of the pouring
// gateway's clock) with its distinct values in the set PREFIX:{sc:ID}:d,
// where ID hashes the scenario's name and the key. Both expire when the
// bucket has drained and its quiet time has passed, so Redis holds only
// buckets that hold something. The local bucket mirrors what Redis
// answered: it keeps the evidence, and the count carries on from the
// fleet's when Redis goes away.

// pourScript pours one unit into a bucket. ARGV: now, leak, trigger level
// (ms), 1 if capacity is one, quiet span after a decision (ms), the
// distinct value ("" for none), the most distinct values kept. It returns
// {0, quiet left} when the key is quiet after a decision; {1, level ms,
// count, first} after an ordinary pour (or a value seen before); {2,
// count, first} when the pour filled the bucket: the caller decides, and
// the bucket is empty and quiet for every other gateway.
var pourScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local leak = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'tat', 'quiet', 'first', 'count')
local tat = tonumber(h[1]) or 0
local quiet = tonumber(h[2]) or 0
local first = tonumber(h[3]) or now
local count = tonumber(h[4]) or 0
if tat <= now then
  if quiet > now then return {0, quiet - now} end
  tat = now; first = now; count = 0
  redis.call('DEL', KEYS[2])
end
if ARGV[6] ~= '' then
  if redis.call('SADD', KEYS[2], ARGV[6]) == 0 then return {1, tat - now, count, first} end
  if redis.call('SCARD', KEYS[2]) > tonumber(ARGV[7]) then
    local old = redis.call('SRANDMEMBER', KEYS[2], 2)
    for _, m in ipairs(old) do
      if m ~= ARGV[6] then redis.call('SREM', KEYS[2], m); break end
    end
  end
end
tat = tat + leak
count = count + 1
if ARGV[4] == '1' or tat - now > tonumber(ARGV[3]) then
  local q = tonumber(ARGV[5])
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'tat', now, 'first', now, 'count', 0, 'quiet', now + q)
  redis.call('PEXPIRE', KEYS[1], math.max(q, 1))
  return {2, count, first}
end
redis.call('HSET', KEYS[1], 'tat', tat, 'first', first, 'count', count)
local ttl = math.max(tat, quiet) - now + 1000
redis.call('PEXPIRE', KEYS[1], ttl)
if ARGV[6] ~= '' then redis.call('PEXPIRE', KEYS[2], ttl) end
return {1, tat - now, count, first}`)

// mergeScript raises a bucket to what one gateway counted alone while
// Redis was away. ARGV: now, tat, quiet, first, count (ms).
var mergeScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'tat', 'quiet')
local tat, quiet = tonumber(ARGV[2]), tonumber(ARGV[3])
local cur, curq = tonumber(h[1]) or 0, tonumber(h[2]) or 0
if curq > quiet then quiet = curq end
if tat > cur then
  redis.call('HSET', KEYS[1], 'tat', tat, 'first', ARGV[4], 'count', ARGV[5])
else
  tat = cur
end
redis.call('HSET', KEYS[1], 'quiet', quiet)
local ttl = math.max(tat, quiet) - now + 1000
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`)

// resetScript empties a bucket, as a reset event (a successful login)
// does.
var resetScript = redis.NewScript(`redis.call('DEL', KEYS[1], KEYS[2]) return 1`)

// resetShared empties k's bucket in Redis.
func (e *Engine) resetShared(s *compiled, k bucketKey) {
	kb, kd := e.redisKeys(s, k)
	e.fleet.Run(e.ctx, fleet.Call{Script: resetScript, Keys: []string{kb, kd}})
}

// redisKeys names k's bucket and distinct set in Redis. The key's values
// are hashed: no byte an attacker chose reaches a Redis key.
func (e *Engine) redisKeys(s *compiled, k bucketKey) (string, string) {
	h := sha256.New()
	h.Write([]byte(s.Name))
	h.Write([]byte{0})
	if k.ip.IsValid() {
		b, _ := k.ip.MarshalBinary()
		h.Write(b)
	}
	h.Write([]byte{0})
	h.Write([]byte(k.user))
	h.Write([]byte{0})
	h.Write([]byte(k.service))
	id := "sc:" + hex.EncodeToString(h.Sum(nil)[:12])
	return e.fleet.Key(id, "b"), e.fleet.Key(id, "d")
}

// pourShared pours ev into k's bucket in Redis, mirroring the answer in
// the local bucket b. It reports false when Redis did not answer: the
// caller pours locally.
func (e *Engine) pourShared(s *compiled, k bucketKey, b *bucket, ev *event.Event, t time.Time) bool {
	now := t.UnixMilli()
	distinct := ""
	if s.Distinct != "" {
		v, ok := distinctValue(s, ev)
		if !ok {
			return true // nothing to count, shared or not
		}
		sum := sha256.Sum256([]byte(v))
		distinct = hex.EncodeToString(sum[:8])
	}
	one := "0"
	if s.Capacity == 1 {
		one = "1"
	}
	kb, kd := e.redisKeys(s, k)
	cmds, err := e.fleet.Run(e.ctx, fleet.Call{Script: pourScript, Keys: []string{kb, kd}, Args: []any{
		now, s.leak / 1e6, s.trigNs / 1e6, one, int64(s.BanDuration / time.Millisecond), distinct, s.maxDistinct,
	}})
	if err != nil {
		return false
	}
	res, err := cmds[0].Int64Slice()
	if err != nil || len(res) < 2 {
		e.fleet.Fail(e.ctx, err)
		return false
	}
	ns := t.UnixNano()
	switch res[0] {
	case 0:
		b.tat, b.quiet = ns, ns+res[1]*1e6
	case 1:
		if len(res) < 4 {
			return false
		}
		if res[2] <= 1 {
			b.evidence = b.evidence[:0]
		}
		b.tat, b.count, b.first = ns+res[1]*1e6, int32(res[2]), res[3]*1e6
		if len(b.evidence) < maxEvidence-1 {
			b.evidence = append(b.evidence, evidenceLine(ev))
		}
	case 2:
		if len(res) < 3 {
			return false
		}
		b.count, b.first = int32(res[1]), res[2]*1e6
		if len(b.evidence) < maxEvidence {
			b.evidence = append(b.evidence, evidenceLine(ev))
		} else {
			b.evidence[maxEvidence-1] = evidenceLine(ev)
		}
		e.decide(s, k, b, t)
		// The fleet is quiet about the key whatever came of the ban here.
		b.quiet = max(b.quiet, ns+int64(s.BanDuration))
	}
	return true
}

// mergeLocal pushes the buckets filled here while Redis was away, keeping
// the fuller of each bucket's two states. It is [fleet.Shared.OnResume]'s.
func (e *Engine) mergeLocal(ctx context.Context) error {
	e.mu.Lock()
	now := e.clock().UnixNano()
	var calls []fleet.Call
	for k, b := range e.buckets {
		if b.drained(now) {
			continue
		}
		kb, _ := e.redisKeys(e.scenarios[k.scenario], k)
		calls = append(calls, fleet.Call{Script: mergeScript, Keys: []string{kb}, Args: []any{
			now / 1e6, b.tat / 1e6, b.quiet / 1e6, b.first / 1e6, b.count,
		}})
	}
	e.mu.Unlock()
	for len(calls) > 0 {
		n := min(len(calls), 256)
		if _, err := e.fleet.RunNow(ctx, calls[:n]...); err != nil {
			return err
		}
		calls = calls[n:]
	}
	return nil
}
