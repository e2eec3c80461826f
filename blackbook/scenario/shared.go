package scenario

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// With Options.Fleet, a bucket lives in Redis as one hash at
// PREFIX:{sc:ID}:b, where ID hashes the scenario's name and the key:
// fields tat, quiet, first, count (in ms of the pouring gateway's clock),
// n, the distinct values it holds, and one field d:V per distinct value V
// (hashed). The hash expires when the bucket has drained and its quiet
// time has passed, so Redis holds only buckets that hold something. The
// local bucket mirrors what Redis answered: it keeps the evidence, and the
// count carries on from the fleet's when Redis goes away.

// pourScript pours a batch of events into the buckets they fill and
// empties those they reset, in order, so that a batch costs one script
// run (one per bucket on a Cluster, where each bucket's key sits on its
// own shard). A bucket the batch pours into several times is read and
// written once for all of them: a burst from one attacker costs Redis a
// few commands, not a few per event. What goes over the wire is kept
// small, for Redis parses every argument. KEYS: each op's bucket hash.
// ARGV: now (ms); the number of scenarios the batch touches, then five
// values for each (leak, trigger level and quiet span after a decision in
// ms, 1 if capacity is one, the most distinct values kept); then one per
// op: "J" to pour one event into a bucket of the J-th scenario, "J*W" to
// pour W events, "J:V1:V2…" to pour events of distinct values V1, V2…,
// "-J" to reset it. It
// returns one string, a reply per event (per op for a reset) separated by
// ";", of comma-separated integers: 3 after a reset; 0,quiet left when
// the key is quiet after a decision; 1,level ms,count,first after an
// ordinary pour (or a value seen before); 2,count,first when the pour
// filled the bucket: the caller decides, and the bucket is empty and
// quiet for every other gateway.
var pourScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local sc = {}
for j = 1, tonumber(ARGV[2]) do
  local a = 2 + (j - 1) * 5
  sc[j] = {tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), ARGV[a + 4], tonumber(ARGV[a + 5])}
