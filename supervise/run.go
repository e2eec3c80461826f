package supervise

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Run starts the app and keeps it running until ctx is done, then stops it
// the planned way and returns nil once it has exited. Run owns every
// process and goroutine it starts; none outlives it.
//
// Run returns early with a [*StartError] when the command cannot be started
// at all, and with an [*ExitError] when the app ends and the restart policy
// (restart: never or on-failure, noRestartExitCodes) says not to restart it
// (nil if it exited with code 0).
func (s *Supervisor) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("supervise: Run is already running; a Supervisor runs one app at a time")
	}
	s.running, s.quit = true, make(chan struct{})
	quit := s.quit
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running = false
		close(quit)
		s.mu.Unlock()
	}()

	closePlat, err := s.plat.open()
	if err != nil {
		return err
	}
	defer closePlat()
	logs, err := openLogs(s.cfg.Logs, s.opts.Stdout, s.opts.Stderr, s.recent, s.log)
	if err != nil {
		return err
	}
	defer logs.close()

	r := &runner{s: s, logs: logs, window: failureWindow{window: s.cfg.GiveUp.Window}}
	err = r.loop(ctx)
	r.answer()
	s.update(func(st *Status) {
		st.State, st.PID, st.Started, st.RetryAt = StateStopped, 0, time.Time{}, time.Time{}
	})
	return err
}

// runner is the state of one Run: it lives in Run's goroutine only.
type runner struct {
	s       *Supervisor
	logs    *logOutput
	starts  int
	window  failureWindow
	pending []*restartRequest // to answer once the next process has started
}

// ending is how one process's life ended.
type ending struct {
	exit     Exit
	exitCode int  // for an ExitError
	shutdown bool // ctx is done: Run returns
	planned  bool // a Restart
}

// Reasons a process ended, in Exit.Reason.
const (
	reasonExited    = "exited"
	reasonUnhealthy = "unhealthy"
	reasonHung      = "hung"
	reasonNotReady  = "not-ready"
	reasonPortBusy  = "port-busy"
	reasonRestart   = "restart"
	reasonShutdown  = "shutdown"
)

func (r *runner) loop(ctx context.Context) error {
	s := r.s
	for {
		if ctx.Err() != nil {
			return nil
		}
		end, err := r.runOnce(ctx)
		if err != nil {
			return err
		}
		if end.shutdown {
			return nil
		}
		if end.planned {
			continue
		}
		if err := r.policyStop(end); err != nil || r.stopsHere(end) {
			return err
		}
		if end.exit.Uptime >= s.cfg.Backoff.ResetAfter {
			s.update(func(st *Status) { st.Failures = 0 })
		}
		var failures int
		s.update(func(st *Status) { st.Failures++; failures = st.Failures })
		if n := r.window.add(s.now()); s.cfg.GiveUp.Failures > 0 && n >= s.cfg.GiveUp.Failures {
			s.publish(crashLoopEvent(n, s.cfg.GiveUp))
			if !r.pause(ctx, s.cfg.GiveUp.Rearm, StateFailed) {
				return nil
			}
			r.window.reset()
			s.update(func(st *Status) { st.Failures = 0 })
			s.publish(rearmedEvent())
			continue
		}
		delay := s.cfg.Backoff.delay(failures, s.rand())
		s.publish(restartingEvent(end.exit, failures, delay))
		if !r.pause(ctx, delay, StateBackoff) {
			return nil
		}
	}
}

// runOnce starts the app and watches it until it ends. The error is a
// *StartError: the command cannot be run.
func (r *runner) runOnce(ctx context.Context) (ending, error) {
	s := r.s
	if s.portAddr != "" && !r.portFree(ctx) {
		if ctx.Err() != nil {
			return ending{shutdown: true}, nil
		}
		s.publish(portBusyEvent(s.portAddr))
		return ending{exit: Exit{Time: s.now(), Code: -1, Reason: reasonPortBusy}}, nil
	}
	p, err := s.plat.start(procSpec{cfg: s.cfg, logs: r.logs})
	if err != nil {
		s.publish(startFailedEvent(s.cfg.Command, err))
		r.answer()
		return ending{}, err
	}
	started := s.now()
	s.update(func(st *Status) {
		if r.starts > 0 {
			st.Restarts++
		}
		st.State, st.PID, st.Started, st.RetryAt = StateStarting, p.pid(), started, time.Time{}
		st.Health, st.Liveness = HealthStatus{}, HealthStatus{}
	})
	r.starts++
	s.publish(startedEvent(p.pid(), s.cfg.Command, r.starts-1))
	r.answer()
	return r.watch(ctx, p, started), nil
}

// answer tells pending Restart calls that a new process has started (or
// that none will).
func (r *runner) answer() {
	for _, req := range r.pending {
		close(req.started)
	}
	r.pending = nil
}

// takeRestarts adds req and any other Restart calls already waiting to the
// pending ones, so they share one restart.
func (r *runner) takeRestarts(req *restartRequest) {
	r.pending = append(r.pending, req)
	for {
		select {
		case req := <-r.s.restarts:
			r.pending = append(r.pending, req)
		default:
			return
		}
	}
}

// portFree waits (up to the stop grace period) for the app's port to be
// free of a process left from before.
func (r *runner) portFree(ctx context.Context) bool {
	s := r.s
	deadline := time.Now().Add(s.cfg.Stop.Grace)
	for {
		if !s.plat.portBusy(ctx, s.portAddr) {
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
		}
	}
}

// policyStop returns the error Run ends with when the restart policy says
// the app stays down; stopsHere reports whether it does.
func (r *runner) policyStop(end ending) error {
	if !r.stopsHere(end) || !end.exit.failed() {
		return nil
	}
	return &ExitError{Exit: end.exit, code: end.exitCode}
}

func (r *runner) stopsHere(end ending) bool {
	cfg := r.s.cfg
	switch {
	case cfg.Restart == RestartNever && end.exit.Reason != reasonPortBusy:
		return true
	case end.exit.Reason != reasonExited:
		return false // unhealthy, not ready, port busy: always worth a retry
	case cfg.Restart == RestartOnFailure && !end.exit.failed():
		return true
	}
	return end.exit.Signal == "" && slices.Contains(cfg.NoRestartExitCodes, end.exit.Code)
}

// pause waits d in state (backoff or failed). It returns false if ctx was
// done; a Restart cuts it short.
func (r *runner) pause(ctx context.Context, d time.Duration, state State) bool {
	s := r.s
	s.update(func(st *Status) {
		st.State, st.PID, st.Started, st.RetryAt = state, 0, time.Time{}, s.now().Add(d)
	})
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case req := <-s.restarts:
		r.takeRestarts(req)
	case <-ctx.Done():
		return false
	}
	return true
}
