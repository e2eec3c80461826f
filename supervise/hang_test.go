package supervise

import (
	"context"
	"errors"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// livenessHungFrom is a liveness probe that answers 200 at once, except
// for the first process from hangAt on (if hangAt > 0): then it gets no
// answer within the probe timeout, as from a Node app whose event loop is
// blocked.
func livenessHungFrom(plat *fakePlatform, hangAt time.Duration) func(*Supervisor) {
	return func(s *Supervisor) {
		t0 := time.Now()
		timeout := s.cfg.Hang.Timeout
		s.live = func(ctx context.Context) liveness {
			if hangAt == 0 || time.Since(t0) < hangAt || plat.proc(-1).id != 100 {
				return liveness{code: 200, latency: time.Millisecond}
			}
			select {
			case <-time.After(timeout):
			case <-ctx.Done():
			}
			return liveness{latency: timeout, err: errors.New("GET /: no answer within " + timeout.String())}
		}
	}
}

// TestHangDecision runs the default hang detection (after 30s, a probe
// every 5s with a 5s timeout) against an app that stops answering at 60s,
// with and without requests waiting on it.
func TestHangDecision(t *testing.T) {
	tests := []struct {
		name        string
		gateway     bool // a gateway feeds Traffic
		probeHangs  bool // the liveness probe gets no answer from 60s on
		requestAt60 bool // a request is sent at 60s and gets no answer
		wantRestart bool
	}{
		{"hung app, request waiting", true, true, true, true},
		{"hung app, no gateway (bulwark run)", false, true, false, true},
		{"slow request, probe answered", true, false, true, false},
		{"probe fails, gateway idle", true, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				plat := &fakePlatform{}
				hangAt := time.Duration(0)
				if tt.probeHangs {
					hangAt = 60 * time.Second
				}
				var opts Options
				if tt.gateway {
					opts.Traffic = &Traffic{}
				}
				cfg := Config{Hang: Hang{URL: "http://127.0.0.1:3000/"}}
				h := start(t, cfg, plat, opts, livenessHungFrom(plat, hangAt))
				t0 := time.Now()
				var cancelled chan error
				if tt.requestAt60 {
					time.Sleep(60 * time.Second)
					ctx := opts.Traffic.Send()
					cancelled = make(chan error, 1)
					go func() {
						select {
						case <-ctx.Done():
						case <-t.Context().Done():
						}
						opts.Traffic.Done(false)
						cancelled <- context.Cause(ctx)
					}()
				}
				time.Sleep(10*time.Minute - time.Since(t0))
				st := h.s.Status()
				h.stop()

				hung := h.rec.find("process-hung")
				if !tt.wantRestart {
					if len(hung) != 0 || len(plat.startTimes()) != 1 || st.Restarts != 0 {
						t.Fatalf("restarted: %d process-hung events, %d starts, status %+v; want no restart", len(hung), len(plat.startTimes()), st)
					}
					return
				}
				if len(hung) != 1 || len(plat.startTimes()) != 2 {
					t.Fatalf("%d process-hung events, %d starts; want 1, 2 (events %v)", len(hung), len(plat.startTimes()), h.rec.actions())
				}
				// Hung at 60s, last answer to the probe at 55s: declared
				// once 30s passed with no answer, at the next probe result
				// (a probe takes its 5s timeout, then 5s until the next).
				if took := hung[0].Time.Sub(t0) - 60*time.Second; took < 25*time.Second || took > 40*time.Second {
					t.Errorf("hang declared %v after the app stopped answering, want 25s to 40s", took)
				}
				if r := hung[0].Labels["reason"]; !strings.HasPrefix(r, "hung: no answer for 3") {
					t.Errorf("process-hung reason = %q, want hung: no answer for 3Xs", r)
				}
				if got := plat.proc(0).got(); !slices.Equal(got, []syscall.Signal{syscall.SIGTERM}) {
					t.Errorf("hung app got signals %v, want SIGTERM", got)
				}
				if e := st.LastExit; e == nil || e.Reason != "hung" || !strings.HasPrefix(e.Detail, "no answer for 3") || st.Restarts != 1 || st.State != StateReady {
					t.Errorf("status after the restart = %+v (last exit %+v), want ready, 1 restart, last exit hung", st, st.LastExit)
				}
				crash := h.rec.find("process-crashed")
				if len(crash) == 0 || crash[0].Labels["reason"] != "hung" || !strings.Contains(crash[0].Message, "hung: no answer for") {
					t.Errorf("crash events %+v, want the first with reason hung", crash)
				}
				if rs := h.rec.find("process-restarting"); len(rs) == 0 || !strings.Contains(rs[0].Message, "hung: no answer for") {
					t.Errorf("restarting events %+v, want the reason hung: no answer for…", rs)
				}
				if cancelled != nil {
					select {
					case err := <-cancelled:
						if !errors.Is(err, ErrHung) {
							t.Errorf("the waiting request was cancelled with %v, want ErrHung", err)
						}
					default:
						t.Errorf("the request waiting on the hung app was not cancelled")
					}
				}
			})
		})
	}
}

