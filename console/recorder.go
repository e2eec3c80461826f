package console

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// A Clock tells the time; time.Now in production.
type Clock func() time.Time

// A Recorder keeps the most recent events from the bus in a bounded ring,
// counts them into the time series, and passes new ones to live watchers.
// Its [Recorder.Handler] serves them as part of the admin API. A Recorder
// is safe for concurrent use; Close stops its sampler.
type Recorder struct {
	clock Clock

	mu       sync.Mutex
	ring     []entry // circular, len = capacity once full
	head     int     // where the next event goes once the ring is full
	seq      uint64  // of the last event recorded
	watchers map[*watcher]struct{}
	series   series

	probe    atomic.Pointer[func() Probe]
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

type entry struct {
	seq uint64
	e   event.Event
}

// A watcher is one live stream: it gets new events that match its filter,
// and loses those that do not fit in its buffer.
type watcher struct {
	f  filter
	ch chan entry
}

// NewRecorder keeps up to size events (if zero, 5000) published on bus from
// now on, and starts the sampler of [Recorder.SetProbe], which runs until
// Close. A nil clock means time.Now.
func NewRecorder(bus *event.Bus, size int, clock Clock) *Recorder {
	if size <= 0 {
		size = 5000
	}
	if clock == nil {
		clock = time.Now
	}
	r := &Recorder{
		clock: clock, ring: make([]entry, 0, size), watchers: map[*watcher]struct{}{},
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	if bus != nil {
		bus.Subscribe("console", 0, r.Record)
	}
	go r.sample()
	return r
}

// SetProbe sets what the sampler asks, every 10 seconds, for the figures
// that are not events: requests, bans in force, the app. It takes the
// first sample at once.
func (r *Recorder) SetProbe(probe func() Probe) {
	r.probe.Store(&probe)
	p := probe()
	r.mu.Lock()
	r.series.add(r.clock(), p)
	r.mu.Unlock()
}

// Record adds e to the ring, the series and the watchers' streams. The bus
// calls it; tests may too.
func (r *Recorder) Record(e event.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	en := entry{seq: r.seq, e: e}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, en)
	} else {
		r.ring[r.head] = en
		r.head = (r.head + 1) % len(r.ring)
	}
	r.series.count(e)
	for w := range r.watchers {
		if w.f.match(e) {
			select {
			case w.ch <- en:
			default: // a slow browser loses events, never the bus
			}
		}
	}
}

// each calls f on the recorded events, newest first, until f returns false.
func (r *Recorder) each(f func(entry) bool) {
	n := len(r.ring)
	for i := range n {
		// The newest is just before head once the ring is full, else last.
		j := (r.head - 1 - i + 2*n) % n
		if n < cap(r.ring) {
			j = n - 1 - i
		}
		if !f(r.ring[j]) {
			return
		}
	}
}

func (r *Recorder) watch(f filter) *watcher {
	w := &watcher{f: f, ch: make(chan entry, 256)}
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

// Close stops the sampler and ends the live streams. It is safe to call
// more than once.
func (r *Recorder) Close() {
	r.stopOnce.Do(func() {
		close(r.stop)
		<-r.done
	})
}
