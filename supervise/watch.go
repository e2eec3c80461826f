package supervise

import (
	"context"
	"syscall"
	"time"
)

// readyPoll is the most time between probes while waiting for readiness.
const readyPoll = 200 * time.Millisecond

// watch follows p from its start until it has exited and been cleaned up:
// readiness, health probes, its exit, Restart calls and the end of ctx.
func (r *runner) watch(ctx context.Context, p proc, started time.Time) ending {
	s := r.s
	h := s.cfg.Health
	startMono := time.Now() // uptime for decisions; started (Clock) is for show

	probeCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan probed, 1)
	// The probe timer is reset only once a probe has answered, so at most
	// one probe is in flight.
	probeT := time.NewTimer(0)
	defer probeT.Stop()
	deadlineT := time.NewTimer(h.StartPeriod)
	defer deadlineT.Stop()
	probeC, deadlineC := probeT.C, deadlineT.C
	stableT := time.NewTimer(s.cfg.Backoff.ResetAfter)
	defer stableT.Stop()
	// Hang detection runs once the app is ready, one probe at a time.
	var hang *hangWatch
	hangT := time.NewTimer(0)
	hangT.Stop()
	defer hangT.Stop()
	var hangC <-chan time.Time
	hangResults := make(chan liveness, 1)
	becameReady := func() {
		r.markReady(p, started)
		if s.live != nil {
			hang = &hangWatch{after: s.cfg.Hang.After, traffic: s.opts.Traffic, lastAlive: time.Now()}
			hangT.Reset(s.cfg.Hang.Interval)
			hangC = hangT.C
		}
	}
	ready := s.probe == nil
	if ready {
		probeC, deadlineC = nil, nil
		becameReady()
	}

	reason, detail := "", ""
	for reason == "" {
		select {
		case <-p.exited():
			s.update(func(st *Status) { st.State = StateStopping })
			reason = reasonExited
		case <-ctx.Done():
			reason = reasonShutdown
			r.stop(ctx, p, true)
		case req := <-s.restarts:
			r.takeRestarts(req)
			reason = reasonRestart
			s.publish(restartingEvent(Exit{Reason: reasonRestart}, 0, 0))
			r.stop(ctx, p, true)
		case <-probeC:
			go func() {
				ctx, cancel := context.WithTimeout(probeCtx, h.Timeout)
				defer cancel()
				t0 := time.Now()
				err := s.probe(ctx)
				results <- probed{err, time.Since(t0)}
			}()
		case res := <-results:
			err := res.err
			next := h.Interval
			failures := r.recordProbe(res, ready)
			switch {
			case !ready && err == nil:
				ready, deadlineC = true, nil
				becameReady()
			case !ready:
				next = min(readyPoll, h.Interval)
			case err != nil:
				s.publish(healthFailedEvent(p.pid(), err, failures, h.FailureThreshold))
				if failures >= h.FailureThreshold {
					s.publish(unhealthyEvent(p.pid(), failures))
					reason = reasonUnhealthy
					r.stop(ctx, p, false)
					continue
				}
			}
			probeT.Reset(next)
		case <-hangC:
			go func() { hangResults <- s.live(probeCtx) }()
		case l := <-hangResults:
			silent, hung := hang.record(l, time.Now())
			r.recordLiveness(l)
			if !hung {
				hangT.Reset(s.cfg.Hang.Interval)
				continue
			}
			reason, detail = reasonHung, noAnswerFor(silent)
			waiting := s.opts.Traffic != nil
			s.publish(hungEvent(p.pid(), detail, l.problem(), hang.failures, waiting))
			// New requests wait for the next process; those waiting on
			// this one get their answer (504) now, not at their timeout.
			s.update(func(st *Status) { st.State = StateStopping })
			if waiting {
				s.opts.Traffic.hung()
			}
			r.stop(ctx, p, false)
		case <-stableT.C:
			s.update(func(st *Status) { st.Failures = 0 }) // the next failure starts the backoff over
		case <-deadlineC:
			s.publish(notReadyEvent(p.pid(), h.StartPeriod))
			reason = reasonNotReady
			r.stop(ctx, p, false)
		}
	}

	p.cleanup()
	code, sig := p.exit()
	now := s.now()
	exit := Exit{Time: now, PID: p.pid(), Code: code, Uptime: time.Since(startMono), Reason: reason, Detail: detail}
	end := ending{exit: exit, exitCode: code, shutdown: reason == reasonShutdown, planned: reason == reasonRestart}
	if sig != 0 {
		end.exit.Signal, end.exitCode = signalName(sig), 128+int(sig)
	}
	s.update(func(st *Status) {
		e := end.exit
		st.LastExit, st.PID, st.Started, st.State = &e, 0, time.Time{}, StateStopping
	})
	s.publish(exitEvent(end.exit))
	return end
}

// markReady records that p passed its first probe (or needs none).
func (r *runner) markReady(p proc, started time.Time) {
	s := r.s
	if s.opts.Traffic != nil {
		s.opts.Traffic.restart()
	}
	s.update(func(st *Status) { st.State = StateReady })
	s.publish(readyEvent(p.pid(), s.now().Sub(started)))
}

// probed is a health check's result and how long it took.
type probed struct {
	err     error
	latency time.Duration
}

// recordProbe puts a probe's result in the status and returns the failures
// in a row, counted only once the app is ready.
func (r *runner) recordProbe(res probed, ready bool) int {
	s := r.s
	err := res.err
	var failures int
	s.update(func(st *Status) {
		h := &st.Health
		h.Checked, h.OK, h.Error, h.Latency = s.now(), err == nil, "", res.latency
		switch {
		case err == nil:
			h.Failures, h.LastOK = 0, h.Checked
		case ready:
			h.Failures++
			h.Error = err.Error()
		default:
			h.Error = err.Error()
		}
		failures = h.Failures
	})
	return failures
}

// recordLiveness puts a hang-detection probe's result in the status.
func (r *runner) recordLiveness(l liveness) {
	s := r.s
	s.update(func(st *Status) {
		h := &st.Liveness
		h.Checked, h.OK, h.Error, h.Code, h.Latency = s.now(), l.alive(), l.problem(), l.code, l.latency
		if h.OK {
			h.Failures, h.LastOK = 0, h.Checked
		} else {
			h.Failures++
		}
	})
}

// stop stops p and returns once it has exited: for a planned stop,
// BeforeStop first; then the stop signal to the process group, and SIGKILL
// to the group if it is still there after the grace period.
func (r *runner) stop(ctx context.Context, p proc, planned bool) {
	s := r.s
	s.update(func(st *Status) { st.State = StateStopping })
	grace := s.cfg.Stop.Grace
	if planned && s.opts.BeforeStop != nil {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
		s.opts.BeforeStop(bctx)
		cancel()
	}
	p.signal(s.stopSig)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.exited():
	case <-t.C:
		s.publish(killedEvent(p.pid(), s.cfg.Stop.Signal, grace))
		p.signal(syscall.SIGKILL)
		<-p.exited()
	}
}
