package fleet

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
)

// ErrDown is returned while Redis is known to be unreachable: the caller
// counts locally without waiting on the network.
var ErrDown = errors.New("fleet: redis unreachable; counting locally")

// Options are a [Shared] link's settings and collaborators.
type Options struct {
	// Prefix starts every key. If empty, "bulwark".
	Prefix string
	// Timeout bounds one call on a request's path. If zero, 100ms.
	Timeout time.Duration
	// Publish receives the fallback and recovery events. If nil, dropped.
	Publish func(event.Event)
	// Logger is for the same, once per change. If nil, slog.Default().
	Logger *slog.Logger
}

// A Shared is the fleet's link to Redis. A nil *Shared is valid and means
// no Redis: [Shared.Up] is false. It is safe for concurrent use; Close
// stops its probe.
type Shared struct {
	c       redis.UniversalClient
	prefix  string
	timeout time.Duration
	publish func(event.Event)
	log     *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	up      atomic.Bool
	mu      sync.Mutex
	resume  []func(context.Context) error
	upGauge prometheus.Gauge
	local   *prometheus.CounterVec
	outages prometheus.Counter
}

// New returns a link through c, assumed up until a call fails.
func New(c redis.UniversalClient, o Options) *Shared {
	s := &Shared{c: c, prefix: o.Prefix, timeout: o.Timeout, publish: o.Publish, log: o.Logger}
	if s.prefix == "" {
		s.prefix = "bulwark"
	}
	if s.timeout <= 0 {
		s.timeout = 100 * time.Millisecond
	}
	if s.publish == nil {
		s.publish = func(event.Event) {}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.upGauge = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "bulwark_fleet_redis_up",
		Help: "1 while the fleet's counts are shared through Redis, 0 while this gateway counts alone.",
	})
	s.local = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bulwark_fleet_local_counts_total",
		Help: "Counts made by this gateway alone because Redis was unreachable, by stage.",
	}, []string{"stage"})
	s.outages = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "bulwark_fleet_redis_outages_total",
		Help: "Times this gateway fell back to local counting.",
	})
	s.up.Store(true)
	s.upGauge.Set(1)
	return s
}

// Collectors returns the link's metrics, for a Prometheus registry.
func (s *Shared) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.upGauge, s.local, s.outages}
}

// Client returns the Redis client.
func (s *Shared) Client() redis.UniversalClient { return s.c }

// Key names a key: PREFIX:{tag}:part:part…
func (s *Shared) Key(tag string, parts ...string) string {
	var b strings.Builder
	b.Grow(len(s.prefix) + len(tag) + 4 + 16*len(parts))
	b.WriteString(s.prefix)
	b.WriteString(":{")
	b.WriteString(tag)
	b.WriteByte('}')
	for _, p := range parts {
		b.WriteByte(':')
		b.WriteString(p)
	}
	return b.String()
}

// Up reports whether counts go to Redis now.
func (s *Shared) Up() bool { return s != nil && s.up.Load() }

// Local counts one decision the stage made alone.
func (s *Shared) Local(stage string) {
	if s != nil {
		s.local.WithLabelValues(stage).Inc()
	}
}

// OnResume registers f, called when Redis answers again after an outage
// and before shared counting resumes: f pushes what its stage counted
// alone. An error keeps the link down and f is called again later.
func (s *Shared) OnResume(f func(context.Context) error) {
	s.mu.Lock()
	s.resume = append(s.resume, f)
	s.mu.Unlock()
}

// Context bounds one call on a request's path by the link's timeout.
func (s *Shared) Context(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// Fail notes that a call failed with err. Unless the caller's own ctx
// ended (a client gone is no outage), the link goes down until a probe
// finds Redis again. It returns err.
func (s *Shared) Fail(ctx context.Context, err error) error {
	if err == nil || errors.Is(err, redis.Nil) || ctx.Err() != nil {
		return err
	}
	if !s.up.CompareAndSwap(true, false) {
		return err
	}
	s.upGauge.Set(0)
	s.outages.Inc()
	s.log.LogAttrs(s.ctx, slog.LevelWarn, "fleet: redis unreachable; this gateway counts alone until it answers",
		slog.String("error", err.Error()))
	s.publish(event.Event{Kind: event.KindAlert, Category: event.CategoryConfiguration, Type: "error",
		Action: "fleet-redis-down", Outcome: event.OutcomeFailure, Severity: event.SeverityHigh,
		Message: "Redis unreachable: this gateway counts logins and attacks alone until it answers"})
	s.wg.Add(1)
	go s.probe()
	return err
}

// probe pings Redis with backoff until it answers and every stage has
// pushed what it counted alone, then brings the link up.
func (s *Shared) probe() {
	defer s.wg.Done()
	wait := 100 * time.Millisecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		if err := s.catchUp(); err == nil {
			s.up.Store(true)
			s.upGauge.Set(1)
			s.log.LogAttrs(s.ctx, slog.LevelInfo, "fleet: redis answers again; counts are shared")
			s.publish(event.Event{Kind: event.KindEvent, Category: event.CategoryConfiguration, Type: "change",
				Action: "fleet-redis-up", Outcome: event.OutcomeSuccess, Severity: event.SeverityInfo,
				Message: "Redis answers again: what this gateway counted alone was merged; counts are shared"})
			return
		}
		wait = min(2*wait, 2*time.Second)
		t.Reset(wait)
	}
}

func (s *Shared) catchUp() error {
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if err := s.c.Ping(ctx).Err(); err != nil {
		return err
	}
	s.mu.Lock()
	fs := append([]func(context.Context) error(nil), s.resume...)
	s.mu.Unlock()
	for _, f := range fs {
		if err := f(ctx); err != nil {
			s.log.LogAttrs(ctx, slog.LevelWarn, "fleet: merging local counts into redis", slog.String("error", err.Error()))
			return err
		}
	}
	return nil
}

// Close stops the probe. It does not close the client.
func (s *Shared) Close() {
	if s == nil {
		return
	}
	s.cancel()
	s.wg.Wait()
}

// Cluster reports whether Redis is a Cluster, where one script's keys must
// share a hash slot: a stage that would batch buckets of different tags
// in one script runs one script per tag instead.
func (s *Shared) Cluster() bool {
	_, ok := s.c.(*redis.ClusterClient)
	return ok
}
