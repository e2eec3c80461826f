package event

import (
	"sync"
	"sync/atomic"
	"time"
)

// A Handler consumes events from the bus, one at a time, in order.
type Handler func(Event)

// A Bus fans events out to subscribers without ever blocking the publisher:
// each subscriber has a bounded buffer, and an event that does not fit is
// dropped and counted. A Bus is safe for concurrent use.
type Bus struct {
	clock    func() time.Time
	observer atomic.Pointer[string] // observer.name given to every event, if set

	mu     sync.RWMutex
	subs   []*subscriber
	closed bool
	wg     sync.WaitGroup

	published atomic.Uint64
}

type subscriber struct {
	name      string
	ch        chan Event
	delivered atomic.Uint64
	dropped   atomic.Uint64
}

// Stats counts what one subscriber got and lost.
type Stats struct {
	Name      string
	Delivered uint64
	Dropped   uint64
}

// NewBus returns an empty bus. A nil clock means time.Now.
func NewBus(clock func() time.Time) *Bus {
	if clock == nil {
		clock = time.Now
	}
	return &Bus{clock: clock}
}

// Subscribe starts a goroutine, owned by the bus, that passes every event
// published from now on to h. Buffer bounds the events waiting for h; if
// zero, 4096. Subscribing to a closed bus does nothing.
func (b *Bus) Subscribe(name string, buffer int, h Handler) {
	b.SubscribeBatch(name, buffer, 1, func(evs []Event) { h(evs[0]) })
}

// A BatchHandler consumes the events waiting for it, in order, several at
// a time. The slice is reused once it returns.
type BatchHandler func([]Event)

// SubscribeBatch is [Bus.Subscribe] for a handler that does better with
// several events at once (one round trip to a shared store for all of
// them): each call gets the event that woke the subscriber and those
// already queued behind it, at most max (if max < 1, 64). A lone event is
// passed at once, never held back to wait for company.
func (b *Bus) SubscribeBatch(name string, buffer, max int, h BatchHandler) {
	if buffer <= 0 {
		buffer = 4096
	}
	if max < 1 {
		max = 64
	}
	s := &subscriber{name: name, ch: make(chan Event, buffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.subs = append(b.subs, s)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		batch := make([]Event, 0, max)
		for e := range s.ch {
			batch = append(batch[:0], e)
		queued:
			for len(batch) < max {
				select {
				case e, ok := <-s.ch:
					if !ok {
						break queued
					}
					batch = append(batch, e)
				default:
					break queued
				}
			}
			h(batch)
			s.delivered.Add(uint64(len(batch)))
			clear(batch)
		}
	}()
}

// SetObserver names the gateway every event published from now on comes
// from (observer.name), unless the event names one: in a fleet the
// console, the sinks and the alerts then tell the gateways apart.
func (b *Bus) SetObserver(name string) { b.observer.Store(&name) }

// Publish hands e to every subscriber without blocking, setting its Time
// and ID when they are empty.
func (b *Bus) Publish(e Event) {
	if e.Observer == "" {
		if o := b.observer.Load(); o != nil {
			e.Observer = *o
		}
	}
	if e.Time.IsZero() {
		e.Time = b.clock()
	}
	if e.ID == "" {
		e.ID = NewID()
	}
	if e.Kind == "" {
		e.Kind = KindEvent
	}
	b.published.Add(1)
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, s := range b.subs {
		if b.closed {
			s.dropped.Add(1)
			continue
		}
		select {
		case s.ch <- e:
		default:
			s.dropped.Add(1)
		}
	}
}

// Published counts the events ever published.
func (b *Bus) Published() uint64 { return b.published.Load() }

// Stats reports, per subscriber, what was delivered and dropped.
func (b *Bus) Stats() []Stats {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]Stats, len(b.subs))
	for i, s := range b.subs {
		out[i] = Stats{s.name, s.delivered.Load(), s.dropped.Load()}
	}
	return out
}

// Close stops accepting events, lets every subscriber finish the events
// already buffered, and returns when they have.
func (b *Bus) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		for _, s := range b.subs {
			close(s.ch)
		}
	}
	b.mu.Unlock()
	b.wg.Wait()
}
