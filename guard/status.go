package guard

import (
	"encoding/json"
	"net/http"
	"time"

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
	InFlight      int64           `json:"in_flight"`
	Waiting       int64           `json:"waiting"`
}

// AppExit is how the previous app process ended.
type AppExit struct {
	Code   int       `json:"code"`
	Signal string    `json:"signal,omitempty"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// serveAppStatus answers /v1/app: 404 when the gateway supervises no app.
func (g *Gateway) serveAppStatus(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if g.app == nil {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"this gateway supervises no app (start it with guard --run)"}` + "\n"))
		return
	}
	s := g.app.Status()
	out := AppStatus{
		State: s.State, PID: s.PID, UptimeSeconds: s.Uptime.Seconds(), Restarts: s.Restarts,
		Failures: s.Failures, InFlight: g.inflight.Load(), Waiting: g.waiting.Load(),
		HealthError: s.Health.Error,
	}
	if !s.Started.IsZero() {
		out.Started = &s.Started
	}
	if !s.RetryAt.IsZero() {
		out.RetryAt = &s.RetryAt
	}
	if !s.Health.Checked.IsZero() {
		out.Healthy = &s.Health.OK
	}
	if e := s.LastExit; e != nil {
		out.LastExit = &AppExit{Code: e.Code, Signal: e.Signal, Reason: e.Reason, At: e.Time}
	}
	json.NewEncoder(w).Encode(out)
}
