package scenario

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// Options are an [Engine]'s collaborators.
type Options struct {
	// Banner carries out decisions. Required unless every scenario
	// simulates.
	Banner Banner
	// Publish receives the ban-simulated and ban-failed events. If nil,
	// they are dropped (and still logged).
	Publish func(event.Event)
	// Logger is for decisions and failures. If nil, slog.Default().
	Logger *slog.Logger
	// Clock tells the time buckets leak by. If nil, time.Now.
	Clock func() time.Time
	// BanTimeout bounds one call of Banner.Ban. If zero, 5s.
	BanTimeout time.Duration
	// Fleet, if set, keeps the buckets in Redis, shared with the other
	// gateways using it, so that N gateways decide as one; while Redis is
	// unreachable the buckets are counted here and merged back when it
	// returns. If nil, buckets are this engine's alone.
	Fleet *fleet.Shared
}

// An Engine pours events into the buckets of its scenarios and hands the
// decisions to a Banner. It owns no goroutine. It is safe for concurrent
// use, though made to be one bus subscriber's handler.
type Engine struct {
	scenarios  []*compiled
	banner     Banner
	publish    func(event.Event)
	log        *slog.Logger
	clock      func() time.Time
	banTimeout time.Duration
	fleet      *fleet.Shared
	seed       maphash.Seed
	max        int

	ctx    context.Context // ends at Close, and with it a Ban in progress
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool
	buckets map[bucketKey]*bucket
	ranks   []rank // scratch space of sweep
	stats   Stats
}

// Stats counts what an Engine did.
type Stats struct {
	Buckets   int    // buckets in memory now
	Decisions uint64 // decisions handed to the Banner and accepted
	Simulated uint64 // decisions only published
	Failed    uint64 // decisions the Banner refused or failed
	Evicted   uint64 // buckets dropped to make room before they drained
}

// compiled is a scenario ready to run.
type compiled struct {
	Scenario
	index       uint16
	key, ban    Key
	leak        int64 // ns
	capNs       int64 // capacity × leak: the span of a full bucket
	trigNs      int64 // (capacity-1) × leak: the level an event must find to trigger
	maxDistinct int
	what        string
}

