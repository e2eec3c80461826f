package supervise

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"time"
)

// State is where the supervised app is in its life.
type State string

// States. An app goes starting → ready → (stopping →) starting again, or
// to backoff after a failure, failed after giving up, stopped at the end.
const (
	StateStarting State = "starting" // started, not yet passed a health check
	StateReady    State = "ready"    // serving: the health check passed (or there is none)
	StateStopping State = "stopping" // being stopped, for a restart or for good
	StateBackoff  State = "backoff"  // waiting before the next start after a failure
	StateFailed   State = "failed"   // gave up on a crash loop; waits to re-arm
	StateStopped  State = "stopped"  // not running: Run has not started or has returned
)

// Status is a snapshot of the supervisor, for a status view.
type Status struct {
	State State
	// PID is the app's process id; 0 when no process runs.
	PID int
	// Started is when the current process started; zero when none runs.
	Started time.Time
	// Uptime is how long the current process has run.
	Uptime time.Duration
	// Restarts counts every start after the first, planned or not.
	Restarts int
	// Failures counts consecutive failures (crashes, health kills, starts
	// that never got ready) since the app last ran stably.
	Failures int
	// LastExit is how the previous process ended; nil before any has.
	LastExit *Exit
	// RetryAt is when the next start is due, in backoff or failed state.
	RetryAt time.Time
	// Health is the latest health-check result.
	Health HealthStatus
	// Liveness is the latest hang-detection probe result; zero without
	// hang detection or before the app is ready.
	Liveness HealthStatus
	// Unanswered is how long requests have waited on the app without it
	// answering any (see [Traffic]); zero when none waits or without a
	// gateway.
	Unanswered time.Duration
}

// Exit is how one app process ended.
type Exit struct {
	Time   time.Time
	PID    int
	Code   int    // exit code; -1 when killed by a signal
	Signal string // the signal that killed it, e.g. "killed"; empty if it exited
	Uptime time.Duration
	// Reason is why it ended: "exited" (on its own), "unhealthy", "hung",
	// "not-ready", "restart" (planned) or "shutdown".
	Reason string
	// Detail says more about the reason, e.g. "no answer for 34s" for hung.
	Detail string
}

// Why is the reason with its detail, e.g. "hung: no answer for 34s".
func (e Exit) Why() string {
	if e.Detail == "" {
		return e.Reason
	}
	return e.Reason + ": " + e.Detail
}

// failed reports whether the exit was a failure of the app.
func (e Exit) failed() bool { return e.Code != 0 || e.Signal != "" }

func (e Exit) String() string {
	if e.Signal != "" {
		return "killed by signal " + e.Signal
	}
	return fmt.Sprintf("exit code %d", e.Code)
}

// HealthStatus is the latest result of a probe (health check or hang
// detection).
type HealthStatus struct {
	Checked  time.Time     // when the last probe finished; zero if none has
	OK       bool          // the last probe passed
	Error    string        // why the last probe failed
	Failures int           // failed probes in a row
	Latency  time.Duration // how long the last probe took
	// Code is the HTTP status of the last probe's answer; 0 if it got
	// none (or the probe is not HTTP).
	Code int
	// LastOK is when a probe last passed; zero if none has.
	LastOK time.Time
}

// ErrUnavailable is matched (with errors.Is) by every [UnavailableError].
var ErrUnavailable = errors.New("supervise: app unavailable")

// An UnavailableError says the app cannot take requests now, and when to
// try again: a gateway answers 503 with Retry-After.
type UnavailableError struct {
	State State
	// RetryAfter is the time until the next start; 0 if unknown.
	RetryAfter time.Duration
}

func (e *UnavailableError) Error() string {
	switch e.State {
	case StateBackoff:
		return fmt.Sprintf("supervise: app restarting after a failure, next start in %s", e.RetryAfter.Round(time.Millisecond))
	case StateFailed:
		return fmt.Sprintf("supervise: app in a crash loop, restarts paused for %s", e.RetryAfter.Round(time.Second))
	}
	return "supervise: app not running"
}

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// An ExitError is what Run returns when the app exited with a failure and
// the restart policy says not to restart it. Its ExitCode is the app's
// (128+n for a signal n, as shells do), so a command can pass it on.
type ExitError struct {
	Exit Exit
	code int
}

func (e *ExitError) Error() string {
	if e.Exit.Reason != "" && e.Exit.Reason != reasonExited {
		return "app stopped (" + e.Exit.Why() + "), " + e.Exit.String()
	}
	return "app " + e.Exit.String()
}

// ExitCode is the code a command wrapping the app should exit with.
func (e *ExitError) ExitCode() int { return e.code }

// A StartError is a command that could not be started at all: not found,
// not executable, or a bad working directory. Run returns it at once
// rather than retrying, since retrying cannot help.
type StartError struct {
	Command string
	Err     error
}

func (e *StartError) Error() string {
	hint := "check the command and dir"
	switch {
	case e.notFound():
		hint = "check the spelling and dir, give a full path, or fix PATH"
	case errors.Is(e.Err, fs.ErrPermission):
		hint = "make it executable (chmod +x) or run it through its interpreter"
	}
	return fmt.Sprintf("supervise: cannot start %q: %v (%s)", e.Command, e.Err, hint)
}

func (e *StartError) Unwrap() error { return e.Err }

// ExitCode follows shells: 127 for a command not found, 126 for one that
// cannot be run.
func (e *StartError) ExitCode() int {
	if e.notFound() {
		return 127
	}
	return 126
}

func (e *StartError) notFound() bool {
	return errors.Is(e.Err, exec.ErrNotFound) || errors.Is(e.Err, fs.ErrNotExist)
}
