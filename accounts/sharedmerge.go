package accounts

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// While Redis is away a watch of a fleet counts logins alone; it keeps a
// journal of what it counted, and when Redis answers again it replays the
// journal into Redis, in order and at the times the logins happened,
// before counting through Redis again. So the fleet's counts are the sum
// of what every gateway saw, as if Redis had never gone: failures seen on
// two gateways during an outage block the pair when together they reach
// the limit.

// An aloneOp is one count made while Redis was away.
type aloneOp struct {
	kind byte // 'f' a failure, 's' a success, 'b' a pair blocked here
	user string
	ip   netip.Addr
	at   time.Time
}

// journal is what a watch counted alone, bounded: past maxPending ops the
// newest are dropped (the local counts still hold them).
type journal struct {
	mu  sync.Mutex
	ops []aloneOp
}

func (j *journal) add(op aloneOp) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.ops) < maxPending {
		j.ops = append(j.ops, op)
	}
}

// blockScript raises a pair's block to at least ARGV[1] ms from now.
// KEYS: the block.
var blockScript = redis.NewScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`)

// countedAlone notes a count made while Redis was away.
func (w *Watch) countedAlone(kind byte, user string, ip netip.Addr, at time.Time) {
	if w.fleet != nil {
		w.alone.add(aloneOp{kind, user, ip, at})
	}
}

// mergeAlone replays the journal into Redis. It is
// [fleet.Shared.OnResume]'s: an error keeps the journal for the next try.
func (w *Watch) mergeAlone(ctx context.Context) error {
	w.alone.mu.Lock()
	ops := w.alone.ops
	w.alone.ops = nil
	w.alone.mu.Unlock()
	for len(ops) > 0 {
		n := min(len(ops), 128)
		if _, err := w.fleet.RunNow(ctx, w.replay(ops[:n])...); err != nil {
			// A batch is all or nothing to us: keep it whole. A count
			// that did reach Redis is then counted twice, which errs
			// toward blocking.
			w.alone.mu.Lock()
			w.alone.ops = append(ops, w.alone.ops...)
			w.alone.mu.Unlock()
			return err
		}
		ops = ops[n:]
	}
	return nil
}

// replay returns the script runs that count ops in Redis.
func (w *Watch) replay(ops []aloneOp) []fleet.Call {
	t := w.cfg.Thresholds
	now := w.clock()
	var calls []fleet.Call
	for _, op := range ops {
		ut, pair := w.userTag(op.user), digest("ip", addrKey(op.ip))
		switch op.kind {
		case 'f':
			if op.user != "" {
				calls = append(calls, fleet.Call{Script: userFailScript,
					Keys: []string{w.fleet.Key(ut, "s", pair), w.fleet.Key(ut, "ips"), w.fleet.Key(ut, "b", pair)},
					Args: []any{pair, op.at.UnixMilli(), t.Window.Milliseconds(), t.PairFailures, t.UserIPs, t.PairBlock.Milliseconds()}})
			}
			if op.ip.IsValid() {
				calls = append(calls, fleet.Call{Script: ipFailScript, Keys: []string{w.fleet.Key(w.ipTag(op.ip), "users")},
					Args: []any{digest("user", op.user), op.at.UnixMilli(), t.Window.Milliseconds(), t.IPUsers}})
			}
		case 's':
			if op.user != "" {
				calls = append(calls, fleet.Call{Script: successScript, Keys: []string{w.fleet.Key(ut, "s", pair)}})
			}
		case 'b':
			if left := op.at.Add(t.PairBlock).Sub(now); left > 0 && op.user != "" {
				calls = append(calls, fleet.Call{Script: blockScript, Keys: []string{w.fleet.Key(ut, "b", pair)},
					Args: []any{left.Milliseconds()}})
			}
		}
	}
	return calls
}
