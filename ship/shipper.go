package ship

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bulwark-sec/bulwark/event"
)

// Options are what a [Shipper] gets from its caller rather than from the
// configuration file.
type Options struct {
	// Dir holds the spools when Config.Dir is empty. One of them is
	// required when there are sinks.
	Dir string
	// Logger receives delivery problems and drops. If nil, nothing is
	// logged.
	Logger *slog.Logger
	// Clock stamps webhook requests and file rotations. If nil, time.Now.
	Clock func() time.Time
	// Publish, if set, is given a ship-dropped event whenever a sink's disk
	// budget forces dropping undelivered events, and when a sink's spool
	// starts dropping new events it cannot write (typically the bus's
	// Publish).
	Publish func(event.Event)
	// Registerer, if set, gets the shipper's metrics
	// (bulwark_ship_events_{spooled,delivered,dropped}_total,
	// bulwark_ship_send_failures_total, bulwark_ship_backlog_bytes,
	// bulwark_ship_spool_held_events, bulwark_ship_spool_write_failures_total).
	Registerer prometheus.Registerer
	// Stdout is where stdout sinks write. If nil, os.Stdout.
	Stdout io.Writer
	// Sinks replace the sink built from the configuration of the same
	// name: for sinks of a kind this package lacks, and for tests.
	Sinks map[string]Sink

	// openFile, if set, opens the spools' files for writing: tests make
	// the disk fail through it.
	openFile func(name string, flag int, perm os.FileMode) (spoolFile, error)
}

// A Shipper sends events to its sinks, each through its own durable spool
// and delivery goroutine. Handle is safe for concurrent use.
type Shipper struct {
	runners []*runner
	log     *slog.Logger
	publish func(event.Event)
	reg     prometheus.Registerer
	coll    *collector
	closed  atomic.Bool
	lost    atomic.Uint64
}

// New validates cfg, opens (and recovers) each sink's spool under
// <dir>/<name>/ and starts delivery. Events spooled by an earlier Shipper on
// the same directory are delivered first.
func New(cfg Config, opts Options) (*Shipper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("ship: invalid configuration: %w", err)
	}
	dir := cfg.Dir
	if dir == "" {
		dir = opts.Dir
	}
	if dir == "" && len(cfg.Sinks) > 0 {
		return nil, errors.New("ship: no spool directory: set ship.dir or pass Options.Dir")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(cfg.Sinks) > 0 {
		if err := privateDir(dir, log); err != nil {
			return nil, fmt.Errorf("ship: creating spool directory: %w", err)
		}
	}
	s := &Shipper{log: log, publish: opts.Publish, reg: opts.Registerer}
	for _, sc := range cfg.Sinks {
		r, err := newRunner(sc.withDefaults(), filepath.Join(dir, sc.Name), opts, log)
		if err != nil {
			s.closeRunners(context.Background())
			return nil, fmt.Errorf("ship: sink %s: %w", sc.Name, err)
		}
		s.runners = append(s.runners, r)
	}
	if opts.Registerer != nil {
		s.coll = &collector{s: s}
		if err := registerCollector(opts.Registerer, s.coll); err != nil {
			s.closeRunners(context.Background())
			return nil, fmt.Errorf("ship: registering metrics: %w", err)
		}
	}
	for _, r := range s.runners {
		r.started.Store(true)
		go r.run()
	}
	return s, nil
}

// buildSink makes the sink a configuration names.
func buildSink(c SinkConfig, opts Options) (Sink, error) {
	if s, ok := opts.Sinks[c.Name]; ok {
		return s, nil
	}
	switch c.Type {
	case TypeFile:
		return NewFile(c, opts.Clock)
	case TypeStdout:
		if opts.Stdout == nil {
			return NewWriter(os.Stdout), nil
		}
		return NewWriter(opts.Stdout), nil
	case TypeSyslog:
		return NewSyslog(c)
	case TypeLogstashTCP:
		return NewLogstashTCP(c)
	case TypeLogstashHTTP:
		return NewLogstashHTTP(c)
	case TypeWebhook:
		return NewWebhook(c, opts.Clock)
	}
	return nil, fmt.Errorf("unknown type %q", c.Type)
}

