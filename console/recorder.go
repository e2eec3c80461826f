package console

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// A Clock tells the time; time.Now in production.
type Clock func() time.Time

// A Recorder keeps the events from the bus and samples of the figures that
// are not events in a [History], for as long as its retention says, and
// passes new events to live watchers. Its [Recorder.Handler] serves them
// as part of the admin API. A Recorder is safe for concurrent use; Close
// stops its sampler and writes what is pending.
type Recorder struct {
	clock     Clock
	hist      History
	log       *slog.Logger
	max       int
	retention time.Duration

	mu       sync.Mutex
	seq      uint64   // of the last event recorded
	pending  []Stored // recorded, not yet in hist
	watchers map[*watcher]struct{}
	last     Probe // the previous sample, for the counters' deltas
	have     bool  // whether last is set
	cpu      cpuMeter
	appended int       // events written since the last prune
	sampled  time.Time // when the last sample was taken, on the monotonic clock

	flushMu  sync.Mutex // one writer to hist at a time, in order
	probe    atomic.Pointer[func() Probe]
	fleet    atomic.Pointer[fleetLink] // set by [Console.JoinFleet]
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// A watcher is one live stream: it gets new events that match its filter,
// and loses those that do not fit in its buffer.
type watcher struct {
	f  Filter
	ch chan Stored
}

// RecorderOptions tune a [Recorder].
type RecorderOptions struct {
	// Max is how many events are kept at most; the oldest go first. If
	// zero, 100000.
	Max int
	// Retention is how long events and samples are kept. If zero, 7 days.
	Retention time.Duration
	// Clock tells the time. If nil, time.Now.
	Clock Clock
	// Logger is for a history that fails. If nil, slog.Default().
	Logger *slog.Logger
}

// flushEvery is how often recorded events are written to the history;
// pruneEvery how often the history is pruned; maxPending how many events
// wait for a history that fails before the oldest are dropped.
const (
	flushEvery = time.Second
	pruneEvery = 10 * time.Minute
	maxPending = 10000
	flushAt    = 256 // events pending that make Record write at once
)

// NewRecorder keeps the events published on bus from now on in hist,
// going on from the sequence numbers it already holds, and starts the
// sampler of [Recorder.SetProbe], which runs until Close.
func NewRecorder(ctx context.Context, bus *event.Bus, hist History, opts RecorderOptions) (*Recorder, error) {
	if opts.Max <= 0 {
		opts.Max = 100000
	}
	if opts.Retention <= 0 {
		opts.Retention = 7 * 24 * time.Hour
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	seq, err := hist.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	r := &Recorder{
		clock: opts.Clock, hist: hist, log: opts.Logger, max: opts.Max, retention: opts.Retention,
		seq: seq, watchers: map[*watcher]struct{}{}, stop: make(chan struct{}), done: make(chan struct{}),
	}
	r.prune(ctx)
	if bus != nil {
		bus.Subscribe("console", 0, r.Record)
	}
	go r.sample()
	return r, nil
}

// SetProbe sets what the sampler asks, every 10 seconds, for the figures
// that are not events: requests, bans in force, the app. It takes the
// first sample at once.
func (r *Recorder) SetProbe(probe func() Probe) {
	r.probe.Store(&probe)
	r.takeSample(probe())
}

// Record gives e the next sequence number, queues it for the history and
// passes it to the watchers' streams. The bus calls it; tests may too. In a
// fleet, e is named as this gateway's and appended to the fleet's stream.
func (r *Recorder) Record(e event.Event) {
	link := r.fleet.Load()
	if link != nil && e.Observer == "" {
		e.Observer = link.name
	}
	if st, ok := r.record(e); ok && link != nil {
		link.stream.AddEvent(st.JSON)
	}
}

// record keeps e as Record does, and returns it as kept.
func (r *Recorder) record(e event.Event) (Stored, bool) {
	r.mu.Lock()
	r.seq++
	st, err := storedOf(r.seq, e)
	if err != nil {
		r.seq--
		r.mu.Unlock()
		return Stored{}, false
	}
	r.pending = append(r.pending, st)
	if n := len(r.pending) - maxPending; n > 0 {
		r.pending = r.pending[n:] // the history fails: keep the newest
	}
	full := len(r.pending) >= flushAt
	for w := range r.watchers {
		if w.f.matchStored(st) {
			select {
			case w.ch <- st:
			default: // a slow browser loses events, never the bus
			}
		}
	}
	r.mu.Unlock()
	if full {
		r.flush(context.Background())
	}
	return st, true
}

// flush writes the pending events to the history, in order. On failure
// they stay pending for the next try.
func (r *Recorder) flush(ctx context.Context) error {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.mu.Lock()
	batch := r.pending
	r.pending = nil
	r.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := r.hist.Append(ctx, batch); err != nil {
		r.mu.Lock()
		r.pending = append(batch, r.pending...)
		r.mu.Unlock()
		r.log.LogAttrs(ctx, slog.LevelError, "console history", slog.String("error", err.Error()))
		return err
	}
	// Past a tenth of the bound, prune at once: a flood must not grow the
	// store far past it before the next periodic prune.
	if r.appended += len(batch); r.appended > r.max/10 {
		r.appended = 0
		r.prune(ctx)
	}
	return nil
}

func (r *Recorder) prune(ctx context.Context) {
	if err := r.hist.Prune(ctx, r.clock().Add(-r.retention), r.max); err != nil {
		r.log.LogAttrs(ctx, slog.LevelError, "console history", slog.String("error", err.Error()))
	}
}

// takeSample keeps a sample of p: the counters as deltas from the previous
// one, the app's CPU over the step.
func (r *Recorder) takeSample(p Probe) {
	now := r.clock()
	r.mu.Lock()
	s := Sample{Time: now, BansActive: p.BansActive, App: p.App, Restarts: p.Restarts, CPU: -1, RSS: -1}
	if r.have {
		s.Requests = p.Requests - min(p.Requests, r.last.Requests)
		s.Banned = p.Banned - min(p.Banned, r.last.Banned)
	}
	r.last, r.have = p, true
	r.sampled = time.Now()
	s.CPU, s.RSS = r.cpu.measure(p.PID, now)
	r.mu.Unlock()
	if err := r.hist.AddSample(context.Background(), s); err != nil {
		r.log.LogAttrs(context.Background(), slog.LevelError, "console history", slog.String("error", err.Error()))
	}
	if link := r.fleet.Load(); link != nil {
		link.stream.AddTraffic(fleet.Traffic{Time: s.Time, Requests: s.Requests, Banned: s.Banned})
	}
}

// sample flushes events every second, takes a probe sample every step and
// prunes the history every pruneEvery, until Close.
func (r *Recorder) sample() {
	defer close(r.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	ctx := context.Background()
	var lastPrune time.Time
	for {
		now := time.Now()
		r.mu.Lock()
		due := now.Sub(r.sampled) >= step
		r.mu.Unlock()
		if probe := r.probe.Load(); probe != nil && due {
			r.takeSample((*probe)())
		}
		r.flush(ctx)
		if now.Sub(lastPrune) >= pruneEvery {
			if !lastPrune.IsZero() {
				r.prune(ctx)
			}
			lastPrune = now
		}
		select {
		case <-r.stop:
			r.flush(ctx)
			return
		case <-t.C:
		}
	}
}

func (r *Recorder) watch(f Filter) *watcher {
	w := &watcher{f: f, ch: make(chan Stored, 256)}
	r.mu.Lock()
	r.watchers[w] = struct{}{}
	r.mu.Unlock()
	return w
}

func (r *Recorder) unwatch(w *watcher) {
	r.mu.Lock()
	delete(r.watchers, w)
	r.mu.Unlock()
}

// Close stops the sampler, writes the pending events and ends the live
// streams. It is safe to call more than once.
func (r *Recorder) Close() {
	r.stopOnce.Do(func() {
		if link := r.fleet.Load(); link != nil {
			link.cancel()
			<-link.done
		}
		close(r.stop)
		<-r.done
	})
}
