package console

import (
	"context"
	"strings"
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
	// the gateway supervises none. Restarts counts its restarts, PID is
	// its process (0 when none runs), whose CPU and memory are sampled.
	App      string
	Restarts int
	PID      int
}

// step is how often the sampler takes a probe sample.
const step = 10 * time.Second

// A window is a span GET /v1/series shows, in points of group steps.
type window struct {
	span  time.Duration
	point time.Duration
}

var windows = map[string]window{
	"1h":  {time.Hour, 10 * time.Second},
	"24h": {24 * time.Hour, 5 * time.Minute},
	"7d":  {7 * 24 * time.Hour, time.Hour},
}

// Series is the JSON form of GET /v1/series: one point per Step seconds,
// oldest first, the last one holding End. Rates are per second and counts
// per point; a null is a point with no sample (the gateway was not
// running).
type Series struct {
	Window string    `json:"window"`
	Step   int       `json:"step"`
	End    time.Time `json:"end"`
	// Time is each point's start, unix seconds.
	Time []int64 `json:"time"`

	Requests     []*float64 `json:"requests"`     // per second
	Blocked      []float64  `json:"blocked"`      // per second: refused requests, banned clients' included
	FailedLogins []float64  `json:"failedLogins"` // per second
	BansActive   []*int     `json:"bansActive"`
	Restarts     []*int     `json:"restarts"`
	App          []string   `json:"app"` // the app's state at each point; "" unknown
	CPU          []*float64 `json:"cpu"` // the app's share of one core, 1 = 100%
	RSS          []*int64   `json:"rss"` // the app's resident memory, bytes

	// Counts per point: "requests", "passed", "blocked" (refused by a
	// rule or a limit), "banned" (refused because the client is banned),
	// "rateLimited", "failedLogins"; requests and passed are null where
	// there is no sample.
	Counts map[string][]*float64 `json:"counts"`
	// Attacks counts the attacks (category malicious) per point by class.
	Attacks map[string][]int `json:"attacks"`
	// Totals sums each of Counts, and "attacks", over the window.
	Totals map[string]float64 `json:"totals"`
}

// blockedRequest reports whether an event of this kind is a request
// refused by a rule or a limit (a ban or an account change is not).
func blockedRequest(category, typ string) bool {
	return typ == "denied" && category != string(event.CategoryNetwork) && category != string(event.CategoryIAM)
}

// view reads the series of the window named name, ending now.
func (r *Recorder) view(ctx context.Context, now time.Time, name string) (Series, error) {
	w := windows[name]
	n := int(w.span / w.point)
	ps := int64(w.point / time.Second)
	end := now.Unix() / ps * ps // the start of the last point
	first := end - int64(n-1)*ps
	out := Series{Window: name, Step: int(ps), End: now.UTC().Truncate(time.Second),
		Counts: map[string][]*float64{}, Attacks: map[string][]int{}, Totals: map[string]float64{}}
	for _, k := range []string{"requests", "passed", "blocked", "banned", "rateLimited", "failedLogins"} {
		out.Counts[k] = make([]*float64, n)
	}
	idx := func(t int64) int {
		if t < first || t > end+ps-1 {
			return -1
		}
		return int((t - first) / ps)
	}
	out.Time = make([]int64, n)
	for i := range n {
		out.Time[i] = first + int64(i)*ps
	}
	inc := func(k string, i int, v float64) {
		if out.Counts[k][i] == nil {
			out.Counts[k][i] = new(float64)
		}
		*out.Counts[k][i] += v
		out.Totals[k] += v
	}
	for _, k := range []string{"blocked", "banned", "rateLimited", "failedLogins"} {
		for i := range n {
			out.Counts[k][i] = new(float64)
		}
	}

	counts, err := r.hist.Counts(ctx, time.Unix(first, 0), w.point)
	if err != nil {
		return out, err
	}
	for _, c := range counts {
		i := idx(c.Slot)
		if i < 0 {
			continue
		}
		switch k := c.Kind; {
		case k == "blocked", k == "rateLimited", k == "failedLogins":
			inc(k, i, float64(c.N))
		case strings.HasPrefix(k, "attack:"):
			class := strings.TrimPrefix(k, "attack:")
			if out.Attacks[class] == nil {
				out.Attacks[class] = make([]int, n)
			}
			out.Attacks[class][i] += c.N
			out.Totals["attacks"] += float64(c.N)
		}
	}

	samples, err := r.hist.Samples(ctx, time.Unix(first, 0))
	if err != nil {
		return out, err
	}
	out.BansActive, out.Restarts = make([]*int, n), make([]*int, n)
	out.App, out.CPU, out.RSS = make([]string, n), make([]*float64, n), make([]*int64, n)
	for _, s := range samples {
		i := idx(s.Time.Unix())
		if i < 0 {
			continue
		}
		inc("requests", i, float64(s.Requests))
		inc("banned", i, float64(s.Banned))
		*out.Counts["blocked"][i] += float64(s.Banned)
		out.Totals["blocked"] += float64(s.Banned)
		if s.Restarts < 0 {
			continue // another gateway's traffic: the rest is this one's
		}
		bans, restarts := s.BansActive, s.Restarts
		if bans >= 0 {
			out.BansActive[i] = &bans
		}
		out.Restarts[i], out.App[i] = &restarts, s.App
		if s.CPU >= 0 {
			cpu := s.CPU
			out.CPU[i] = &cpu
		}
		if s.RSS >= 0 {
			rss := s.RSS
			out.RSS[i] = &rss
		}
	}
	secs := float64(ps)
	out.Requests, out.Blocked, out.FailedLogins = make([]*float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		out.Blocked[i] = *out.Counts["blocked"][i] / secs
		out.FailedLogins[i] = *out.Counts["failedLogins"][i] / secs
		if req := out.Counts["requests"][i]; req != nil {
			rate := *req / secs
			out.Requests[i] = &rate
			passed := max(0, *req-*out.Counts["blocked"][i])
			out.Counts["passed"][i] = &passed
			out.Totals["passed"] += passed
		}
	}
	return out, nil
}
