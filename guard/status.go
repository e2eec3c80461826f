package guard

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bulwark-sec/bulwark/supervise"
)

// AppStatus is the JSON form of a supervised app's status, served on the
// admin listener at /v1/app.
type AppStatus struct {
	State         supervise.State `json:"state"`
	PID           int             `json:"pid,omitempty"`
	Started       *time.Time      `json:"started,omitempty"`
	UptimeSeconds float64         `json:"uptime_seconds"`
	Restarts      int             `json:"restarts"`
	Failures      int             `json:"failures"`
	LastExit      *AppExit        `json:"last_exit,omitempty"`
	RetryAt       *time.Time      `json:"retry_at,omitempty"`
	Healthy       *bool           `json:"healthy,omitempty"`
	HealthError   string          `json:"health_error,omitempty"`
	// Health is what the app's probe saw last: the hang-detection probe
	// once it runs, else the health check.
	Health   *AppHealth `json:"health,omitempty"`
	InFlight int64      `json:"in_flight"`
	Waiting  int64      `json:"waiting"`
	// UnansweredSeconds is how long requests have waited on the app
	// without it answering any (0 when none waits).
	UnansweredSeconds float64 `json:"unanswered_seconds"`
}

// AppHealth is the last result of the app's probe.
type AppHealth struct {
	Probe      string     `json:"probe"` // "liveness" (hang detection) or "health"
	Checked    time.Time  `json:"checked"`
	OK         bool       `json:"ok"`
	StatusCode int        `json:"status_code,omitempty"`
	LatencyMS  float64    `json:"latency_ms"`
	Failures   int        `json:"failures"` // in a row
	LastOK     *time.Time `json:"last_ok,omitempty"`
	Error      string     `json:"error,omitempty"`
}

// AppExit is how the previous app process ended.
type AppExit struct {
	Code   int    `json:"code"`
	Signal string `json:"signal,omitempty"`
	Reason string `json:"reason"`
	// Detail says more about the reason, e.g. "no answer for 34s" (hung).
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

// probeOf returns the probe result a status view shows, and its name:
// the hang-detection probe once it has run (a TCP readiness check says
// nothing of a hung app), else the health check.
func probeOf(s supervise.Status) (supervise.HealthStatus, string) {
	if !s.Liveness.Checked.IsZero() {
		return s.Liveness, "liveness"
	}
	return s.Health, "health"
}

// serveAppStatus answers /v1/app: 404 when the gateway supervises no app.
func (g *Gateway) serveAppStatus(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if g.app == nil {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"this gateway supervises no app (start it with guard --run)"}` + "\n"))
		return
	}
	out := NewAppStatus(g.app.Status())
	out.InFlight, out.Waiting = g.inflight.Load(), g.waiting.Load()
	json.NewEncoder(w).Encode(out)
}

// registerAppMetrics exports the supervised app's state on /metrics.
func (g *Gateway) registerAppMetrics() {
	gauge := func(name, help string, f func(supervise.Status) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help},
			func() float64 { return f(g.app.Status()) })
	}
	probe := func(s supervise.Status) supervise.HealthStatus { h, _ := probeOf(s); return h }
	g.registry.MustRegister(
		gauge("bulwark_app_ready", "1 when the supervised app takes requests, else 0.", func(s supervise.Status) float64 {
			if s.State == supervise.StateReady {
				return 1
			}
			return 0
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "bulwark_app_restarts_total",
			Help: "Starts of the supervised app after the first, planned or not."},
			func() float64 { return float64(g.app.Status().Restarts) }),
		gauge("bulwark_app_probe_ok", "1 when the app's last probe (liveness, else health check) passed, else 0.",
			func(s supervise.Status) float64 {
				if probe(s).OK {
					return 1
				}
				return 0
			}),
		gauge("bulwark_app_probe_latency_seconds", "How long the app's last probe took.",
			func(s supervise.Status) float64 { return probe(s).Latency.Seconds() }),
		gauge("bulwark_app_probe_failures", "The app's failed probes in a row.",
			func(s supervise.Status) float64 { return float64(probe(s).Failures) }),
		gauge("bulwark_app_unanswered_seconds", "How long requests have waited on the app without it answering any.",
			func(s supervise.Status) float64 { return s.Unanswered.Seconds() }),
	)
}

// NewAppStatus is the JSON form of s, as /v1/app serves it (without the
// gateway's requests in flight and waiting); bulwark run writes it too.
func NewAppStatus(s supervise.Status) AppStatus {
	out := AppStatus{
		State: s.State, PID: s.PID, UptimeSeconds: s.Uptime.Seconds(), Restarts: s.Restarts,
		Failures:          s.Failures,
		UnansweredSeconds: s.Unanswered.Seconds(),
	}
	if !s.Started.IsZero() {
		out.Started = &s.Started
	}
	if !s.RetryAt.IsZero() {
		out.RetryAt = &s.RetryAt
	}
	if h, name := probeOf(s); !h.Checked.IsZero() {
		out.Healthy, out.HealthError = &h.OK, h.Error
		out.Health = &AppHealth{Probe: name, Checked: h.Checked, OK: h.OK, StatusCode: h.Code,
			LatencyMS: float64(h.Latency.Microseconds()) / 1000, Failures: h.Failures, Error: h.Error}
		if !h.LastOK.IsZero() {
			out.Health.LastOK = &h.LastOK
		}
	}
	if e := s.LastExit; e != nil {
		out.LastExit = &AppExit{Code: e.Code, Signal: e.Signal, Reason: e.Reason, Detail: e.Detail, At: e.Time}
	}
	return out
}
