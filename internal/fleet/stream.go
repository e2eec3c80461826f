package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
)

// A Stream is the fleet's view for the console: one Redis Stream,
// PREFIX:{view}:events, to which every gateway appends its events and
// traffic samples and from which it reads the others'. It is capped by
// length on every append (XADD MAXLEN ~) and by age once a minute (XTRIM
// MINID ~), so it holds at most about MaxLen entries, none much older than
// MaxAge. A stream is one key, so it lives on one Cluster shard.
//
// An entry has the fields g (the gateway's name), i (its instance, kept
// across restarts, so a gateway never reads back its own entries, even
// under another gateway's name) and one of e (an event's ECS JSON) or s (a
// [Traffic] sample's JSON).
//
// A Stream is safe for concurrent use: Add methods never block (while
// Redis is away the entries wait in a bounded outbox, the oldest dropped
// first, and are appended when it returns); [Stream.Run] pushes and
// follows until its context ends.
type Stream struct {
	c   redis.UniversalClient
	key string
	o   StreamOptions

	mu      sync.Mutex
	outbox  [][]any // XADD values waiting, oldest first
	head    uint64  // entries ever removed from the outbox's front
	dropped int     // entries dropped from a full outbox since the last log
	wake    chan struct{}
}

// StreamOptions are a [Stream]'s settings.
type StreamOptions struct {
	// Name is this gateway's name in the fleet's events. Required.
	Name string
	// Instance tells this gateway's entries apart from every other's: a
	// random id the gateway keeps across restarts. Required.
	Instance string
	// MaxLen caps the stream's length (approximately, as Redis trims whole
	// nodes). If zero, 100000.
	MaxLen int64
	// MaxAge caps its entries' age. If zero, 7 days.
	MaxAge time.Duration
	// Batch is how many entries one read or one push carries at most. If
	// zero, 256.
	Batch int
	// Outbox is how many entries wait for Redis at most. If zero, 10000.
	Outbox int
	// Logger is for an outage and malformed entries. If nil,
	// slog.Default().
	Logger *slog.Logger
}

// A Traffic sample is what one gateway answered during a step of the
// console's series: the requests, and those refused to banned clients.
type Traffic struct {
	Time     time.Time `json:"t"`
	Requests uint64    `json:"r"`
	Banned   uint64    `json:"b"`
}

// An Entry is another gateway's entry read from the stream: an event or a
// traffic sample.
type Entry struct {
	ID      string // the stream's id of the entry
	Gateway string // the name of the gateway that appended it
	Event   *event.Event
	Traffic *Traffic
}

// Limits of what is read from the stream: anything larger is malformed.
const (
	maxPayload = 64 << 10
	maxName    = 64
)

