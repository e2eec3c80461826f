//go:build unix

package supervise

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/bulwark-sec/bulwark/config"
)

// osPlatform starts real processes.
type osPlatform struct {
	log *slog.Logger
	sys *sysState // set by open
}

func newOSPlatform(log *slog.Logger) platform { return &osPlatform{log: log} }

func (pl *osPlatform) open() (func(), error) {
	pl.sys = acquireSys(pl.log)
	return func() { releaseSys(); pl.sys = nil }, nil
}

func (pl *osPlatform) portBusy(ctx context.Context, addr string) bool { return portBusy(ctx, addr) }

// drainTimeout bounds the wait for the app's output after its process
// group has been killed: only a descendant that left the group (a daemon)
// can still hold the pipes open.
const drainTimeout = time.Second

func (pl *osPlatform) start(spec procSpec) (proc, error) {
	cfg := spec.cfg
	cmd := exec.Command(cfg.Command[0], cfg.Command[1:]...)
	if cmd.Err != nil {
		return nil, &StartError{Command: cfg.Command[0], Err: cmd.Err}
	}
	cmd.Dir = cfg.Dir
	cmd.Env = appEnv(cfg.Env)
	cmd.SysProcAttr = sysProcAttr()
	var readers, writers [2]*os.File
	closeAll := func(fs []*os.File) {
		for _, f := range fs {
			if f != nil {
				f.Close()
			}
		}
	}
	for stream := range 2 {
		if !spec.logs.wants(stream) {
			continue // the app's stream goes to /dev/null
		}
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(readers[:])
			closeAll(writers[:])
			return nil, &StartError{Command: cfg.Command[0], Err: err}
		}
		readers[stream], writers[stream] = r, w
	}
	if writers[streamStdout] != nil {
		cmd.Stdout = writers[streamStdout]
	}
	if writers[streamStderr] != nil {
		cmd.Stderr = writers[streamStderr]
	}
	err := pl.sys.start(cmd)
	closeAll(writers[:]) // the app has its copies
	if err != nil {
		closeAll(readers[:])
		return nil, &StartError{Command: cfg.Command[0], Err: err}
	}
	p := &process{cmd: cmd, id: cmd.Process.Pid, sys: pl.sys, done: make(chan struct{}), readers: readers}
	for stream, r := range readers {
		if r == nil {
			continue
		}
		p.reading.Add(1)
		go func() {
			defer p.reading.Done()
			if err := readLines(r, spec.logs.maxLine, spec.logs.sink(stream, p.id)); err != nil {
				pl.log.LogAttrs(context.Background(), slog.LevelError, "reading app output",
					slog.String("stream", streamNames[stream]), slog.String("error", err.Error()))
			}
		}()
	}
	go func() {
		p.waitErr = cmd.Wait()
		pl.sys.forget(p.id)
		close(p.done)
	}()
	return p, nil
}

// appEnv is the supervisor's environment with add on top, in a stable order.
func appEnv(add map[string]config.Secret) []string {
	env := os.Environ()
	keys := make([]string, 0, len(add))
	for k := range add {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		env = append(env, k+"="+add[k].Reveal()) // exec keeps the last of duplicates
	}
	return env
}

// process is one started app process; it leads its own process group.
type process struct {
	cmd     *exec.Cmd
	id      int
	sys     *sysState
	done    chan struct{}
	waitErr error // set before done is closed
	readers [2]*os.File
	reading sync.WaitGroup
}

func (p *process) pid() int                { return p.id }
func (p *process) exited() <-chan struct{} { return p.done }

func (p *process) exit() (int, syscall.Signal) {
	ps := p.cmd.ProcessState
	if ps == nil { // Wait failed without a status; should not happen
		return -1, 0
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ps.ExitCode(), 0
}

func (p *process) signal(sig syscall.Signal) {
	// The group id is the app's pid (Setpgid). An error means the group
	// is gone already (ESRCH), which is what the caller wants anyway.
	_ = syscall.Kill(-p.id, sig)
}

func (p *process) cleanup() {
	p.signal(syscall.SIGKILL)
	if groupGone(p.id, drainTimeout) {
		p.sys.forgetGroup(p.id)
	}
	deadline := time.Now().Add(drainTimeout)
	for _, r := range p.readers {
		if r != nil {
			r.SetReadDeadline(deadline)
		}
	}
	p.reading.Wait()
	for _, r := range p.readers {
		if r != nil {
			r.Close()
		}
	}
}

// groupGone waits up to d for process group pgid to have no member left
// (zombies count until they are reaped).
func groupGone(pgid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// signalName is the usual name of sig, e.g. "SIGKILL".
func signalName(sig syscall.Signal) string {
	if name := unix.SignalName(sig); name != "" {
		return name
	}
	return sig.String()
}
