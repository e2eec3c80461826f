package supervise

import (
	"context"
	"syscall"
)

// A platform starts app processes. The real one (newOSPlatform) forks and
// execs; the run loop's tests use a fake one inside testing/synctest.
type platform interface {
	// open prepares for starting processes (on Linux: the child subreaper,
	// the orphan reaper and the thread that forks); close undoes it once
	// every process has exited.
	open() (close func(), err error)
	// start starts the app. An error is a *StartError: retrying cannot help.
	start(spec procSpec) (proc, error)
	// portBusy reports whether addr already accepts connections.
	portBusy(ctx context.Context, addr string) bool
}

// procSpec is what start needs.
type procSpec struct {
	cfg  Config // with defaults
	logs *logOutput
}

// A proc is one app process as the run loop sees it. Only the run loop
// calls its methods.
type proc interface {
	pid() int
	// exited is closed when the process has exited.
	exited() <-chan struct{}
	// exit is how it ended, once exited is closed: its exit code (-1 if
	// killed by a signal) and the signal (0 if it exited).
	exit() (code int, sig syscall.Signal)
	// signal sends sig to the app's whole process group.
	signal(sig syscall.Signal)
	// cleanup, called once after exited, kills what is left of the process
	// group and waits (boundedly) for the app's output to be written out.
	cleanup()
}
