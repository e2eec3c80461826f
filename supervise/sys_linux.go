//go:build linux

package supervise

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// sysProcAttr puts the app in its own process group, so it can be signalled
// whole and does not get the terminal's Ctrl-C, and kills it with SIGKILL
// if the supervisor dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// A sysState is what every Supervisor in the process shares while at least
// one runs: the child-subreaper flag, the reaper of orphaned descendants,
// and the one OS thread that forks apps. (Linux sends the parent-death
// signal when the thread that forked the child ends, not the process, and
// the Go runtime may end idle threads; this one stays locked while apps
// run.)
type sysState struct {
	log   *slog.Logger
	forks chan func()
	stop  chan struct{}
	wg    sync.WaitGroup
	sid   int // our session

	mu     sync.Mutex   // held while starting an app and while reaping, so an app is never reaped before it is known
	ours   map[int]bool // apps started and not yet waited for: os/exec waits for them
	groups map[int]bool // process groups of apps: their orphans are ours to reap
	subrep bool         // the subreaper flag was set
}

var shared struct {
	mu    sync.Mutex
	users int
	state *sysState
}

// acquireSys returns the shared state, setting it up for the first user.
func acquireSys(log *slog.Logger) *sysState {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.users == 0 {
		shared.state = newSysState(log)
	}
	shared.users++
	return shared.state
}

// releaseSys undoes acquireSys; the last user tears the state down.
func releaseSys() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.users--; shared.users == 0 {
		shared.state.close()
		shared.state = nil
	}
}

func newSysState(log *slog.Logger) *sysState {
	st := &sysState{log: log, forks: make(chan func()), stop: make(chan struct{}),
		ours: map[int]bool{}, groups: map[int]bool{}}
	st.sid, _ = unix.Getsid(0)
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		log.LogAttrs(context.Background(), slog.LevelWarn,
			"cannot become child subreaper; orphans of the app will not be reaped by bulwark",
			slog.String("error", err.Error()))
	} else {
		st.subrep = true
	}
	st.wg.Add(2)
	go st.forker()
	go st.reaper()
	return st
}

func (st *sysState) close() {
	close(st.stop)
	close(st.forks)
	st.wg.Wait()
	if st.subrep {
		unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
	}
}

// forker runs start calls on one locked OS thread.
func (st *sysState) forker() {
	defer st.wg.Done()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for f := range st.forks {
		f()
	}
}

// start starts cmd on the forking thread and records it as an app.
func (st *sysState) start(cmd *exec.Cmd) error {
	errc := make(chan error, 1)
	st.forks <- func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		err := cmd.Start()
		if err == nil {
			st.ours[cmd.Process.Pid] = true
			st.groups[cmd.Process.Pid] = true
		}
		errc <- err
	}
	return <-errc
}

// forget records that os/exec has waited for app pid.
func (st *sysState) forget(pid int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.ours, pid)
}

// forgetGroup records that app group pgid has no member left.
func (st *sysState) forgetGroup(pgid int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.groups, pgid)
}

// reaper reaps orphans on every SIGCHLD, and every second in case a signal
// was coalesced.
func (st *sysState) reaper() {
	defer st.wg.Done()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	defer signal.Stop(sigs)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-sigs:
		case <-tick.C:
		case <-st.stop:
			st.reap()
			return
		}
		st.reap()
	}
}

// reap waits for every zombie child that is an orphan from an app: in an
// app's process group, or in a session of its own (a daemon the app
// started). Apps themselves are left to os/exec, and so are other children
// of this program, which stay in its session and process groups.
func (st *sysState) reap() {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, pid := range childPIDs() {
		state, pgid, sid, ok := procStat(pid)
		if !ok || state != 'Z' || st.ours[pid] || (!st.groups[pgid] && sid == st.sid) {
			continue
		}
		var ws unix.WaitStatus
		unix.Wait4(pid, &ws, unix.WNOHANG, nil)
	}
}
