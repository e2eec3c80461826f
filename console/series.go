package console

import (
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// A Probe is a sample of the figures that are not events, taken every
// [step] by the [Recorder]'s sampler.
type Probe struct {
	// Requests and Banned are totals since start: requests answered on the
	// public listener, and those refused because the client was banned.
	Requests, Banned uint64
	// BansActive counts the bans in force; -1 if not known.
	BansActive int
	// App is the supervised app's state ("ready", "backoff"…); "" when
	// the gateway supervises none. Restarts counts its restarts.
	App      string
	Restarts int
}

const (
	step    = 10 * time.Second
	buckets = 24 * 60 * 60 / 10 // a day of steps
)

// series is a day of 10-second buckets, indexed by time.
type series struct {
	b    [buckets]bucket
	last Probe // the previous sample, for the counters' deltas
	have bool  // whether last is set
}

type bucket struct {
	slot         int64 // unix time / 10 of the bucket; a stale slot is empty
	requests     uint32
	blocked      uint32
	failedLogins uint32
	sampled      bool // whether the probe figures below are set
	bansActive   int32
	restarts     int32
	app          string
}

func slotOf(t time.Time) int64 { return t.Unix() / int64(step/time.Second) }

// at returns the bucket of t, emptied if it held an older slot.
func (s *series) at(t time.Time) *bucket {
	slot := slotOf(t)
	b := &s.b[slot%buckets]
	if b.slot != slot {
		*b = bucket{slot: slot}
	}
	return b
}

// count adds e to its bucket: refusals are "blocked", failed logins too.
func (s *series) count(e event.Event) {
	b := s.at(e.Time)
	if e.Type == "denied" {
		b.blocked++
	}
	if e.Category == event.CategoryAuthentication && e.Action == "login-failure" {
		b.failedLogins++
	}
}

// add puts a probe sample into the bucket of now.
func (s *series) add(now time.Time, p Probe) {
	b := s.at(now)
	if s.have {
		b.requests += uint32(p.Requests - min(p.Requests, s.last.Requests))
		b.blocked += uint32(p.Banned - min(p.Banned, s.last.Banned))
	}
	s.last, s.have = p, true
	b.sampled = true
	b.bansActive = int32(p.BansActive)
	b.restarts = int32(p.Restarts)
	b.app = p.App
}

// sample takes a probe sample every step until Close.
func (r *Recorder) sample() {
	defer close(r.done)
	t := time.NewTicker(step)
	defer t.Stop()
	for {
		if probe := r.probe.Load(); probe != nil {
			p := (*probe)()
			r.mu.Lock()
			r.series.add(r.clock(), p)
			r.mu.Unlock()
		}
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
	}
}

// Series is the JSON form of GET /v1/series: one point per Step seconds,
// oldest first, ending at End. Rates are per second; a null is a step with
// no sample.
type Series struct {
	Window       string     `json:"window"`
	Step         int        `json:"step"`
	End          time.Time  `json:"end"`
	Requests     []*float64 `json:"requests"`
	Blocked      []float64  `json:"blocked"`
	FailedLogins []float64  `json:"failedLogins"`
	BansActive   []*int     `json:"bansActive"`
	Restarts     []*int     `json:"restarts"`
	App          []string   `json:"app"` // the app's state at each point; "" unknown
}

// view groups the buckets of the last window into points of group buckets.
func (s *series) view(now time.Time, window time.Duration, group int) Series {
	n := int(window/step) / group
	out := Series{Step: group * int(step/time.Second), End: now.UTC().Truncate(time.Second)}
	end := slotOf(now)
	first := end - int64(n*group) + 1
	for p := range n {
		var req, blocked, failed float64
		var sampled bool
		var bans, restarts int
		var app string
		for i := range group {
			slot := first + int64(p*group+i)
			b := &s.b[((slot%buckets)+buckets)%buckets]
			if b.slot != slot {
				continue
			}
			req += float64(b.requests)
			blocked += float64(b.blocked)
			failed += float64(b.failedLogins)
			if b.sampled {
				sampled, bans, restarts, app = true, int(b.bansActive), int(b.restarts), b.app
			}
		}
		secs := float64(out.Step)
		out.Blocked = append(out.Blocked, blocked/secs)
		out.FailedLogins = append(out.FailedLogins, failed/secs)
		if sampled {
			r := req / secs
			out.Requests = append(out.Requests, &r)
			out.BansActive = append(out.BansActive, ptrIf(bans, bans >= 0))
			out.Restarts = append(out.Restarts, &restarts)
		} else {
			out.Requests = append(out.Requests, nil)
			out.BansActive = append(out.BansActive, nil)
			out.Restarts = append(out.Restarts, nil)
		}
		out.App = append(out.App, app)
	}
	return out
}

func ptrIf(v int, ok bool) *int {
	if !ok {
		return nil
	}
	return &v
}