func TestIsHung(t *testing.T) {
	after := Config{}.WithDefaults().Hang.After
	tests := []struct {
		failures           int
		silent, unanswered time.Duration
		want               bool
	}{
		{2, after, after, true},
		{5, 2 * after, after, true},
		{1, after, after, false},         // one failed probe is no hang
		{5, after - 1, time.Hour, false}, // the probe answered recently
		{5, time.Hour, after - 1, false}, // a request was answered recently
		{5, time.Hour, 0, false},         // nothing waits on the app
		{0, time.Hour, time.Hour, false}, // the last probe passed
		{3, 35 * time.Second, 40 * time.Second, true},
	}
	for _, tt := range tests {
		if got := isHung(tt.failures, tt.silent, tt.unanswered, after); got != tt.want {
			t.Errorf("isHung(%d, %v, %v, %v) = %v, want %v", tt.failures, tt.silent, tt.unanswered, after, got, tt.want)
		}
	}
}

func TestTrafficUnanswered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr Traffic
		if d := tr.Unanswered(); d != 0 {
			t.Errorf("idle Unanswered = %v, want 0", d)
		}
		tr.Send() // a slow request
		time.Sleep(10 * time.Second)
		tr.Send()
		time.Sleep(time.Second)
		tr.Done(true) // the second is answered: the app is alive
		time.Sleep(5 * time.Second)
		if d := tr.Unanswered(); d != 5*time.Second {
			t.Errorf("Unanswered 5s after an answer, one request waiting = %v, want 5s", d)
		}
		tr.Done(false) // the slow one times out: no answer
		time.Sleep(time.Second)
		if d := tr.Unanswered(); d != 0 {
			t.Errorf("Unanswered with none waiting = %v, want 0", d)
		}
		tr.Send() // another one waits: the app has not answered for 7s
		time.Sleep(time.Second)
		if d := tr.Unanswered(); d != 7*time.Second {
			t.Errorf("Unanswered after an unanswered timeout = %v, want 7s since the last answer", d)
		}
		ctx := tr.Send()
		tr.hung()
		if !errors.Is(context.Cause(ctx), ErrHung) {
			t.Errorf("after hung, a waiting request's context cause = %v, want ErrHung", context.Cause(ctx))
		}
		tr.Done(false)
		tr.Done(false)
		if d := tr.Unanswered(); d != 0 {
			t.Errorf("Unanswered after hung = %v, want 0", d)
		}
		if ctx := tr.Send(); ctx.Err() != nil {
			t.Errorf("a request after hung got a cancelled context")
		}
	})
}

func TestHangValidate(t *testing.T) {
	tests := []struct {
		hang Hang
		want string // in the error; "" for none
	}{
		{Hang{}, ""},
		{Hang{URL: "http://127.0.0.1:3000/livez", After: 10 * time.Second}, ""},
		{Hang{URL: "127.0.0.1:3000"}, "hang.url"},
		{Hang{After: 5 * time.Second}, "hang.after: must be at least interval + timeout (10s)"},
		{Hang{Interval: -time.Second}, "hang.interval"},
	}
	for _, tt := range tests {
		err := Config{Hang: tt.hang}.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Validate(%+v) = %v, want nil", tt.hang, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Validate(%+v) = %v, want an error with %q", tt.hang, err, tt.want)
		}
	}
	d := Config{}.WithDefaults().Hang
	if d.After != 30*time.Second || d.Interval != 5*time.Second || d.Timeout != 5*time.Second || d.enabled() {
		t.Errorf("default hang = %+v, want 30s, 5s, 5s and off without a URL", d)
	}
}
