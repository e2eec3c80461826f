package supervise

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Validate reports every bad value, each at its key. An empty Command is
// not an error here (a file may leave it to the command line); [New]
// requires it.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if oneLine(c.Command) {
		if _, err := SplitCommand(c.Command[0]); err != nil {
			bad("command", "%v (or write the program and its arguments as a list: [node, server.js])", err)
		}
	}
	for i, arg := range c.Command {
		if i == 0 && arg == "" {
			bad("command[0]", "the program name is empty")
		}
		if strings.IndexByte(arg, 0) >= 0 {
			bad(fmt.Sprintf("command[%d]", i), "contains a NUL byte")
		}
	}
	for k := range c.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			bad("env", "%q is not a variable name", k)
		}
	}
	switch c.Restart {
	case "", RestartAlways, RestartOnFailure, RestartNever:
	default:
		bad("restart", "must be always, on-failure or never, got %q", c.Restart)
	}
	for i, code := range c.NoRestartExitCodes {
		if code < 0 || code > 255 {
			bad(fmt.Sprintf("noRestartExitCodes[%d]", i), "an exit code is from 0 to 255, got %d", code)
		}
	}
	for _, sub := range []struct {
		key string
		v   config.Validator
	}{{"backoff", c.Backoff}, {"giveUp", c.GiveUp}, {"health", c.Health}, {"hang", c.Hang}, {"stop", c.Stop}, {"logs", c.Logs}} {
		if err := sub.v.Validate(); err != nil {
			errs = append(errs, config.Within(sub.key, err))
		}
	}
	return errors.Join(errs...)
}

// nonNegative reports a negative duration at path.
func nonNegative(path string, d time.Duration) error {
	if d < 0 {
		return config.Field(path, fmt.Errorf("must be at least 0s, got %s", config.FormatDuration(d)))
	}
	return nil
}

// Validate reports bad backoff values.
func (b Backoff) Validate() error {
	errs := []error{nonNegative("initial", b.Initial), nonNegative("max", b.Max), nonNegative("resetAfter", b.ResetAfter)}
	if b.Multiplier != 0 && b.Multiplier < 1 {
		errs = append(errs, config.Field("multiplier", fmt.Errorf("must be at least 1 (1 means a constant wait), got %g", b.Multiplier)))
	}
	if b.Jitter != nil && (*b.Jitter < 0 || *b.Jitter > 1) {
		errs = append(errs, config.Field("jitter", fmt.Errorf("must be a fraction from 0 to 1, got %g", *b.Jitter)))
	}
	d := Config{Backoff: b}.WithDefaults().Backoff
	if d.Max < d.Initial {
		errs = append(errs, config.Field("max", fmt.Errorf("must be at least initial (%s), got %s",
			config.FormatDuration(d.Initial), config.FormatDuration(d.Max))))
	}
	return errors.Join(errs...)
}

// Validate reports bad give-up values.
func (g GiveUp) Validate() error {
	errs := []error{nonNegative("window", g.Window), nonNegative("rearm", g.Rearm)}
	if g.Failures < 0 {
		errs = append(errs, config.Field("failures", fmt.Errorf("must be at least 0 (0 never gives up), got %d", g.Failures)))
	}
	return errors.Join(errs...)
}

// Validate reports bad health-check values.
func (h Health) Validate() error {
	errs := []error{nonNegative("interval", h.Interval), nonNegative("timeout", h.Timeout), nonNegative("startPeriod", h.StartPeriod)}
	switch {
	case h.HTTP != "" && h.TCP != "":
		errs = append(errs, config.Field("tcp", errors.New("give http or tcp, not both")))
	case h.HTTP != "":
		u, err := url.Parse(h.HTTP)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, config.Field("http", fmt.Errorf("%q is not an http(s) URL such as http://127.0.0.1:3000/healthz", h.HTTP)))
		}
	case h.TCP != "":
		if _, port, err := net.SplitHostPort(h.TCP); err != nil || port == "" {
			errs = append(errs, config.Field("tcp", fmt.Errorf("%q is not a host:port address such as 127.0.0.1:3000", h.TCP)))
		}
	}
	if h.FailureThreshold < 0 {
		errs = append(errs, config.Field("failureThreshold", fmt.Errorf("must be at least 1, got %d", h.FailureThreshold)))
	}
	return errors.Join(errs...)
}

