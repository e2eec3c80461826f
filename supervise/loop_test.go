package supervise

import (
	"context"
	"errors"
	"slices"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// gaps returns the time between consecutive starts.
func gaps(starts []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(starts); i++ {
		out = append(out, starts[i].Sub(starts[i-1]))
	}
	return out
}

func TestCrashLoopBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{behave: func(n int, p *fakeProc) { p.life, p.lifeCode = 100*time.Millisecond, 1 }}
		h := start(t, Config{Backoff: Backoff{Initial: time.Second, Max: 8 * time.Second}}, plat, Options{})
		time.Sleep(40 * time.Second)
		h.stop()
		// Each gap is the 100ms the app lived plus the backoff.
		want := []time.Duration{1100, 2100, 4100, 8100, 8100, 8100}
		got := gaps(plat.startTimes())
		if len(got) < len(want) {
			t.Fatalf("gaps between starts = %v, want at least %d", got, len(want))
		}
		for i, w := range want {
			if got[i] != w*time.Millisecond {
				t.Errorf("gap %d = %v, want %v (all: %v)", i, got[i], w*time.Millisecond, got)
			}
		}
		if n := len(h.rec.find("process-crashed")); n < len(want) {
			t.Errorf("%d process-crashed events, want at least %d", n, len(want))
		}
		if st := h.s.Status(); st.State != StateStopped || st.Restarts < len(want) {
			t.Errorf("Status after Run = %+v", st)
		}
	})
}

func TestStableUptimeResetsBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{behave: func(n int, p *fakeProc) {
			p.life, p.lifeCode = 100*time.Millisecond, 1
			if n == 3 {
				p.life = 31 * time.Second // past resetAfter
			}
		}}
		h := start(t, Config{Backoff: Backoff{Initial: time.Second, Max: time.Minute, ResetAfter: 30 * time.Second}}, plat, Options{})
		time.Sleep(45 * time.Second)
		h.stop()
		got := gaps(plat.startTimes())
		want := []time.Duration{1100 * time.Millisecond, 2100 * time.Millisecond, 4100 * time.Millisecond,
			31*time.Second + time.Second, // a stable run, then the initial backoff again
			2100 * time.Millisecond}
		if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
			t.Errorf("gaps between starts = %v, want %v…", got, want)
		}
	})
}

func TestGiveUpThenRearm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{behave: func(n int, p *fakeProc) { p.life, p.lifeCode = 10*time.Millisecond, 1 }}
		cfg := Config{Backoff: Backoff{Initial: time.Second}, GiveUp: GiveUp{Failures: 3, Window: time.Minute, Rearm: 5 * time.Minute}}
		h := start(t, cfg, plat, Options{})
		time.Sleep(10 * time.Second) // 3 failures: 10ms + 1s + 10ms + 2s + 10ms
		st := h.s.Status()
		if st.State != StateFailed || len(plat.startTimes()) != 3 {
			t.Fatalf("after 3 quick failures: state %s, %d starts; want failed, 3", st.State, len(plat.startTimes()))
		}
		var ue *UnavailableError
		err := h.s.WaitReady(t.Context())
		if !errors.As(err, &ue) || ue.State != StateFailed || ue.RetryAfter < 4*time.Minute || !errors.Is(err, ErrUnavailable) {
			t.Errorf("WaitReady while given up = %v, want UnavailableError failed with RetryAfter about 5m", err)
		}
		synctest.Wait()
		if n := len(h.rec.find("crash-loop")); n != 1 {
			t.Errorf("%d crash-loop events, want 1", n)
		}
		time.Sleep(5 * time.Minute)
		if n := len(plat.startTimes()); n < 4 {
			t.Errorf("%d starts after the re-arm time, want a 4th", n)
		}
		h.stop()
		if len(h.rec.find("process-rearmed")) != 1 {
			t.Errorf("no process-rearmed event: %v", h.rec.actions())
		}
	})
}

// probeAfter is a probe that fails until d after it is made, then passes
// until fail (if set) after it is made.
func probeAfter(d, fail time.Duration) func(*Supervisor) {
	return func(s *Supervisor) {
		t0 := time.Now()
		s.probe = func(ctx context.Context) error {
			switch since := time.Since(t0); {
			case since < d:
				return errors.New("connection refused")
			case fail > 0 && since >= fail:
				<-ctx.Done() // hung: no answer
				return ctx.Err()
			}
			return nil
		}
	}
}

