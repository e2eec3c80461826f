package supervise

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// fakePlatform starts fakeProcs, for testing the run loop inside
// testing/synctest where time is virtual.
type fakePlatform struct {
	mu       sync.Mutex
	procs    []*fakeProc
	starts   []time.Time
	startErr error
	// behave sets up the n-th process (from 0) as it starts.
	behave func(n int, p *fakeProc)
}

func (f *fakePlatform) open() (func(), error)                 { return func() {}, nil }
func (f *fakePlatform) portBusy(context.Context, string) bool { return false }

func (f *fakePlatform) start(procSpec) (proc, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startErr != nil {
		f.starts = append(f.starts, time.Now())
		return nil, &StartError{Command: "app", Err: f.startErr}
	}
	p := &fakeProc{id: 100 + len(f.procs), done: make(chan struct{}), stopCode: 0}
	n := len(f.procs)
	f.procs = append(f.procs, p)
	f.starts = append(f.starts, time.Now())
	if f.behave != nil {
		f.behave(n, p)
	}
	if p.life > 0 {
		go func() {
			select {
			case <-time.After(p.life):
				p.die(p.lifeCode, 0)
			case <-p.done:
			}
		}()
	}
	return p, nil
}

func (f *fakePlatform) startTimes() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.starts...)
}

// proc returns the n-th process; -1 is the latest.
func (f *fakePlatform) proc(n int) *fakeProc {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n < 0 {
		n += len(f.procs)
	}
	return f.procs[n]
}

// fakeProc is a process that exits after life (if set) with lifeCode, on
// its stop signal with stopCode unless it ignores it, and on SIGKILL.
type fakeProc struct {
	id         int
	life       time.Duration
	lifeCode   int
	stopCode   int
	ignoreStop bool

	mu      sync.Mutex
	signals []syscall.Signal
	code    int
	sig     syscall.Signal
	done    chan struct{}
	once    sync.Once
}

func (p *fakeProc) pid() int                { return p.id }
func (p *fakeProc) exited() <-chan struct{} { return p.done }
func (p *fakeProc) cleanup()                {}

func (p *fakeProc) exit() (int, syscall.Signal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.code, p.sig
}

func (p *fakeProc) die(code int, sig syscall.Signal) {
	p.once.Do(func() {
		p.mu.Lock()
		p.code, p.sig = code, sig
		p.mu.Unlock()
		close(p.done)
	})
}

func (p *fakeProc) signal(sig syscall.Signal) {
	p.mu.Lock()
	p.signals = append(p.signals, sig)
	p.mu.Unlock()
	switch {
	case sig == syscall.SIGKILL:
		p.die(-1, syscall.SIGKILL)
	case !p.ignoreStop:
		p.die(p.stopCode, 0)
	}
}

func (p *fakeProc) got() []syscall.Signal {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]syscall.Signal(nil), p.signals...)
}

// recorder keeps the events published on a bus.
type recorder struct {
	mu     sync.Mutex
	events []event.Event
}

func (r *recorder) handle(e event.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Action)
	}
	return out
}

func (r *recorder) find(action string) []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []event.Event
	for _, e := range r.events {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// harness is a supervisor on a fake platform, run in the background.
type harness struct {
	s      *Supervisor
	plat   *fakePlatform
	rec    *recorder
	bus    *event.Bus
	cancel context.CancelFunc
	done   chan error
}

// start builds the supervisor and runs it, on plat if not nil (then call it
// inside a synctest bubble), else on the real platform.
// Each hook changes the supervisor before Run (to set a fake probe).
func start(t *testing.T, cfg Config, plat *fakePlatform, opts Options, hooks ...func(*Supervisor)) *harness {
	t.Helper()
	if cfg.Command == nil {
		cfg.Command = []string{"app"}
	}
	if cfg.Backoff.Jitter == nil {
		zero := 0.0
		cfg.Backoff.Jitter = &zero
	}
	h := &harness{plat: plat, rec: &recorder{}, bus: event.NewBus(nil), done: make(chan error, 1)}
	h.bus.Subscribe("test", 0, h.rec.handle)
	opts.Bus = h.bus
	s, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if plat != nil {
		s.plat = plat
	}
	for _, hook := range hooks {
		hook(s)
	}
	h.s = s
	ctx, cancel := context.WithCancel(t.Context())
	h.cancel = cancel
	go func() { h.done <- s.Run(ctx) }()
	return h
}

// stop ends Run and returns its error.
func (h *harness) stop() error {
	h.cancel()
	err := <-h.done
	h.bus.Close()
	return err
}

// waitLimit bounds how long wait waits for Run to return by itself (in a
// synctest bubble, fake time).
const waitLimit = time.Minute

// errStillRunning is what wait returns when Run did not return by itself
// within waitLimit: the supervisor went on (restarting the app) where it
// should have stopped. A test fails by assertion, not by hanging.
var errStillRunning = errors.New("Run was still running after " + waitLimit.String() + ": it restarted the app instead of stopping")

// wait returns Run's error once it returns by itself, or errStillRunning.
func (h *harness) wait() error {
	select {
	case err := <-h.done:
		h.cancel()
		h.bus.Close()
		return err
	case <-time.After(waitLimit):
		h.stop()
		return errStillRunning
	}
}