// Validate reports bad hang-detection values.
func (h Hang) Validate() error {
	errs := []error{nonNegative("after", h.After), nonNegative("interval", h.Interval), nonNegative("timeout", h.Timeout)}
	if h.URL != "" {
		if u, err := url.Parse(h.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, config.Field("url", fmt.Errorf("%q is not an http(s) URL such as http://127.0.0.1:3000/livez", h.URL)))
		}
	}
	d := Config{Hang: h}.WithDefaults().Hang
	if d.After < d.Interval+d.Timeout {
		errs = append(errs, config.Field("after", fmt.Errorf("must be at least interval + timeout (%s), so two probes can fail first; got %s",
			config.FormatDuration(d.Interval+d.Timeout), config.FormatDuration(d.After))))
	}
	return errors.Join(errs...)
}

// Validate reports bad stop values.
func (s Stop) Validate() error {
	errs := []error{nonNegative("grace", s.Grace)}
	if s.Signal != "" {
		if _, err := parseSignal(s.Signal); err != nil {
			errs = append(errs, config.Field("signal", err))
		}
	}
	return errors.Join(errs...)
}

// parseSignal reads a stop signal name such as "SIGTERM" or "term".
func parseSignal(name string) (syscall.Signal, error) {
	s, ok := stopSignals[strings.TrimPrefix(strings.ToUpper(name), "SIG")]
	if !ok {
		return 0, fmt.Errorf("%q is not a stop signal; use SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1 or SIGUSR2", name)
	}
	return s, nil
}

// Validate reports bad log settings.
func (l Logs) Validate() error {
	var errs []error
	switch l.Console {
	case "", ConsoleRaw, ConsolePrefixed, ConsoleOff:
	default:
		errs = append(errs, config.Field("console", fmt.Errorf("must be raw, prefixed or off, got %q", l.Console)))
	}
	if l.MaxLine < 0 || (l.MaxLine > 0 && l.MaxLine < 1024) {
		errs = append(errs, config.Field("maxLine", fmt.Errorf("must be at least 1KiB, got %s", l.MaxLine)))
	}
	for _, f := range []struct {
		key string
		f   LogFile
	}{{"stdout", l.Stdout}, {"stderr", l.Stderr}} {
		if err := f.f.Validate(); err != nil {
			errs = append(errs, config.Within(f.key, err))
		}
	}
	if a, b := l.Stdout, l.Stderr; a.Path != "" && a.Path == b.Path &&
		((b.MaxSize != 0 && b.MaxSize != a.MaxSize) || (b.MaxFiles != 0 && b.MaxFiles != a.MaxFiles)) {
		errs = append(errs, config.Field("stderr", errors.New("shares its path with stdout: give maxSize and maxFiles once, under stdout")))
	}
	return errors.Join(errs...)
}

// Validate reports bad log-file settings.
func (f LogFile) Validate() error {
	var errs []error
	if f.Path == "" && (f.MaxSize != 0 || f.MaxFiles != 0) {
		errs = append(errs, config.Field("path", errors.New("is needed for maxSize and maxFiles to mean anything")))
	}
	if f.MaxSize < 0 || (f.MaxSize > 0 && f.MaxSize < 1024) {
		errs = append(errs, config.Field("maxSize", fmt.Errorf("must be at least 1KiB, got %s", f.MaxSize)))
	}
	if f.MaxFiles < 0 {
		errs = append(errs, config.Field("maxFiles", fmt.Errorf("must be at least 1, got %d", f.MaxFiles)))
	}
	return errors.Join(errs...)
}