end
local fmt = string.format
local out = {}
local function pour(kb, p, dvs, w)
  local leak, trig, q, one, maxd = p[1], p[2], p[3], p[4], p[5]
  local h = redis.call('HMGET', kb, 'tat', 'quiet', 'first', 'count', 'n')
  local tat = tonumber(h[1]) or 0
  local quiet = tonumber(h[2]) or 0
  local first = tonumber(h[3]) or now
  local count = tonumber(h[4]) or 0
  local n = tonumber(h[5]) or 0
  local dirty = false
  for u = 1, w do
    local r
    if tat <= now and quiet > now then
      r = fmt('0,%d', quiet - now)
    else
      if tat <= now then
        tat = now; first = now; count = 0
        if n > 0 then redis.call('DEL', kb); n = 0 end
      end
      local f = dvs and 'd:' .. dvs[u]
      if f and redis.call('HSETNX', kb, f, '1') == 0 then
        r = fmt('1,%d,%d,%d', tat - now, count, first)
      else
        if f then
          n = n + 1
          while n > maxd do
            local gone = false
            for _, m in ipairs(redis.call('HRANDFIELD', kb, 8)) do
              if m ~= f and string.sub(m, 1, 2) == 'd:' then redis.call('HDEL', kb, m); n = n - 1; gone = true; break end
            end
            if not gone then break end
          end
        end
        dirty = true
        tat = tat + leak
        count = count + 1
        if one == '1' or tat - now > trig then
          if n > 0 then redis.call('DEL', kb) end
          r = fmt('2,%d,%d', count, first)
          tat, first, count, n, quiet = now, now, 0, 0, now + q
        else
          r = fmt('1,%d,%d,%d', tat - now, count, first)
        end
      end
    end
    out[#out + 1] = r
  end
  if dirty then
    redis.call('HSET', kb, 'tat', fmt('%d', tat), 'quiet', fmt('%d', quiet), 'first', fmt('%d', first),
      'count', fmt('%d', count), 'n', fmt('%d', n))
    redis.call('PEXPIRE', kb, fmt('%d', math.max(tat, quiet) - now + 1000))
  end
end
local ops = 3 + tonumber(ARGV[2]) * 5
for i = 1, #KEYS do
  local op = ARGV[ops + i - 1]
  if string.sub(op, 1, 1) == '-' then
    redis.call('DEL', KEYS[i])
    out[#out + 1] = '3'
  else
    local c = string.find(op, ':', 1, true)
    local x = string.find(op, '*', 1, true)
    if c then
      local dvs = {}
      for v in string.gmatch(string.sub(op, c + 1), '[^:]+') do dvs[#dvs + 1] = v end
      pour(KEYS[i], sc[tonumber(string.sub(op, 1, c - 1))], dvs, #dvs)
    elseif x then
      pour(KEYS[i], sc[tonumber(string.sub(op, 1, x - 1))], nil, tonumber(string.sub(op, x + 1)))
    else
      pour(KEYS[i], sc[tonumber(op)], nil, 1)
    end
  end
end
return table.concat(out, ';')`)

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

// redisKey names k's bucket in Redis. The key's values are hashed: no
// byte an attacker chose reaches a Redis key.
func (e *Engine) redisKey(s *compiled, k bucketKey) string {
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
	return e.fleet.Key("sc:"+hex.EncodeToString(h.Sum(nil)[:12]), "b")
}

// A sharedBatch gathers the resets and pours of a batch of events, so
// that they reach Redis in one script run and one round trip.
type sharedBatch struct {
	ops []sharedOp
}

// A sharedOp is one bucket's reset (b nil) or pour of an event.
type sharedOp struct {
	s        *compiled
	k        bucketKey
	b        *bucket
	ev       int // the event's place in the batch
	key      string
	distinct string // the hashed distinct value poured, if any
}

// reset adds the emptying of k's bucket.
func (bt *sharedBatch) reset(e *Engine, s *compiled, k bucketKey) {
	bt.ops = append(bt.ops, sharedOp{s: s, k: k, key: e.redisKey(s, k)})
}

// pour adds the pouring of ev into k's bucket b, unless the event has no
// value of the scenario's distinct field (nothing to count, shared or
// not).
func (bt *sharedBatch) pour(e *Engine, s *compiled, k bucketKey, b *bucket, ev *event.Event, at int) {
	distinct := ""
	if s.Distinct != "" {
		v, ok := distinctValue(s, ev)
		if !ok {
			return
		}
		sum := sha256.Sum256([]byte(v))
		distinct = hex.EncodeToString(sum[:8])
	}
	bt.ops = append(bt.ops, sharedOp{s: s, k: k, b: b, ev: at, key: e.redisKey(s, k), distinct: distinct})
}

// A wireOp is what the script gets for some of a batch's ops: a reset,
// or the pours of one or more events into one bucket (ops, in order).
type wireOp struct {
	ops []int
}

// wire groups ops for the script: the pours of a batch into one bucket
// become one op, up to its next reset.
func wire(ops []sharedOp) []wireOp {
	var out []wireOp
	last := map[string]int{} // bucket key → its open group in out
	for i := range ops {
		op := &ops[i]
		if op.b != nil {
			if g, ok := last[op.key]; ok {
				out[g].ops = append(out[g].ops, i)
				continue
			}
			last[op.key] = len(out)
		} else {
			delete(last, op.key)
		}
		out = append(out, wireOp{ops: []int{i}})
	}
	return out
}

// call makes the script run for the groups ws of ops.
func (e *Engine) call(ops []sharedOp, ws []wireOp, now int64) fleet.Call {
	c := fleet.Call{Script: pourScript, Keys: make([]string, len(ws))}
	num := make(map[*compiled]int, 8) // the scenarios of the batch, numbered from 1
	var order []*compiled
	for _, w := range ws {
		if s := ops[w.ops[0]].s; num[s] == 0 {
			order = append(order, s)
			num[s] = len(order)
		}
	}
	c.Args = make([]any, 0, 2+5*len(order)+len(ws))
	c.Args = append(c.Args, now, len(order))
	for _, s := range order {
		one := 0
		if s.Capacity == 1 {
			one = 1
		}
		c.Args = append(c.Args, s.leak/1e6, s.trigNs/1e6, int64(s.BanDuration/time.Millisecond), one, s.maxDistinct)
	}
	for i, w := range ws {
		op := &ops[w.ops[0]]
		c.Keys[i] = op.key
		j := strconv.Itoa(num[op.s])
		switch {
		case op.b == nil:
			c.Args = append(c.Args, "-"+j)
		case op.distinct != "":
			var b strings.Builder
			b.WriteString(j)
			for _, k := range w.ops {
				b.WriteByte(':')
				b.WriteString(ops[k].distinct)
			}
			c.Args = append(c.Args, b.String())
		case len(w.ops) > 1:
			c.Args = append(c.Args, j+"*"+strconv.Itoa(len(w.ops)))
		default:
			c.Args = append(c.Args, j)
		}
	}
	return c
}

// runShared sends the batch in one round trip: one script run for all of
// it, or on a Cluster one per bucket, pipelined. It mirrors each pour's
// answer in its local bucket, in order, deciding for the bucket a pour
// filled, and pours here what Redis did not answer.
func (e *Engine) runShared(bt *sharedBatch, evs []event.Event, t time.Time) {
	if len(bt.ops) == 0 {
		return
	}
	now := t.UnixMilli()
	ws := wire(bt.ops)
	per := len(ws)
	if e.fleet.Cluster() {
		per = 1
	}
	calls := make([]fleet.Call, 0, len(ws)/per)
	for g := range slices.Chunk(ws, per) {
		calls = append(calls, e.call(bt.ops, g, now))
	}
	cmds, err := e.fleet.Run(e.ctx, calls...)
	var res [4]int64
	for i := range calls {
		var replies string
		if err == nil {
			replies, _ = cmds[i].Text()
		}
		for _, w := range ws[i*per : min((i+1)*per, len(ws))] {
			for _, j := range w.ops {
				op := &bt.ops[j]
				var n int
				n, replies = nextReply(replies, &res)
				if op.b != nil && !e.mirror(op.s, op.k, op.b, &evs[op.ev], t, res[:n]) {
					e.pourLocal(op.s, op.k, op.b, &evs[op.ev], t)
				}
			}
		}
	}
}

// nextReply reads the first reply of the script's string into res and
// returns how many integers it holds (0 if it is not one the script
// gives) and the rest of the string.
func nextReply(s string, res *[4]int64) (int, string) {
	one, rest, _ := strings.Cut(s, ";")
	n := 0
	for one != "" {
		var f string
		f, one, _ = strings.Cut(one, ",")
		x, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n == len(res) {
			return 0, rest
		}
		res[n] = x
		n++
	}
	return n, rest
}

// mirror copies Redis's answer to one pour into the local bucket b,
// deciding if the pour filled it. It reports false when the answer is
// not one the script gives.
func (e *Engine) mirror(s *compiled, k bucketKey, b *bucket, ev *event.Event, t time.Time, res []int64) bool {
	if len(res) < 2 {
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
	default:
		return false
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
		calls = append(calls, fleet.Call{Script: mergeScript, Keys: []string{e.redisKey(e.scenarios[k.scenario], k)}, Args: []any{
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
