package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/supervise"
)

// runFlags are bulwark run's flags; each set one overrides the file's run: section.
type runFlags struct {
	configPath, restart, dir, healthHTTP, healthTCP string
	stopSignal, logConsole, logFile                 string
	stopGrace                                       time.Duration
	env                                             []string
}

func newRun() *cobra.Command {
	var fl runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] -- CMD [ARGS...]",
		Short: "Run an app and keep it running (what forever and pm2 do)",
		Long: `Run CMD and keep it running: restart it when it exits or stops answering its
health check, with exponential backoff (1s doubling to 30s, reset after 30s of
stable uptime). The app runs in its own process group, which is killed whole
after a crash, and dies with bulwark if bulwark is killed.

With --health-http or --health-tcp the app counts as ready only once the check
passes, and is restarted when it fails 3 times in a row (a hung app).

Without a health check, a hung app (running, port open, answering nothing, as a
Node app whose event loop is blocked) is still restarted when the app's port is
known: run.hang.url, or else PORT in the app's environment. It is probed with
GET / every 5s; after 30s with no answer below 500 it is stopped and started
again (run.hang.after; run.hang.disabled turns this off).

The app's stdout and stderr go to bulwark's stdout and stderr line by line
(--log-console prefixed adds "app[PID] "), and to a rotating file with
--log-file. Events (starts, exits, crashes, health failures) go to stderr as
ECS JSON lines unless events.output says otherwise.

SIGTERM or SIGINT stops the app (SIGTERM, then SIGKILL after 10s) and exits
once it has; SIGHUP restarts it. When the app exits and is not to be restarted
(--restart never or on-failure), bulwark exits with the app's exit code; a
command that cannot be started at all exits with 127 (not found) or 126.

Flags override the run: section of the configuration file.`,
		Example: `  bulwark run -- node server.js
  bulwark run --health-http http://127.0.0.1:3000/healthz --log-file app.log -- node server.js
  bulwark run --config bulwark.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(fl.configPath)
			if err != nil {
				return err
			}
			if err := fl.apply(cmd, args, &cfg.Run); err != nil {
				return err
			}
			// On a terminal, unless events.output says where, events are
			// readable lines among the app's.
			lines := cfg.Events.Output == "" && isTTY(cmd.ErrOrStderr())
			if cfg.Events.Output == "" {
				cfg.Events.Output = "stderr" // stdout is the app's
			}
			sigs := make(chan os.Signal, 4)
			signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
			defer signal.Stop(sigs)
			return runSupervisor(cmd.Context(), cfg.Run, cfg.Events.Output, lines, sigs, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false) // flags after CMD are the app's
	f.StringVarP(&fl.configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file with a run: section (env BULWARK_CONFIG)")
	f.StringVar(&fl.restart, "restart", "", `when to restart the app after it exits: always, on-failure or never (default "always")`)
	f.StringVar(&fl.dir, "dir", "", "the app's working directory")
	f.StringArrayVar(&fl.env, "env", nil, "add KEY=VALUE to the app's environment (repeatable)")
	f.StringVar(&fl.healthHTTP, "health-http", "", "health-check URL, e.g. http://127.0.0.1:3000/healthz")
	f.StringVar(&fl.healthTCP, "health-tcp", "", "health-check address that must accept connections, e.g. 127.0.0.1:3000")
	f.StringVar(&fl.stopSignal, "stop-signal", "", `signal that asks the app to stop (default "SIGTERM")`)
	f.DurationVar(&fl.stopGrace, "stop-grace", 0, "time the app has to exit before SIGKILL (default 10s)")
	f.StringVar(&fl.logConsole, "log-console", "", `app output on the console: raw, prefixed or off (default "raw")`)
	f.StringVar(&fl.logFile, "log-file", "", "also write the app's stdout and stderr to this file, rotated at 10MiB, 5 kept")
	return cmd
}

// apply puts the command line into c.
func (fl *runFlags) apply(cmd *cobra.Command, args []string, c *supervise.Config) error {
	if len(args) > 0 {
		c.Command = args
	}
	if len(c.Command) == 0 {
		return usagef("no command to run: give it after --, e.g. bulwark run -- node server.js (see %s --help)", cmd.CommandPath())
	}
	set := func(flag string, dst *string, v string) {
		if cmd.Flags().Changed(flag) {
			*dst = v
		}
	}
	set("restart", &c.Restart, fl.restart)
	set("dir", &c.Dir, fl.dir)
	set("stop-signal", &c.Stop.Signal, fl.stopSignal)
	set("log-console", &c.Logs.Console, fl.logConsole)
	if cmd.Flags().Changed("health-http") {
		c.Health.HTTP, c.Health.TCP = fl.healthHTTP, ""
	}
	if cmd.Flags().Changed("health-tcp") {
		c.Health.TCP, c.Health.HTTP = fl.healthTCP, ""
	}
	if cmd.Flags().Changed("stop-grace") {
		c.Stop.Grace = fl.stopGrace
	}
	if fl.logFile != "" {
		c.Logs.Stdout = supervise.LogFile{Path: fl.logFile}
		c.Logs.Stderr = supervise.LogFile{Path: fl.logFile}
	}
	for _, kv := range fl.env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("--env %q: want KEY=VALUE", kv)
		}
		if c.Env == nil {
			c.Env = map[string]config.Secret{}
		}
		c.Env[k] = config.Secret(v)
	}
	if err := c.Validate(); err != nil {
		return usageError{fmt.Errorf("invalid run settings: %w", flatten(err))}
	}
	return nil
}

// flatten writes joined validation errors on one line each, with their key.
func flatten(err error) error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	var msgs []string
	for _, e := range j.Unwrap() {
		msgs = append(msgs, flatten(e).Error())
	}
	return errors.New(strings.Join(msgs, "; "))
}

// runSupervisor runs the app until a stop signal arrives on sigs (SIGHUP
// restarts it) or the app ends for good.
func runSupervisor(ctx context.Context, cfg supervise.Config, eventsOut string, lines bool, sigs <-chan os.Signal, stdout, stderr io.Writer) error {
	// The app's lines, events and logs share the two streams: one Write each.
	tty := isTTY(stderr)
	stdout, stderr = &syncWriter{w: stdout}, &syncWriter{w: stderr}
	log := logFor(stderr, tty)
	out, closeOut, err := eventOutput(eventsOut, stdout, stderr)
	if err != nil {
		return usageError{err}
	}
	defer closeOut()
	bus := event.NewBus(nil)
	switch {
	case out != nil && lines:
		bus.Subscribe("output", 0, eventLines(out, logPalette(tty)))
	case out != nil:
		bus.Subscribe("output", 0, event.NewJSONLWriter(out, log).Handle)
	}
	defer bus.Close()

	if cfg.Hang.URL == "" {
		cfg.Hang.URL = hangURL(cfg.Env)
	}
	s, err := supervise.New(cfg, supervise.Options{Bus: bus, Logger: log, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return usageError{err}
	}
	// bulwark status --run reads it.
	defer publishRunStatus(s, cfg.Command, bus, log)()
	logRuntime(ctx, cfg.Command, cfg.Dir, cfg.Env, defaultAdvisoryDB(), bus.Publish, log) // the Node.js it runs on, with its advisories
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { handleSignals(ctx, cancel, s, sigs, log) })
	err = s.Run(ctx)
	cancel()
	return err
}

// hangURL is the hang-detection probe of bulwark run when the
// configuration names none: the root of 127.0.0.1:$PORT when the app's
// environment sets PORT (as Node apps read it), else none.
func hangURL(env map[string]config.Secret) string {
	port := os.Getenv("PORT")
	if p, ok := env["PORT"]; ok {
		port = p.Reveal()
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return ""
	}
	return "http://127.0.0.1:" + port + "/"
}

// handleSignals stops the supervisor on SIGTERM or SIGINT and restarts the
// app on SIGHUP, until ctx is done.
func handleSignals(ctx context.Context, stop context.CancelFunc, s *supervise.Supervisor, sigs <-chan os.Signal, log *slog.Logger) {
	var restarts sync.WaitGroup
	defer restarts.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-sigs:
			if sig != syscall.SIGHUP {
				log.LogAttrs(ctx, slog.LevelInfo, "stopping the app", slog.String("signal", sig.String()))
				stop()
				return
			}
			restarts.Go(func() {
				if err := s.Restart(ctx); err != nil && ctx.Err() == nil {
					log.LogAttrs(ctx, slog.LevelWarn, "restart on SIGHUP", slog.String("error", err.Error()))
				}
			})
		}
	}
}

// syncWriter serializes writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
