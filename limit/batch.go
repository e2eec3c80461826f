package limit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Group commit: a check that finds no round trip to Redis in flight is sent
// at once, alone, from the caller's goroutine (no timer, nothing added when
// traffic is light). Checks that arrive while a round trip is in flight
// queue up and go together in the next one, as one run of checkScript:
// it still decides each request on its own, in order, and all their keys
// share the {rl} hash tag, so on Cluster the run is one round trip to one
// node. Every waiter gives up after the Limiter's RedisTimeout, as a lone
// check does; a full queue sends the check to local counting at once.

const (
	// batchMax is how many checks one script run carries at most (Redis
	// serves no one else while it runs: about 1.5 ms for 128 on a slow VM).
	batchMax = 128
	// queueMax bounds the checks waiting for the next round trip.
	queueMax = 1024
)

// errQueueFull tells a check that too many are waiting: it is decided
// locally, and Redis is not treated as down for it.
var errQueueFull = errors.New("rate limits: too many checks waiting for redis")

// A pending check is one request's keys and arguments for checkScript, and
// its reply once the round trip is back.
type pending struct {
	keys      []string
	args      []any
	res       []int64
	err       error
	done      chan struct{} // closed once res or err is set
	abandoned atomic.Bool   // the caller gave up waiting
}

// batcher coalesces concurrent checks into pipelines, one round trip in
// flight at a time.
type batcher struct {
	client  redis.UniversalClient
	timeout time.Duration
	max     int // batchMax; smaller in tests
	limit   int // queueMax; smaller in tests

	mu    sync.Mutex
	busy  bool // a round trip is in flight
	queue []*pending
}

func newBatcher(c redis.UniversalClient, timeout time.Duration) *batcher {
	return &batcher{client: c, timeout: timeout, max: batchMax, limit: queueMax}
}

// run decides p through Redis within the timeout, alone if no round trip is
// in flight, otherwise in the next group, and returns checkScript's
// reply for it. p's res and err belong to the sender until p.done is closed, so a
// caller that gives up returns its own error and leaves them alone.
func (b *batcher) run(ctx context.Context, p *pending) ([]int64, error) {
	b.mu.Lock()
	if !b.busy {
		b.busy = true
		b.mu.Unlock()
		rctx, cancel := context.WithTimeout(ctx, b.timeout)
		decide(rctx, b.client, []*pending{p})
		cancel()
		b.handOff()
		return p.res, p.err
	}
	if len(b.queue) >= b.limit {
		b.mu.Unlock()
		return nil, errQueueFull
	}
	p.done = make(chan struct{})
	b.queue = append(b.queue, p)
	b.mu.Unlock()

	t := time.NewTimer(b.timeout)
	defer t.Stop()
	var err error
	select {
	case <-p.done:
		return p.res, p.err
	case <-t.C:
		err = context.DeadlineExceeded
	case <-ctx.Done():
		err = ctx.Err()
	}
	p.abandoned.Store(true)
	// It may have been answered meanwhile: take that answer then.
	select {
	case <-p.done:
		return p.res, p.err
	default:
		return nil, err
	}
}

// handOff ends a round trip: if checks queued meanwhile, a goroutine sends
// them, batch after batch, until the queue is empty.
func (b *batcher) handOff() {
	if batch := b.next(); batch != nil {
		go b.flush(batch)
	}
}

// next takes the next batch off the queue, or marks the batcher idle and
// returns nil. Checks whose callers gave up are dropped.
func (b *batcher) next() []*pending {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.queue) > 0 {
		n := min(len(b.queue), b.max)
		batch := make([]*pending, 0, n)
		for _, p := range b.queue[:n] {
			if !p.abandoned.Load() {
				batch = append(batch, p)
			}
		}
		clear(b.queue[:n])
		b.queue = b.queue[n:]
		if len(batch) > 0 {
			return batch
		}
	}
	b.queue = nil
	b.busy = false
	return nil
}

// flush sends batches until the queue is empty.
func (b *batcher) flush(batch []*pending) {
	for batch != nil {
		b.send(batch)
		batch = b.next()
	}
}

// send decides batch in one script run and hands each check its reply.
func (b *batcher) send(batch []*pending) {
	// Bounded by the timeout, as every waiter is.
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	defer cancel()
	decide(ctx, b.client, batch)
	for _, p := range batch {
		close(p.done)
	}
}
