package supervise

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// Options are the supervisor's collaborators.
type Options struct {
	// Bus receives the supervisor's events. If nil, events are discarded.
	Bus *event.Bus
	// Logger is for the supervisor's own problems (a log file that cannot
	// be rotated, say); what happens to the app is told as events. If nil,
	// slog.Default().
	Logger *slog.Logger
	// Clock tells the time for status and events. If nil, time.Now. Waits
	// use the time package's timers, so tests drive them with
	// testing/synctest.
	Clock func() time.Time
	// Stdout and Stderr receive the app's output when Logs.Console is not
	// "off". Each line is written with one Write call. If nil, os.Stdout
	// and os.Stderr.
	Stdout, Stderr io.Writer
	// BeforeStop, if set, is called before a planned stop (Restart, or the
	// end of Run) and before the stop signal is sent, with a context that
	// expires after Stop.Grace. The state is already StateStopping, so a
	// gateway's WaitReady calls block; the gateway uses the call to stop
	// routing to the app and let in-flight requests finish. It is not
	// called before killing an app that crashed or failed its health check.
	BeforeStop func(ctx context.Context)
	// Traffic, if set, is fed by the gateway in front of the app with the
	// requests it passes to it: hang detection then restarts the app only
	// when requests wait on it unanswered too (see [Hang]), and cancels
	// them when it does. If nil, the liveness probe alone decides.
	Traffic *Traffic
}

// A Supervisor runs one app and keeps it running. Its methods are safe for
// concurrent use; Run is called once at a time. Until Run is first called
// the state is starting, so WaitReady waits for it.
type Supervisor struct {
	cfg     Config // with defaults
	opts    Options
	log     *slog.Logger
	now     func() time.Time
	rand    func() float64
	stopSig syscall.Signal

	plat     platform
	probe    func(context.Context) error    // nil without a health check
	live     func(context.Context) liveness // nil without hang detection
	portAddr string                         // the app's address, checked free before a start

	restarts chan *restartRequest

	mu      sync.Mutex
	running bool
	quit    chan struct{} // closed when Run returns
	status  Status
	changed chan struct{} // closed and replaced on every status change

	recent *recent // the app's last output lines
}

// restartRequest is one call of Restart; started is closed when the new
// process has been started (or could not be).
type restartRequest struct{ started chan struct{} }

// New validates cfg (after defaults) and builds a supervisor. Nothing is
// started until Run.
func New(cfg Config, opts Options) (*Supervisor, error) {
	if len(cfg.Command) == 0 {
		return nil, errors.New("supervise: no command: give it after -- (bulwark run -- node server.js) or as run.command in bulwark.yaml")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	sig, _ := parseSignal(cfg.Stop.Signal) // valid: checked above
	s := &Supervisor{
		cfg:      cfg,
		opts:     opts,
		log:      opts.Logger,
		now:      opts.Clock,
		rand:     rand.Float64,
		stopSig:  sig,
		plat:     newOSPlatform(opts.Logger),
		restarts: make(chan *restartRequest),
		status:   Status{State: StateStarting}, // so WaitReady waits for Run to start

		changed: make(chan struct{}),
		recent:  newRecent(opts.Clock),
	}
	if cfg.Health.enabled() {
		s.probe, s.portAddr = newProbe(cfg.Health)
	}
	if cfg.Hang.enabled() {
		s.live = newLivenessProbe(cfg.Hang)
	}
	return s, nil
}

// Status returns a snapshot of the supervisor's state.
func (s *Supervisor) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.status
	if !st.Started.IsZero() {
		st.Uptime = s.now().Sub(st.Started)
	}
	if st.LastExit != nil {
		e := *st.LastExit
		st.LastExit = &e
	}
	if s.opts.Traffic != nil && st.State == StateReady {
		st.Unanswered = s.opts.Traffic.Unanswered()
	}
	return st
}

// Traffic is the [Options.Traffic] the gateway feeds; nil if none.
func (s *Supervisor) Traffic() *Traffic { return s.opts.Traffic }

// update changes the status under the lock and wakes WaitReady callers.
func (s *Supervisor) update(f func(*Status)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.status)
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitReady returns nil when the app is ready to take requests. While it
// is starting or being restarted, WaitReady waits (until ctx is done); while
// it is in backoff, has been given up on, or is not running, WaitReady
// returns an [*UnavailableError] at once, saying when to retry.
func (s *Supervisor) WaitReady(ctx context.Context) error {
	for {
		s.mu.Lock()
		st, changed := s.status, s.changed
		s.mu.Unlock()
		switch st.State {
		case StateReady:
			return nil
		case StateBackoff, StateFailed:
			return &UnavailableError{State: st.State, RetryAfter: max(st.RetryAt.Sub(s.now()), 0)}
		case StateStopped:
			return &UnavailableError{State: st.State}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// ErrNotRunning is returned by Restart when Run is not running.
var ErrNotRunning = errors.New("supervise: not running: call Run first")

// Restart stops the app the planned way (BeforeStop, the stop signal, the
// grace period, then SIGKILL) and starts it again at once, skipping any
// backoff or give-up pause, then waits until the new process is ready, as
// WaitReady does. Restarts asked for while one is under way are served by
// the same new process.
func (s *Supervisor) Restart(ctx context.Context) error {
	s.mu.Lock()
	running, quit := s.running, s.quit
	s.mu.Unlock()
	if !running {
		return ErrNotRunning
	}
	req := &restartRequest{started: make(chan struct{})}
	select {
	case s.restarts <- req:
	case <-quit:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-req.started:
	case <-quit:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.WaitReady(ctx)
}
