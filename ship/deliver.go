package ship

import (
	"context"
	"errors"
	"log/slog"
	"math/bits"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// maxRetryAfter caps how long a receiver's Retry-After can stop delivery.
const maxRetryAfter = time.Hour

// A runner owns one sink: its spool and the goroutine delivering from it.
type runner struct {
	name  string
	cfg   SinkConfig
	sink  Sink
	spool *spool
	log   *slog.Logger

	readCtx     context.Context // done: take no new batch
	stopReading context.CancelFunc
	sendCtx     context.Context // done: abandon the batch in flight
	cancelSend  context.CancelFunc
	done        chan struct{}
	recs        []Record
	started     atomic.Bool

	spooled, delivered, dropped, failures atomic.Uint64
}

func newRunner(c SinkConfig, dir string, opts Options, log *slog.Logger) (*runner, error) {
	log = log.With(slog.String("sink", c.Name))
	sink, err := buildSink(c, opts)
	if err != nil {
		return nil, err
	}
	maxPending := 4096
	sp, err := openSpool(dir, spoolOptions{
		MaxBytes:     int64(c.Spool.MaxBytes),
		SegmentSize:  min(int64(c.Spool.MaxBytes)/8, 16<<20),
		Interval:     c.Spool.Interval,
		MaxPending:   maxPending,
		Always:       c.Spool.Fsync == FsyncAlways,
		MaxHeld:      c.Spool.MaxHeld,
		MaxHeldBytes: int64(c.Spool.MaxHeldBytes),
		Log:          log,
		OpenFile:     opts.openFile,
	})
	if err != nil {
		sink.Close()
		return nil, err
	}
	r := &runner{name: c.Name, cfg: c, sink: sink, spool: sp, log: log, done: make(chan struct{})}
	r.readCtx, r.stopReading = context.WithCancel(context.Background())
	r.sendCtx, r.cancelSend = context.WithCancel(context.Background())
	return r, nil
}

// run delivers batches in order until stopped: a batch is acknowledged in
// the spool only after the sink took it, and retried with backoff until
// it does.
func (r *runner) run() {
	defer close(r.done)
	for {
		batch, err := r.spool.next(r.readCtx, r.cfg.Batch.Size, r.cfg.Batch.Interval)
		if err != nil {
			return
		}
		recs := r.records(batch)
		for attempt := 0; ; attempt++ {
			err := r.sink.Send(r.sendCtx, recs)
			if err == nil {
				if attempt > 0 {
					r.log.LogAttrs(r.sendCtx, slog.LevelInfo, "delivery resumed", slog.Int("attempts", attempt+1))
				}
				break
			}
			if r.sendCtx.Err() != nil {
				return
			}
			r.failures.Add(1)
			wait := backoff(r.cfg.Retry, attempt, err)
			if attempt&(attempt-1) == 0 { // 0, 1, 2, 4, 8…: not every failure
				r.log.LogAttrs(r.sendCtx, slog.LevelWarn, "delivery failed; will retry",
					slog.Int("attempt", attempt+1), slog.Duration("wait", wait), slog.Int("batch", len(recs)),
					slog.String("error", err.Error()))
			}
			if !sleep(r.readCtx, wait) {
				return
			}
		}
		r.spool.ack(batch)
		r.delivered.Add(uint64(len(batch)))
	}
}

// records wraps a batch for the sink, reusing r.recs.
func (r *runner) records(batch []entry) []Record {
	r.recs = r.recs[:0]
	for _, e := range batch {
		r.recs = append(r.recs, Record{JSON: e.data})
	}
	return r.recs
}

// backoff is the wait after the attempt-th failure (from 0): full jitter,
// uniformly random below min(max, initial·2^attempt), and at least what a
// Retry-After asked for.
func backoff(c RetryConfig, attempt int, err error) time.Duration {
	ceiling := c.Max
	if attempt < 63-bits.Len64(uint64(c.Initial)) {
		ceiling = min(c.Max, c.Initial<<attempt)
	}
	d := time.Duration(0)
	if ceiling > 0 {
		d = rand.N(ceiling)
	}
	var ra *RetryAfterError
	if errors.As(err, &ra) {
		d = max(d, min(ra.After, maxRetryAfter))
	}
	return d
}

// sleep waits d or until ctx is done, reporting whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