// New validates cfg and returns an engine running its scenarios.
func New(cfg Config, opts Options) (*Engine, error) {
	list, err := cfg.Resolve()
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if len(list) > 1<<16 {
		return nil, errors.New("scenario: more than 65536 scenarios")
	}
	e := &Engine{
		banner: opts.Banner, publish: opts.Publish, log: opts.Logger, clock: opts.Clock,
		banTimeout: opts.BanTimeout, fleet: opts.Fleet, seed: maphash.MakeSeed(), max: cfg.maxBuckets(),
		buckets: make(map[bucketKey]*bucket),
	}
	for i, s := range list {
		if !s.Simulate && e.banner == nil {
			return nil, fmt.Errorf("scenario: %s would ban but there is no Banner: pass Options.Banner or set simulate", s.Name)
		}
		e.scenarios = append(e.scenarios, &compiled{
			Scenario: s, index: uint16(i), key: s.key(), ban: s.ban(),
			leak: int64(s.Leak), capNs: int64(s.Capacity) * int64(s.Leak), trigNs: int64(s.Capacity-1) * int64(s.Leak),
			maxDistinct: s.maxDistinct(), what: s.what(),
		})
	}
	if e.publish == nil {
		e.publish = func(event.Event) {}
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	if e.banTimeout <= 0 {
		e.banTimeout = 5 * time.Second
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if e.fleet != nil {
		e.fleet.OnResume(e.mergeLocal)
	}
	return e, nil
}

// Scenarios returns the names of the scenarios running, in order.
func (e *Engine) Scenarios() []string {
	names := make([]string, len(e.scenarios))
	for i, s := range e.scenarios {
		names[i] = s.Name
	}
	return names
}

// Handle pours e into the bucket of its key in every scenario whose filter
// selects it, and decides for each bucket that fills. It is an
// [event.Handler]. Decisions are carried out before it returns. Events the
// engine published itself (labelled "scenario") are ignored, as is
// everything after Close.
func (e *Engine) Handle(ev event.Event) {
	one := [1]event.Event{ev}
	e.HandleBatch(one[:])
}

// MaxBatch is the most events [Engine.HandleBatch] is meant to get at once
// (see [event.Bus.SubscribeBatch]): with a fleet, one script run in Redis
// counts them all. The larger the batch, the more of an attacker's events
// share a bucket's one read and write, and the longer the run holds Redis:
// 128 failed logins each from another address hold it about 3.5 ms on a
// loaded 2-CPU machine (docs/benchmarks.md), well under the fleet's
// 100 ms timeout.
const MaxBatch = 128

// HandleBatch is [Engine.Handle] for several events, in order: with a
// fleet they reach Redis in one script run and one round trip (one per
// shard on a Cluster), and each bucket an event fills is decided before
// it returns. It is an [event.BatchHandler].
func (e *Engine) HandleBatch(evs []event.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	var now time.Time // read once, and only for events some scenario wants
	var batch sharedBatch
	shared := e.fleet.Up()
	for i := range evs {
		ev := &evs[i]
		if ev.Labels["scenario"] != "" {
			continue
		}
		for _, s := range e.scenarios {
			if len(s.Reset) > 0 && anyMatch(s.Reset, ev) {
				if k, ok := keyOf(s, ev); ok {
					delete(e.buckets, k)
					if shared {
						batch.reset(e, s, k)
					}
				}
				continue
			}
			if !anyMatch(s.Match, ev) {
				continue
			}
			if k, ok := keyOf(s, ev); ok {
				if now.IsZero() {
					now = e.clock()
				}
				k, b := e.bucketOf(k, now.UnixNano())
				if shared {
					batch.pour(e, s, k, b, ev, i)
				} else {
					e.pourLocal(s, k, b, ev, now)
				}
			}
		}
	}
	e.runShared(&batch, evs, now)
}

// bucketOf returns k's bucket, made (after a sweep when the map is full)
// if it is new, and the key as stored.
func (e *Engine) bucketOf(k bucketKey, now int64) (bucketKey, *bucket) {
	b := e.buckets[k]
	if b == nil {
		if len(e.buckets) >= e.max {
			e.sweep(now)
		}
		k.user, k.service = clone(k.user), clone(k.service)
		b = &bucket{}
		e.buckets[k] = b
	}
	b.last = now
	return k, b
}

// pourLocal adds ev to the bucket b of k here, deciding if that fills it.
func (e *Engine) pourLocal(s *compiled, k bucketKey, b *bucket, ev *event.Event, t time.Time) {
	now := t.UnixNano()
	if e.fleet != nil {
		e.fleet.Local("scenarios")
	}
	if b.tat <= now {
		if b.quiet > now {
			return // decided already; one attack, one decision
		}
		b.refill(now)
	}
	if s.Distinct != "" {
		h, ok := distinctHash(e.seed, s, ev)
		if !ok || !b.remember(h, s.maxDistinct) {
			return
		}
	}
	b.tat += s.leak
	b.count++
	// The event that finds more than capacity-1 units left triggers: a
	// burst of capacity events does, and so do capacity events spread over
	// less than one leak.
	full := s.Capacity == 1 || b.tat-now > s.trigNs
	if len(b.evidence) < maxEvidence-1 || full && len(b.evidence) < maxEvidence {
		b.evidence = append(b.evidence, evidenceLine(ev))
	} else if full {
		b.evidence[maxEvidence-1] = evidenceLine(ev)
	}
	if full {
		e.decide(s, k, b, t)
	}
}

// decide turns a full bucket into a decision, carries it out or publishes
// it, and empties the bucket.
func (e *Engine) decide(s *compiled, k bucketKey, b *bucket, t time.Time) {
	now := t.UnixNano()
	who := Target{IP: k.ip, User: k.user, Service: k.service}
	d := Decision{
		Scenario: s.Name,
		Target:   target(s.ban, who),
		Duration: s.BanDuration,
		Reason:   reason(s, who, int(b.count), time.Duration(now-b.first), b.evidence[len(b.evidence)-1]),
		Evidence: slices.Clone(b.evidence),
		Simulate: s.Simulate,
		Time:     t,
	}
	b.refill(now)
	if d.Simulate {
		e.stats.Simulated++
		b.quiet = now + int64(s.BanDuration)
		e.log.LogAttrs(e.ctx, slog.LevelWarn, "ban simulated", decisionAttrs(d)...)
		e.publish(decisionEvent(d, "ban-simulated", nil))
		return
	}
	ctx, cancel := context.WithTimeout(e.ctx, e.banTimeout)
	err := e.banner.Ban(ctx, d)
	cancel()
	if errors.Is(err, ErrSpared) {
		b.quiet = now + int64(s.BanDuration)
		e.log.LogAttrs(e.ctx, slog.LevelInfo, "not banned: allowlisted", decisionAttrs(d)...)
		return
	}
	if err != nil {
		e.stats.Failed++
		e.log.LogAttrs(e.ctx, slog.LevelError, "ban failed", append(decisionAttrs(d), slog.String("error", err.Error()))...)
		e.publish(decisionEvent(d, "ban-failed", err))
		return
	}
	e.stats.Decisions++
	b.quiet = now + int64(s.BanDuration)
	e.log.LogAttrs(e.ctx, slog.LevelInfo, "ban decided", decisionAttrs(d)...)
}

// target keeps of who what the ban is about.
func target(ban Key, who Target) Target {
	if !ban.hasIP() {
		who.IP = netipZero
	}
	if !ban.hasUser() {
		who.User, who.Service = "", ""
	}
	return who
}

// Stats reports what the engine did so far.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stats
	s.Buckets = len(e.buckets)
	return s
}

// Close ends a Ban in progress, waits for Handle to return and makes later
// calls do nothing. Buckets are dropped.
func (e *Engine) Close() {
	e.cancel()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	e.buckets = nil
}

func clone(s string) string {
	if s == "" {
		return ""
	}
	return string([]byte(s))
}