// Handle spools e for every sink whose filter it passes. It is the only
// work done on the event path: one JSON encoding and a buffered append per
// sink; writing, fsync and delivery happen on the spools' goroutines. Use
// it as an [event.Handler]. After Close it counts e as lost.
func (s *Shipper) Handle(e event.Event) {
	if s.closed.Load() {
		s.lost.Add(1)
		return
	}
	var data []byte
	for _, r := range s.runners {
		if !r.cfg.Filter.match(e) {
			continue
		}
		if data == nil {
			var err error
			if data, err = json.Marshal(e); err != nil {
				s.log.LogAttrs(context.Background(), slog.LevelError, "encoding event", slog.String("event.id", e.ID), slog.String("error", err.Error()))
				return
			}
		}
		res, err := r.spool.append(data)
		switch {
		case errors.Is(err, errSpoolClosed):
			s.lost.Add(1)
		case err != nil:
			r.dropped.Add(1)
			s.log.LogAttrs(context.Background(), slog.LevelError, "spooling event", slog.String("sink", r.name),
				slog.String("event.id", e.ID), slog.String("error", err.Error()))
		case res.Held:
			// Counted by the spool; logged there once per episode.
			if res.FirstHeld {
				s.droppingHeld(r)
			}
		default:
			r.spooled.Add(1)
		}
		if res.Budget > 0 {
			s.dropped(r, res.Budget)
		}
	}
}

// dropped counts, logs and reports events dropped to keep r's spool within
// its disk budget.
func (s *Shipper) dropped(r *runner, n int) {
	r.dropped.Add(uint64(n))
	msg := fmt.Sprintf("sink %s: spool over its disk budget of %d bytes; dropped the %d oldest undelivered events", r.name, r.cfg.Spool.MaxBytes, n)
	s.log.LogAttrs(context.Background(), slog.LevelWarn, "spool full: dropped oldest events",
		slog.String("sink", r.name), slog.Int("dropped", n), slog.Int64("max_bytes", int64(r.cfg.Spool.MaxBytes)))
	if s.publish != nil {
		s.publish(event.Event{
			Kind: event.KindAlert, Category: event.CategoryConfiguration, Type: "error", Action: "ship-dropped",
			Outcome: event.OutcomeFailure, Severity: event.SeverityHigh, Message: msg,
			Labels: map[string]string{"sink": r.name, "dropped": strconv.Itoa(n)},
		})
	}
}

// droppingHeld reports that r's spool started dropping new events: it
// cannot write them (or not as fast as they come) and holds as many as it
// may in memory. The spool logs the count when it writes again.
func (s *Shipper) droppingHeld(r *runner) {
	if s.publish == nil {
		return
	}
	msg := fmt.Sprintf("sink %s: the spool cannot write to disk and holds %d events in memory, its bound (spool.maxHeld); new events are dropped until it can write again, counted in bulwark_ship_events_dropped_total", r.name, r.spool.opts.MaxHeld)
	s.publish(event.Event{
		Kind: event.KindAlert, Category: event.CategoryConfiguration, Type: "error", Action: "ship-dropped",
		Outcome: event.OutcomeFailure, Severity: event.SeverityHigh, Message: msg,
		Labels: map[string]string{"sink": r.name, "reason": "held"},
	})
}

// Close stops delivery after the batches in flight (abandoning them when
// ctx is done; they are sent again after a restart), writes and fsyncs
// what Handle appended, persists the acknowledged positions and closes the
// sinks.
func (s *Shipper) Close(ctx context.Context) error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	if s.coll != nil {
		s.reg.Unregister(s.coll)
	}
	return s.closeRunners(ctx)
}

func (s *Shipper) closeRunners(ctx context.Context) error {
	for _, r := range s.runners {
		r.stopReading()
	}
	stop := context.AfterFunc(ctx, func() {
		for _, r := range s.runners {
			r.cancelSend()
		}
	})
	defer stop()
	var errs []error
	for _, r := range s.runners {
		if r.started.Load() {
			<-r.done
		}
		r.cancelSend()
		if err := r.spool.close(); err != nil {
			errs = append(errs, fmt.Errorf("sink %s: closing spool: %w", r.name, err))
		}
		if err := r.sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("sink %s: %w", r.name, err))
		}
	}
	return errors.Join(errs...)
}

// SinkStats counts one sink's events.
type SinkStats struct {
	Name          string
	Spooled       uint64 // appended to the spool by this Shipper
	Delivered     uint64 // acknowledged by the sink
	Dropped       uint64 // dropped for the disk budget, at the held bound, or too large to spool
	Failures      uint64 // failed sends (each retried)
	BacklogBytes  int64  // spooled, not yet delivered
	BacklogEvents int
	Held          int    // in memory, not yet written to the spool
	WriteFailures uint64 // failed writes to the spool (each retried with backoff)
}

// Stats reports every sink's counters.
func (s *Shipper) Stats() []SinkStats {
	out := make([]SinkStats, len(s.runners))
	for i, r := range s.runners {
		b, n := r.spool.backlog()
		h := r.spool.heldStats()
		out[i] = SinkStats{
			Name: r.name, Spooled: r.spooled.Load(), Delivered: r.delivered.Load(),
			Dropped: r.dropped.Load() + h.dropped, Failures: r.failures.Load(),
			BacklogBytes: b, BacklogEvents: n, Held: h.held, WriteFailures: h.writeFails,
		}
	}
	return out
}

// Lost counts events handled after Close, which no sink got.
func (s *Shipper) Lost() uint64 { return s.lost.Load() }