// NewStream returns the fleet's view stream, written as o.Name. It does
// nothing until [Stream.Run].
func (s *Shared) NewStream(o StreamOptions) *Stream {
	if o.MaxLen <= 0 {
		o.MaxLen = 100000
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.Batch <= 0 {
		o.Batch = 256
	}
	if o.Outbox <= 0 {
		o.Outbox = 10000
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Stream{c: s.c, key: s.Key("view", "events"), o: o, wake: make(chan struct{}, 1)}
}

// Key returns the stream's key.
func (st *Stream) Key() string { return st.key }

// AddEvent queues an event of this gateway, as its ECS JSON, for the
// stream.
func (st *Stream) AddEvent(ecs json.RawMessage) { st.add("e", string(ecs)) }

// AddTraffic queues a traffic sample of this gateway for the stream.
func (st *Stream) AddTraffic(t Traffic) {
	b, err := json.Marshal(t)
	if err != nil {
		return
	}
	st.add("s", string(b))
}

func (st *Stream) add(field, payload string) {
	st.mu.Lock()
	st.outbox = append(st.outbox, []any{"g", st.o.Name, "i", st.o.Instance, field, payload})
	if n := len(st.outbox) - st.o.Outbox; n > 0 {
		st.outbox = st.outbox[n:]
		st.head += uint64(n)
		st.dropped += n
	}
	st.mu.Unlock()
	select {
	case st.wake <- struct{}{}:
	default:
	}
}

// Deliver takes the other gateways' entries of one read, in the stream's
// order, and last, the id of the last entry read (theirs, this gateway's
// or a malformed one): the place to go on from, once the entries are
// kept. An error keeps last from advancing: the same entries come again.
type Deliver func(ctx context.Context, entries []Entry, last string) error

// Run appends this gateway's entries and reads the others' from after the
// id from ("" or "0": the stream's start), handing them to deliver, until
// ctx ends. While Redis is away it retries with backoff (100 ms to 2 s),
// keeping what it must append and where it was.
func (st *Stream) Run(ctx context.Context, from string, deliver Deliver) {
	if from == "" {
		from = "0"
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); st.push(ctx) }()
	go func() { defer wg.Done(); st.follow(ctx, from, deliver) }()
	wg.Wait()
}

// backoff is the wait after the n-th failure in a row: 100 ms doubling to
// 2 s.
func backoff(n int) time.Duration {
	return min(100*time.Millisecond<<min(n, 5), 2*time.Second)
}

// sleep waits d or until ctx ends, and reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// push appends the outbox to the stream in batches, one pipelined round
// trip each, and trims the stream by age once a minute. When ctx ends it
// appends what is left, for at most a second, unless Redis is away.
func (st *Stream) push(ctx context.Context) {
	trim := time.NewTicker(time.Minute)
	defer trim.Stop()
	fails := 0
	defer func() {
		fctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		for fails == 0 {
			if k, err := st.pushBatch(fctx); k == 0 || err != nil {
				return
			}
		}
	}()
	st.trimAge(ctx)
	for {
		st.mu.Lock()
		dropped := st.dropped
		st.dropped = 0
		st.mu.Unlock()
		if dropped > 0 {
			st.o.Logger.LogAttrs(ctx, slog.LevelWarn, "fleet view: redis away too long; dropped this gateway's oldest entries",
				slog.Int("dropped", dropped))
		}
		k, err := st.pushBatch(ctx)
		if k == 0 {
			select {
			case <-ctx.Done():
				return
			case <-st.wake:
			case <-trim.C:
				st.trimAge(ctx)
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if fails == 0 {
				st.o.Logger.LogAttrs(ctx, slog.LevelWarn, "fleet view: redis unreachable; this gateway's events wait to be appended",
					slog.String("error", err.Error()))
			}
			fails++
			if !sleep(ctx, backoff(fails-1)) {
				return
			}
			continue
		}
		if fails > 0 {
			st.o.Logger.LogAttrs(ctx, slog.LevelInfo, "fleet view: redis answers again; appending this gateway's events")
			fails = 0
		}
	}
}

// pushBatch appends the outbox's oldest entries, at most a batch, and
// removes from it those appended. It returns how many it tried.
func (st *Stream) pushBatch(ctx context.Context) (int, error) {
	st.mu.Lock()
	k := min(len(st.outbox), st.o.Batch)
	batch, head := st.outbox[:k:k], st.head
	st.mu.Unlock()
	if k == 0 {
		return 0, nil
	}
	n, err := st.append(ctx, batch)
	st.mu.Lock()
	// The outbox may have dropped its oldest meanwhile: remove what was
	// appended of what is still there.
	if gone := int(st.head - head); n > gone {
		st.outbox = st.outbox[n-gone:]
		st.head += uint64(n - gone)
	}
	st.mu.Unlock()
	return k, err
}

// append XADDs batch in one pipeline and returns how many of its first
// entries were appended.
func (st *Stream) append(ctx context.Context, batch [][]any) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	p := st.c.Pipeline()
	cmds := make([]*redis.StringCmd, len(batch))
	for i, v := range batch {
		cmds[i] = p.XAdd(ctx, &redis.XAddArgs{Stream: st.key, MaxLen: st.o.MaxLen, Approx: true, Values: v})
	}
	_, err := p.Exec(ctx)
	for i, c := range cmds {
		if c.Err() != nil {
			return i, c.Err()
		}
	}
	return len(batch), err
}

// trimAge drops the entries older than MaxAge.
func (st *Stream) trimAge(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	minID := strconv.FormatInt(time.Now().Add(-st.o.MaxAge).UnixMilli(), 10) + "-0"
	st.c.XTrimMinIDApprox(ctx, st.key, minID, 0) // an outage is logged by push
}

// follow reads the stream from after last in batches, until ctx ends.
func (st *Stream) follow(ctx context.Context, last string, deliver Deliver) {
	fails := 0
	for ctx.Err() == nil {
		res, err := st.c.XRead(ctx, &redis.XReadArgs{Streams: []string{st.key, last}, Count: int64(st.o.Batch), Block: time.Second}).Result()
		if errors.Is(err, redis.Nil) {
			continue // nothing new within the block
		}
		if err == nil && len(res) == 1 && len(res[0].Messages) > 0 {
			msgs := res[0].Messages
			next := msgs[len(msgs)-1].ID
			if err = deliver(ctx, st.decode(ctx, msgs), next); err == nil {
				last = next
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if fails == 0 {
				st.o.Logger.LogAttrs(ctx, slog.LevelWarn, "fleet view: cannot read the fleet's events; showing this gateway's until it can",
					slog.String("error", err.Error()))
			}
			if !sleep(ctx, backoff(fails)) {
				return
			}
			fails++
			continue
		}
		if fails > 0 {
			st.o.Logger.LogAttrs(ctx, slog.LevelInfo, "fleet view: reading the fleet's events again")
			fails = 0
		}
	}
}

// decode keeps the other gateways' well-formed entries of msgs, and logs
// and skips the malformed ones.
func (st *Stream) decode(ctx context.Context, msgs []redis.XMessage) []Entry {
	var out []Entry
	for _, m := range msgs {
		e, own, err := st.decodeEntry(m)
		if err != nil {
			st.o.Logger.LogAttrs(ctx, slog.LevelWarn, "fleet view: skipped a malformed entry of the fleet's stream",
				slog.String("stream", st.key), slog.String("id", m.ID), slog.String("error", err.Error()))
			continue
		}
		if !own {
			out = append(out, e)
		}
	}
	return out
}

// decodeEntry reads one entry, and reports whether it is this gateway's.
func (st *Stream) decodeEntry(m redis.XMessage) (Entry, bool, error) {
	str := func(k string) (string, error) {
		v, ok := m.Values[k]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("field %s: not a string", k)
		}
		return s, nil
	}
	var f [4]string
	for i, k := range []string{"g", "i", "e", "s"} {
		s, err := str(k)
		if err != nil {
			return Entry{}, false, err
		}
		f[i] = s
	}
	g, inst, ev, tr := f[0], f[1], f[2], f[3]
	if inst == "" || len(inst) > maxName {
		return Entry{}, false, fmt.Errorf("field i: want an instance id of 1 to %d bytes, got %d", maxName, len(inst))
	}
	if inst == st.o.Instance {
		return Entry{}, true, nil
	}
	if g == "" || len(g) > maxName || !utf8.ValidString(g) {
		return Entry{}, false, fmt.Errorf("field g: want a gateway name of 1 to %d bytes of UTF-8", maxName)
	}
	if (ev == "") == (tr == "") {
		return Entry{}, false, errors.New("want one of the fields e (an event) and s (a sample)")
	}
	if len(ev) > maxPayload || len(tr) > maxPayload {
		return Entry{}, false, fmt.Errorf("payload over %d bytes", maxPayload)
	}
	e := Entry{ID: m.ID, Gateway: g}
	if ev != "" {
		var x event.Event
		if err := json.Unmarshal([]byte(ev), &x); err != nil {
			return Entry{}, false, fmt.Errorf("field e: %w", err)
		}
		if x.ID == "" || x.Time.IsZero() {
			return Entry{}, false, errors.New("field e: an event needs event.id and @timestamp")
		}
		if x.Observer == "" {
			x.Observer = g
		}
		e.Event = &x
		return e, false, nil
	}
	var t Traffic
	if err := json.Unmarshal([]byte(tr), &t); err != nil {
		return Entry{}, false, fmt.Errorf("field s: %w", err)
	}
	if t.Time.IsZero() {
		return Entry{}, false, errors.New("field s: a sample needs its time")
	}
	e.Traffic = &t
	return e, false, nil
}
