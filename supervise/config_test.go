package supervise

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

func TestDecodeConfig(t *testing.T) {
	src := `
command: [node, server.js]
dir: /srv/app
env: {NODE_ENV: production}
restart: on-failure
noRestartExitCodes: [78]
backoff: {initial: 500ms, max: 1m, multiplier: 3, jitter: 0, resetAfter: 2m}
giveUp: {failures: 5, window: 5m, rearm: 15m}
health: {http: "http://127.0.0.1:3000/healthz", interval: 10s, timeout: 1s, failureThreshold: 2, startPeriod: 30s}
stop: {signal: SIGINT, grace: 20s}
logs:
  console: prefixed
  stdout: {path: app.log, maxSize: 5MiB, maxFiles: 3}
  stderr: {path: app.log}
`
	var c Config
	if err := config.Decode("b.yaml", []byte(src), &c); err != nil {
		t.Fatal(err)
	}
	d := c.WithDefaults()
	if d.Backoff.Initial != 500*time.Millisecond || *d.Backoff.Jitter != 0 || d.GiveUp.Failures != 5 ||
		d.Health.FailureThreshold != 2 || d.Logs.Stdout.MaxSize != 5<<20 || d.Logs.Stderr.MaxFiles != 5 {
		t.Errorf("decoded config lost values: %+v", d)
	}
	if _, err := New(c, Options{}); err != nil {
		t.Errorf("New(decoded config) = %v", err)
	}
}

func TestDefaults(t *testing.T) {
	d := Config{}.WithDefaults()
	if d.Restart != RestartAlways || d.Backoff.Initial != time.Second || d.Backoff.Max != 30*time.Second ||
		*d.Backoff.Jitter != 0.2 || d.Stop.Signal != "SIGTERM" || d.Stop.Grace != 10*time.Second ||
		d.Health.StartPeriod != time.Minute || d.Logs.Console != ConsoleRaw || d.Logs.MaxLine != 1<<20 {
		t.Errorf("Config{}.WithDefaults() = %+v", d)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("Config{}.Validate() = %v, want nil", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"restart", "restart: sometimes\n", "b.yaml:1: restart: must be always, on-failure or never"},
		{"one string", "command: node 'my app.js\n", `b.yaml:1: command: unterminated quote in node 'my app.js (or write the program and its arguments as a list: [node, server.js])`},
		{"exit code", "noRestartExitCodes: [300]\n", "b.yaml:1: noRestartExitCodes[0]: an exit code is from 0 to 255, got 300"},
		{"multiplier", "backoff:\n  multiplier: 0.5\n", "b.yaml:2: backoff.multiplier: must be at least 1"},
		{"max below initial", "backoff:\n  initial: 1m\n  max: 10s\n", "b.yaml:3: backoff.max: must be at least initial (1m), got 10s"},
		{"jitter", "backoff: {jitter: 2}\n", "b.yaml:1: backoff.jitter: must be a fraction from 0 to 1, got 2"},
		{"both probes", "health:\n  http: http://x/\n  tcp: x:1\n", "b.yaml:3: health.tcp: give http or tcp, not both"},
		{"bad url", "health:\n  http: localhost:3000\n", `b.yaml:2: health.http: "localhost:3000" is not an http(s) URL`},
		{"bad tcp", "health:\n  tcp: localhost\n", `b.yaml:2: health.tcp: "localhost" is not a host:port address`},
		{"signal", "stop:\n  signal: SIGSTOP\n", `b.yaml:2: stop.signal: "SIGSTOP" is not a stop signal`},
		{"negative grace", "stop:\n  grace: -1s\n", "b.yaml:2: stop.grace: must be at least 0s, got -1s"},
		{"console", "logs: {console: color}\n", "b.yaml:1: logs.console: must be raw, prefixed or off"},
		{"file size", "logs:\n  stdout:\n    path: a.log\n    maxSize: 10\n", "b.yaml:4: logs.stdout.maxSize: must be at least 1KiB"},
		{"no path", "logs:\n  stderr:\n    maxFiles: 3\n", "b.yaml:3: logs.stderr.path: is needed"},
		{"shared path", "logs:\n  stdout: {path: a.log}\n  stderr: {path: a.log, maxFiles: 9}\n", "b.yaml:3: logs.stderr: shares its path with stdout"},
		{"unknown", "health:\n  intervall: 1s\n", "b.yaml:2: health.intervall: unknown key (did you mean interval?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Config
			err := config.Decode("b.yaml", []byte(tt.src), &c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(%q) error\n got: %v\nwant: %s", tt.src, err, tt.want)
			}
		})
	}
}

func TestNewNeedsCommand(t *testing.T) {
	_, err := New(Config{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "bulwark run -- node server.js") {
		t.Errorf("New(no command) = %v, want an error saying how to give one", err)
	}
}

// TestCommandLine: run.command may be one command line, split as guard
// --run splits it; a program whose own path has a space stays whole.
func TestCommandLine(t *testing.T) {
	var c Config
	if err := config.Decode("b.yaml", []byte("command: node 'my app.js' --port 3000\n"), &c); err != nil {
		t.Fatal(err)
	}
	if got, want := c.WithDefaults().Command, []string{"node", "my app.js", "--port", "3000"}; !slices.Equal(got, want) {
		t.Errorf("command: node 'my app.js' --port 3000 runs %q, want %q", got, want)
	}
	prog := filepath.Join(t.TempDir(), "my app")
	os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755)
	if got := (Config{Command: []string{prog}}).WithDefaults().Command; !slices.Equal(got, []string{prog}) {
		t.Errorf("command: %q runs %q, want the program itself", prog, got)
	}
}