func TestWaitReadyWaitsForHealth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := start(t, Config{Health: Health{Interval: time.Second}}, &fakePlatform{}, Options{}, probeAfter(3*time.Second, 0))
		t0 := time.Now()
		synctest.Wait()
		if st := h.s.Status(); st.State != StateStarting || st.PID == 0 {
			t.Errorf("Status before the first passing probe = %+v, want starting with a pid", st)
		}
		if err := h.s.WaitReady(t.Context()); err != nil {
			t.Fatalf("WaitReady = %v", err)
		}
		// Probes go every 200ms until ready: the first pass is at 3s.
		if waited := time.Since(t0); waited != 3*time.Second {
			t.Errorf("WaitReady returned after %v, want 3s", waited)
		}
		h.stop()
		if len(h.rec.find("process-ready")) != 1 {
			t.Errorf("events %v, want one process-ready", h.rec.actions())
		}
	})
}

func TestWaitReadyInBackoffAnswersAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{behave: func(n int, p *fakeProc) { p.life, p.lifeCode = 100*time.Millisecond, 2 }}
		h := start(t, Config{Backoff: Backoff{Initial: 4 * time.Second}}, plat, Options{})
		time.Sleep(1100 * time.Millisecond) // 100ms of life, then 1s into a 4s backoff
		t0 := time.Now()
		err := h.s.WaitReady(t.Context())
		var ue *UnavailableError
		if !errors.As(err, &ue) || ue.State != StateBackoff || ue.RetryAfter != 3*time.Second || time.Since(t0) != 0 {
			t.Errorf("WaitReady in backoff = %v after %v, want UnavailableError at once with RetryAfter 3s", err, time.Since(t0))
		}
		if st := h.s.Status(); st.LastExit == nil || st.LastExit.Code != 2 || st.Failures != 1 || st.PID != 0 {
			t.Errorf("Status in backoff = %+v", st)
		}
		h.stop()
	})
}

func TestRestartDrainsThenRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{}
		var h *harness
		var seen []string
		opts := Options{BeforeStop: func(ctx context.Context) {
			st := h.s.Status()
			sigs := plat.proc(-1).got()
			seen = append(seen, string(st.State))
			if len(sigs) != 0 {
				t.Errorf("BeforeStop called after the app was signalled: %v", sigs)
			}
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) != 10*time.Second {
				t.Errorf("BeforeStop context deadline in %v, want the 10s grace", time.Until(dl))
			}
			time.Sleep(2 * time.Second) // drain in-flight requests
		}}
		h = start(t, Config{Health: Health{Interval: time.Second}}, plat, opts, probeAfter(0, 0))
		if err := h.s.WaitReady(t.Context()); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		if err := h.s.Restart(t.Context()); err != nil {
			t.Fatalf("Restart = %v", err)
		}
		if took := time.Since(t0); took != 2*time.Second {
			t.Errorf("Restart took %v, want the 2s drain (the new app is ready at its first probe)", took)
		}
		if got := plat.proc(0).got(); !slices.Equal(got, []syscall.Signal{syscall.SIGTERM}) {
			t.Errorf("old app got signals %v, want SIGTERM", got)
		}
		st := h.s.Status()
		if st.Restarts != 1 || st.PID != 101 || st.State != StateReady || st.Failures != 0 || st.LastExit.Reason != "restart" {
			t.Errorf("Status after Restart = %+v", st)
		}
		h.stop()
		if !slices.Equal(seen, []string{"stopping", "stopping"}) {
			t.Errorf("BeforeStop saw states %v, want stopping for the restart and for the shutdown", seen)
		}
		if n := len(h.rec.find("process-crashed")); n != 0 {
			t.Errorf("a planned restart published %d process-crashed events", n)
		}
	})
}

func TestRestartSkipsBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{behave: func(n int, p *fakeProc) {
			if n == 0 {
				p.life, p.lifeCode = 100*time.Millisecond, 1
			}
		}}
		h := start(t, Config{Backoff: Backoff{Initial: time.Minute}}, plat, Options{})
		time.Sleep(time.Second)
		t0 := time.Now()
		if err := h.s.Restart(t.Context()); err != nil {
			t.Fatalf("Restart in backoff = %v", err)
		}
		if time.Since(t0) != 0 || len(plat.startTimes()) != 2 {
			t.Errorf("Restart in backoff took %v and made %d starts; want at once, 2", time.Since(t0), len(plat.startTimes()))
		}
		h.stop()
	})
}

func TestHungAppKilledAfterGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{behave: func(n int, p *fakeProc) { p.ignoreStop = true }}
		cfg := Config{
			Health: Health{Interval: time.Second, Timeout: 500 * time.Millisecond, FailureThreshold: 3},
			Stop:   Stop{Grace: 5 * time.Second},
		}
		// Ready at once; hangs from 10s on.
		h := start(t, cfg, plat, Options{}, probeAfter(0, 10*time.Second))
		h.s.WaitReady(t.Context())
		time.Sleep(30 * time.Second)
		h.cancel()
		for range 2 { // the restarted app ignores SIGTERM too
			time.Sleep(5 * time.Second)
		}
		<-h.done
		h.bus.Close()
		got := plat.proc(0).got()
		if !slices.Equal(got, []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL}) {
			t.Errorf("hung app got %v, want SIGTERM then SIGKILL", got)
		}
		if len(h.rec.find("process-unhealthy")) == 0 || len(h.rec.find("process-killed")) == 0 {
			t.Errorf("events %v, want process-unhealthy and process-killed", h.rec.actions())
		}
		ends := h.rec.find("process-crashed")
		if len(ends) == 0 || ends[0].Labels["reason"] != "unhealthy" || ends[0].Labels["signal"] != "SIGKILL" {
			t.Errorf("first crash event = %+v, want reason unhealthy, signal SIGKILL", ends)
		}
		if len(plat.startTimes()) < 2 {
			t.Errorf("the hung app was not started again")
		}
	})
}

func TestNotReadyWithinStartPeriod(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{}
		cfg := Config{Health: Health{StartPeriod: 5 * time.Second}, Backoff: Backoff{Initial: time.Hour, Max: time.Hour}}
		h := start(t, cfg, plat, Options{}, probeAfter(time.Hour, 0))
		time.Sleep(6 * time.Second)
		if st := h.s.Status(); st.State != StateBackoff || st.LastExit == nil || st.LastExit.Reason != "not-ready" {
			t.Errorf("Status after the start period = %+v, want backoff after not-ready", st)
		}
		h.stop()
		if len(h.rec.find("process-not-ready")) != 1 {
			t.Errorf("events %v, want one process-not-ready", h.rec.actions())
		}
	})
}

func TestRestartPolicy(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		code     int
		starts   int
		wantCode int // of the ExitError; 0 means Run returns nil
	}{
		{"never, failure", Config{Restart: "never"}, 3, 1, 3},
		{"never, success", Config{Restart: "never"}, 0, 1, 0},
		{"on-failure, success", Config{Restart: "on-failure"}, 0, 1, 0},
		{"no-restart code", Config{NoRestartExitCodes: []int{78}}, 78, 1, 78},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				plat := &fakePlatform{behave: func(n int, p *fakeProc) { p.life, p.lifeCode = time.Second, tt.code }}
				h := start(t, tt.cfg, plat, Options{})
				err := h.wait()
				var ee *ExitError
				switch {
				case tt.wantCode == 0 && err != nil:
					t.Errorf("Run = %v, want nil", err)
				case tt.wantCode != 0 && (!errors.As(err, &ee) || ee.ExitCode() != tt.wantCode):
					t.Errorf("Run = %v, want an ExitError with code %d", err, tt.wantCode)
				}
				if n := len(plat.startTimes()); n != tt.starts {
					t.Errorf("%d starts, want %d", n, tt.starts)
				}
			})
		})
	}
	t.Run("always restarts a clean exit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			plat := &fakePlatform{behave: func(n int, p *fakeProc) { p.life = time.Second }}
			h := start(t, Config{}, plat, Options{})
			time.Sleep(6 * time.Second) // starts at 0s, 2s (1s life, 1s backoff), 5s
			h.stop()
			if n := len(plat.startTimes()); n != 3 {
				t.Errorf("%d starts in 6s, want 3", n)
			}
		})
	})
}

func TestShutdownStopsGracefully(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{}
		called := false
		h := start(t, Config{Stop: Stop{Signal: "SIGINT"}}, plat, Options{BeforeStop: func(context.Context) { called = true }})
		time.Sleep(time.Second)
		if err := h.stop(); err != nil {
			t.Errorf("Run = %v after ctx done, want nil", err)
		}
		if got := plat.proc(0).got(); !called || !slices.Equal(got, []syscall.Signal{syscall.SIGINT}) {
			t.Errorf("BeforeStop called %v, signals %v; want true, [SIGINT]", called, got)
		}
		if err := h.s.WaitReady(t.Context()); !errors.Is(err, ErrUnavailable) {
			t.Errorf("WaitReady after Run = %v, want ErrUnavailable", err)
		}
		if err := h.s.Restart(t.Context()); !errors.Is(err, ErrNotRunning) {
			t.Errorf("Restart after Run = %v, want ErrNotRunning", err)
		}
	})
}

func TestStartErrorFailsFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		plat := &fakePlatform{startErr: errors.New("executable file not found in $PATH")}
		h := start(t, Config{}, plat, Options{})
		t0 := time.Now()
		err := h.wait()
		var se *StartError
		if !errors.As(err, &se) || time.Since(t0) != 0 || len(plat.startTimes()) != 1 {
			t.Errorf("Run = %v after %v and %d attempts; want a StartError at once after 1", err, time.Since(t0), len(plat.startTimes()))
		}
		if len(h.rec.find("process-start-failed")) != 1 {
			t.Errorf("events %v, want one process-start-failed", h.rec.actions())
		}
	})
}
