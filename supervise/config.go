package supervise

import (
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Config is the supervisor's part of bulwark.yaml (the run: section). Its
// zero value with a Command restarts the app always, with backoff from 1s
// to 30s, no health check, SIGTERM and 10s to stop, and the app's output
// passed to the console unchanged.
type Config struct {
	// Command is the program and its arguments, e.g. [node, server.js],
	// or one command line split as a shell would: "node server.js".
	// The program is looked up in PATH unless it contains a slash; a
	// relative path is relative to Dir. Required.
	Command []string `yaml:"command"`
	// Dir is the app's working directory. If empty, the supervisor's.
	Dir string `yaml:"dir"`
	// Env adds to (or overrides) the supervisor's environment for the app.
	// Values are secrets: never shown, e.g. DB_PASSWORD: ${DB_PASSWORD}.
	Env map[string]config.Secret `yaml:"env"`
	// Restart is when the app is restarted after it exits on its own:
	// "always", "on-failure" (exit code other than 0, or killed by a
	// signal) or "never". A health failure restarts it unless "never".
	// If empty, "always".
	Restart string `yaml:"restart"`
	// NoRestartExitCodes are exit codes that mean "do not restart": the
	// supervisor stops and returns the code.
	NoRestartExitCodes []int `yaml:"noRestartExitCodes"`
	// Backoff spaces restarts after failures.
	Backoff Backoff `yaml:"backoff"`
	// GiveUp stops restarting, for a while, on a crash loop.
	GiveUp GiveUp `yaml:"giveUp"`
	// Health probes the app: it is ready at its first passing probe and
	// restarted when probes keep failing. If neither http nor tcp is set,
	// the app is ready as soon as it has started and only its exit is
	// watched.
	Health Health `yaml:"health"`
	// Hang restarts an app that runs and holds its port but answers
	// nothing, such as a Node app whose event loop is blocked. It works
	// without a health check and is on by default when the app's address
	// is known (see [Hang.URL]).
	Hang Hang `yaml:"hang"`
	// Stop is how the app is asked to stop.
	Stop Stop `yaml:"stop"`
	// Logs is where the app's stdout and stderr go.
	Logs Logs `yaml:"logs"`
}

// Restart policies.
const (
	RestartAlways    = "always"
	RestartOnFailure = "on-failure"
	RestartNever     = "never"
)

// Backoff is capped exponential backoff with jitter: the n-th consecutive
// failure waits Initial×Multiplier^(n-1), at most Max, then ±Jitter of that
// at random (the cap applies before jitter, so instances restarting together
// still spread out).
type Backoff struct {
	// Initial is the wait after the first failure. If zero, 1s: long enough
	// that a crash on a bad request or a dependency that is restarting does
	// not turn into a restart storm, short enough that requests the gateway
	// holds during the restart (node starts in well under a second) do not
	// time out.
	Initial time.Duration `yaml:"initial"`
	// Max caps the wait. If zero, 30s (or Initial, if longer).
	Max time.Duration `yaml:"max"`
	// Multiplier grows the wait after each further failure; at least 1.
	// If zero, 2.
	Multiplier float64 `yaml:"multiplier"`
	// Jitter is the fraction of each wait added or removed at random, from
	// 0 to 1. If unset, 0.2; write 0 for none.
	Jitter *float64 `yaml:"jitter"`
	// ResetAfter is the uptime after which the app counts as stable: its
	// next failure waits Initial again. If zero, 30s.
	ResetAfter time.Duration `yaml:"resetAfter"`
}

// GiveUp stops restarts after Failures failures within Window: an alert
// event is published, the supervisor waits Rearm, then starts again from
// the initial backoff. A planned restart re-arms at once.
type GiveUp struct {
	// Failures is how many failures within Window mean a crash loop. If
	// zero, the supervisor never gives up (backoff alone bounds the pace).
	Failures int `yaml:"failures"`
	// Window is the period in which failures are counted. If zero, 10m.
	Window time.Duration `yaml:"window"`
	// Rearm is the pause after giving up. If zero, 10m.
	Rearm time.Duration `yaml:"rearm"`
}

// Health is the app's health check. HTTP and TCP are exclusive.
type Health struct {
	// HTTP is a URL probed with GET; a status from 200 to 399 passes
	// (redirects are not followed), e.g. "http://127.0.0.1:3000/healthz".
	HTTP string `yaml:"http"`
	// TCP is a host:port that must accept a connection, e.g. "127.0.0.1:3000".
	TCP string `yaml:"tcp"`
	// Interval is the time between probes once the app is ready. Before,
	// probes are sent every 200ms (or Interval if shorter) so readiness is
	// seen quickly. If zero, 5s.
	Interval time.Duration `yaml:"interval"`
	// Timeout bounds one probe. A hung app (port open, no answer) fails
	// by timing out. If zero, 2s.
	Timeout time.Duration `yaml:"timeout"`
	// FailureThreshold is how many probes in a row must fail before a
	// ready app is restarted. If zero, 3.
	FailureThreshold int `yaml:"failureThreshold"`
	// StartPeriod is the readiness timeout: how long after starting the
	// app has to pass its first probe. Failures before that are not
	// counted; an app that has not passed by then is stopped and counts
	// as a failure. If zero, 60s.
	StartPeriod time.Duration `yaml:"startPeriod"`
}

// Hang is the hang detection: a liveness probe, plus (under guard --run)
// what the gateway sees of the requests it passes to the app. The app is
// restarted only when both say it has answered nothing for After: the
// probe got no answer below 500 for After, and requests have been waiting
// on the app for After without it answering any of them. A request that
// legitimately takes long does not count while the app answers the probe
// or other requests; an idle gateway never restarts the app. Without a
// gateway (bulwark run), the probe alone decides.
//
// With the defaults a hung app is restarted 30 to 40s after it stopped
// answering: the stop signal, Stop.Grace, SIGKILL to the process group,
// then a start after the usual backoff, as for a crash.
type Hang struct {
	// URL is probed with GET once the app is ready; any answer with a
	// status below 500 counts as alive (redirects are not followed). A
	// liveness path the app answers without work is best, e.g.
	// "http://127.0.0.1:3000/livez". If empty, guard --run probes the
	// upstream's root and bulwark run the root of 127.0.0.1:$PORT when the
	// app's environment sets PORT; otherwise there is no hang detection.
	URL string `yaml:"url"`
	// Disabled turns hang detection off.
	Disabled bool `yaml:"disabled"`
	// After is how long the app must have answered nothing before it
	// counts as hung. If zero, 30s: far beyond a probe's usual answer in
	// milliseconds, and long enough that one slow request (a report, an
	// upload) is not mistaken for a hang even without other traffic.
	After time.Duration `yaml:"after"`
	// Interval is the time between probes. If zero, 5s.
	Interval time.Duration `yaml:"interval"`
	// Timeout bounds one probe. If zero, 5s.
	Timeout time.Duration `yaml:"timeout"`
}

// enabled reports whether hang detection runs.
func (h Hang) enabled() bool { return !h.Disabled && h.URL != "" }

// enabled reports whether a health check is configured.
func (h Health) enabled() bool { return h.HTTP != "" || h.TCP != "" }

// Stop is how the app is asked to stop, for a restart or a shutdown.
type Stop struct {
	// Signal is sent to the app's process group: SIGTERM, SIGINT, SIGQUIT,
	// SIGHUP, SIGUSR1 or SIGUSR2 (the SIG prefix is optional). If empty,
	// SIGTERM.
	Signal string `yaml:"signal"`
	// Grace is how long the app has to exit after the signal before its
	// process group is killed with SIGKILL. For a planned stop,
	// [Options.BeforeStop] gets as long again before the signal. If zero,
	// 10s.
	Grace time.Duration `yaml:"grace"`
}

// Logs is where the app's output goes. Output is read line by line and
// every line is written whole, so lines from stdout and stderr never tear
// into each other; nothing is dropped: a slow destination slows the app's
// writes instead. A last line without a newline is written with one added
// when the app exits.
type Logs struct {
	// Console is how lines reach the supervisor's own stdout and stderr
	// (the app's stdout to stdout, its stderr to stderr): "raw" as the app
	// wrote them, "prefixed" led by "app[PID] ", or "off". If empty, "raw".
	Console string `yaml:"console"`
	// Stdout, if its path is set, also writes the app's stdout to a
	// rotating file.
	Stdout LogFile `yaml:"stdout"`
	// Stderr, if its path is set, also writes the app's stderr to a
	// rotating file; it may be the same path as Stdout's.
	Stderr LogFile `yaml:"stderr"`
	// MaxLine bounds the memory one line may take. A longer line is
	// written as several lines of MaxLine bytes each, in order; lines up to
	// MaxLine (far beyond the 64KiB where line scanners usually stop) pass
	// intact. If zero, 1MiB.
	MaxLine config.Size `yaml:"maxLine"`
}

// Console modes.
const (
	ConsoleRaw      = "raw"
	ConsolePrefixed = "prefixed"
	ConsoleOff      = "off"
)

// LogFile is a log file rotated by renaming: when a line would take it past
// MaxSize, path.N-1 becomes path.N … path becomes path.1, and the oldest
// beyond MaxFiles is removed. Files are created with mode 0600.
type LogFile struct {
	// Path is the file. If empty, the stream is not written to a file.
	Path string `yaml:"path"`
	// MaxSize is the size at which the file is rotated. If zero, 10MiB.
	MaxSize config.Size `yaml:"maxSize"`
	// MaxFiles is how many rotated files are kept. If zero, 5.
	MaxFiles int `yaml:"maxFiles"`
}

// WithDefaults returns c with every zero field set to its documented default.
func (c Config) WithDefaults() Config {
	if oneLine(c.Command) {
		if argv, err := SplitCommand(c.Command[0]); err == nil {
			c.Command = argv
		}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.Restart == "" {
		c.Restart = RestartAlways
	}
	b := &c.Backoff
	def(&b.Initial, time.Second)
	def(&b.Max, max(30*time.Second, b.Initial))
	def(&b.ResetAfter, 30*time.Second)
	if b.Multiplier == 0 {
		b.Multiplier = 2
	}
	if b.Jitter == nil {
		j := 0.2
		b.Jitter = &j
	}
	def(&c.GiveUp.Window, 10*time.Minute)
	def(&c.GiveUp.Rearm, 10*time.Minute)
	h := &c.Health
	def(&h.Interval, 5*time.Second)
	def(&h.Timeout, 2*time.Second)
	def(&h.StartPeriod, 60*time.Second)
	if h.FailureThreshold == 0 {
		h.FailureThreshold = 3
	}
	def(&c.Hang.After, 30*time.Second)
	def(&c.Hang.Interval, 5*time.Second)
	def(&c.Hang.Timeout, 5*time.Second)
	if c.Stop.Signal == "" {
		c.Stop.Signal = "SIGTERM"
	}
	def(&c.Stop.Grace, 10*time.Second)
	if c.Logs.Console == "" {
		c.Logs.Console = ConsoleRaw
	}
	if c.Logs.MaxLine == 0 {
		c.Logs.MaxLine = 1 << 20
	}
	for _, f := range []*LogFile{&c.Logs.Stdout, &c.Logs.Stderr} {
		if f.Path == "" {
			continue
		}
		if f.MaxSize == 0 {
			f.MaxSize = 10 << 20
		}
		if f.MaxFiles == 0 {
			f.MaxFiles = 5
		}
	}
	return c
}
