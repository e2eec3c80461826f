package cli

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/blackbook/scenario"
	"github.com/bulwark-sec/bulwark/console"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/guard"
	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/supervise"
)

func newGuard() *cobra.Command {
	var (
		configPath, upstream, listen, admin, run string
	)
	cmd := &cobra.Command{
		Use:   "guard",
		Short: "Run the security gateway in front of an app",
		Long: `Run the security gateway: a reverse proxy in front of the app that decides the
client's real address (trusting forwarding headers only from trustedProxies),
bounds requests, sets Helmet's secure headers, hardens cookies and answers 502
with a request id when the app is down. Events go to stdout as ECS JSON lines.

A separate admin listener (default 127.0.0.1:9090) serves /healthz and
Prometheus /metrics; every admin request needs "Authorization: Bearer TOKEN".
With no admin.token configured, a token is generated and written to
bulwark-admin.token next to the store (mode 0600).

State (the store bulwark.db, the admin token, the console's password file,
the users' mail outbox, the spools) lives in one folder: $BULWARK_HOME, else
/var/lib/bulwark as root, else $XDG_STATE_HOME/bulwark (~/.local/state/bulwark);
store.path moves the store and what goes next to it.

SIGTERM or SIGINT stops accepting connections and lets in-flight requests
finish (server.shutdownTimeout, default 30s).

With --run "node server.js" (or a run: section) guard also supervises the app,
as bulwark run does, and does what no process manager can: while the app
starts or restarts, requests wait (appWait.timeout, default 30s) instead of
failing; a planned restart (SIGHUP) first lets in-flight requests finish; a GET
that meets a refused connection is retried once when the app is back; and while
the app is in backoff after a crash, clients get 503 with Retry-After. The
app's readiness is its run.health check, or else its upstream port accepting
connections. An app that hangs (port open, no answers: a blocked event loop)
is restarted when both a probe of the upstream's root (run.hang.url) and the
requests waiting on it got no answer for run.hang.after (30s); the requests
waiting on it then get 504 at once. Its output goes to stderr.

With --run and no upstream, the app is expected where Node apps listen by
default: http://127.0.0.1:$PORT, or port 3000 when PORT is unset (the app
inherits PORT).

Flags override the configuration file.`,
		Example: `  bulwark guard --run "node server.js"     # the app on 127.0.0.1:${PORT:-3000}
  bulwark guard --upstream http://127.0.0.1:3000 --listen :8080
  bulwark guard --upstream http://127.0.0.1:3000 --run "node server.js"
  bulwark guard --config bulwark.yaml`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			if upstream != "" {
				cfg.Upstream = upstream
			}
			if listen != "" {
				cfg.Listen = listen
			}
			if admin != "" {
				cfg.Admin.Listen = admin
			}
			if run != "" {
				argv, err := supervise.SplitCommand(run)
				if err != nil {
					return usagef("--run: %v", err)
				}
				cfg.Run.Command = argv
			}
			if cfg.Upstream == "" && len(cfg.Run.Command) > 0 {
				cfg.Upstream = runUpstream(os.Getenv("PORT"))
			}
			// On a terminal, unless events.output says where, events are
			// readable lines.
			cfg.eventLines = cfg.Events.Output == "" && isTTY(cmd.OutOrStdout())
			return runGuard(cmd.Context(), cfg.withDefaults(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	f.StringVar(&upstream, "upstream", "", "the app's base URL, e.g. http://127.0.0.1:3000")
	f.StringVar(&listen, "listen", "", `public address (default ":8080")`)
	f.StringVar(&admin, "admin", "", `admin address for /healthz and /metrics (default "127.0.0.1:9090")`)
	f.StringVar(&run, "run", "", `also run and supervise the app, e.g. "node server.js"`)
	return cmd
}

func runGuard(ctx context.Context, cfg fileConfig, stdout, stderr io.Writer) error {
	tty := isTTY(stderr)
	stderr = &syncWriter{w: stderr} // shared by logs and the app's output
	log := logFor(stderr, tty)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if cfg.Upstream == "" { // a usage error, before any port is taken
		return usageError{guard.ErrNoUpstream}
	}
	// The listeners first: a gateway that cannot listen stops before it
	// writes anything.
	var lc net.ListenConfig
	pub, err := lc.Listen(ctx, "tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("public listener: %w", err)
	}
	defer pub.Close() // Serve closes them; this is for a return before it
	adm, err := lc.Listen(ctx, "tcp", cfg.Admin.Listen)
	if err != nil {
		return fmt.Errorf("admin listener: %w", err)
	}
	defer adm.Close()
	if err := cfg.prepareStore(); err != nil {
		return err
	}
	bus := event.NewBus(nil)
	if cfg.Store.Redis.enabled() {
		bus.SetObserver(cfg.Store.Redis.gatewayName()) // the sinks and alerts name the gateway too
	}
	st, err := openState(ctx, cfg, bus.Publish, log)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	outs, err := openOutputs(ctx, cfg, st, bus, reg, "guard", stdout, stderr, log)
	if err != nil {
		st.Close()
		return err
	}
	var g *guard.Gateway
	var cons *console.Console
	var scenarios *scenario.Engine
	// The bus is drained into the outputs before they close, then the
	// store closes.
	defer func() {
		if g != nil {
			g.Close()
		}
		bus.Close()
		if scenarios != nil {
			scenarios.Close()
		}
		if cons != nil {
			cons.Close()
		}
		outs.Close()
		st.Close()
	}()
	if scenarios, err = st.startScenarios(cfg.Scenarios, bus, "scenario:", log); err != nil {
		return usageError{err}
	}
	mailer, err := userMailer(cfg, outs.alerter)
	if err != nil {
		return usageError{err}
	}

	auditDB := &console.AuditDB{Path: cfg.Audit.DB}
	defer auditDB.Close()
	if cons, err = console.New(ctx, cfg.Console, console.Options{DB: st.db, Bus: bus, Logger: log,
		Audit: auditDB, Projects: absPaths(cfg.Audit.Projects)}); err != nil {
		return err
	}
	if st.fleet != nil {
		cons.SetLoginCounter(fleet.NewLoginLimit(st.fleet))
		if err := cons.JoinFleet(ctx, st.fleet, console.FleetOptions{Name: cfg.Store.Redis.gatewayName(),
			Mirrored: st.recordOffence}); err != nil {
			return err
		}
	}

	var app *supervise.Supervisor
	if len(cfg.Run.Command) > 0 {
		if app, err = newGuardedApp(cfg, bus, log, stderr, func(ctx context.Context) { g.Drain(ctx) }); err != nil {
			return err
		}
		logRuntime(ctx, cfg.Run.Command, cfg.Run.Dir, cfg.Run.Env, cmp.Or(cfg.Audit.DB, defaultAdvisoryDB()), bus.Publish, log)
	}
	opts := guard.Options{Bus: bus, Logger: log, Book: st.book, DB: st.db, Mailer: mailer, Registry: reg, Console: cons}
	if st.redis != nil {
		opts.Redis = st.redis
		opts.Fleet = st.fleet
		cfg.Limits.RedisPrefix = cfg.Store.Redis.prefix()
	}
	if app != nil {
		opts.App = app
	}
	if g, err = guard.New(cfg.Config, opts); err != nil {
		return usageError{err}
	}

	token := cfg.Admin.Token.Reveal()
	if token == "" {
		if token, err = writeToken(cfg.Admin.TokenFile); err != nil {
			return err
		}
		log.LogAttrs(ctx, slog.LevelInfo, "admin token generated", slog.String("file", cfg.Admin.TokenFile))
	}

	log.LogAttrs(ctx, slog.LevelInfo, "guarding",
		slog.String("listen", pub.Addr().String()), slog.String("upstream", cfg.Upstream),
		slog.String("admin", adm.Addr().String()))
	consoleURL := "http://" + adm.Addr().String() + "/console/"
	if pw := cons.StartPassword(); pw != "" {
		// A file only the operator reads, like the admin token: never the
		// logs or events.
		file := filepath.Join(filepath.Dir(cfg.Admin.TokenFile), "bulwark-console.password")
		if err := writeSecret(file, pw); err != nil {
			return err
		}
		log.LogAttrs(ctx, slog.LevelInfo, "console (password for this run in the file; set a lasting one with bulwark console passwd)",
			slog.String("url", consoleURL), slog.String("passwordFile", file))
	} else {
		log.LogAttrs(ctx, slog.LevelInfo, "console", slog.String("url", consoleURL))
	}
	bus.Publish(event.Event{Category: event.CategoryConfiguration, Type: "start", Action: "guard-started",
		Message: "bulwark guard listening on " + pub.Addr().String() + " for " + cfg.Upstream})

	if len(cfg.Watch.Sources) > 0 {
		watchCtx, stopWatch := context.WithCancel(ctx)
		done, err := startWatch(watchCtx, cfg.Watch, st, bus, log, stdout)
		if err != nil {
			stopWatch()
			return err
		}
		defer func() { stopWatch(); <-done }()
	}
	if app != nil {
		// The app outlives the gateway's drain: it is stopped only after
		// Serve has let in-flight requests finish.
		appCtx, stopApp := context.WithCancel(context.Background())
		ctx, stopServing := context.WithCancel(ctx)
		appDone := make(chan error, 1)
		go func() { appDone <- app.Run(appCtx); stopServing() }()
		go restartOnHUP(ctx, app, log)
		defer func() {
			stopApp()
			if err := <-appDone; err != nil {
				log.LogAttrs(context.Background(), slog.LevelError, "app", slog.String("error", err.Error()))
			}
		}()
	}
	err = g.Serve(ctx, pub, adm, token)
	bus.Publish(event.Event{Category: event.CategoryConfiguration, Type: "end", Action: "guard-stopped"})
	return err
}

// absPaths makes each path absolute, as bulwark audit --monitor names
// its projects.
func absPaths(paths []string) []string {
	var out []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out = append(out, p)
	}
	return out
}

// newGuardedApp builds the supervisor of guard --run. With no health check
// configured, the app is ready when its upstream port accepts connections.
// Hang detection probes the upstream's root unless run.hang says otherwise,
// and reads the gateway's traffic as its passive evidence.
func newGuardedApp(cfg fileConfig, bus *event.Bus, log *slog.Logger, output io.Writer, drain func(context.Context)) (*supervise.Supervisor, error) {
	run := cfg.Run
	u, err := url.Parse(cfg.Upstream)
	if err != nil || u.Host == "" {
		return nil, usagef("--run needs --upstream, the address the app listens on")
	}
	if run.Health.HTTP == "" && run.Health.TCP == "" {
		port := u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		run.Health.TCP = net.JoinHostPort(u.Hostname(), port)
	}
	if run.Hang.URL == "" {
		root := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
		if root.Path == "" {
			root.Path = "/"
		}
		run.Hang.URL = root.String()
	}
	if err := run.Validate(); err != nil {
		return nil, usageError{fmt.Errorf("invalid run settings: %w", flatten(err))}
	}
	app, err := supervise.New(run.WithDefaults(), supervise.Options{
		Bus: bus, Logger: log, Stdout: output, Stderr: output, BeforeStop: drain,
		Traffic: &supervise.Traffic{},
	})
	if err != nil {
		return nil, usageError{err}
	}
	return app, nil
}

// restartOnHUP restarts the app, draining first, on every SIGHUP until ctx
// is done.
func restartOnHUP(ctx context.Context, app *supervise.Supervisor, log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := app.Restart(ctx); err != nil && ctx.Err() == nil {
				log.LogAttrs(ctx, slog.LevelWarn, "restart on SIGHUP", slog.String("error", err.Error()))
			}
		}
	}
}

// eventOutput opens where events are written; nil means nowhere.
func eventOutput(output string, stdout, stderr io.Writer) (io.Writer, func(), error) {
	switch output {
	case "stdout":
		return stdout, func() {}, nil
	case "stderr":
		return stderr, func() {}, nil
	case "none":
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(output, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("events.output: %w", err)
	}
	return f, func() { f.Close() }, nil
}

// writeToken makes a random admin token and writes it to path.
func writeToken(path string) (string, error) {
	var b [24]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	return token, writeSecret(path, token)
}

// writeSecret writes a secret to path, mode 0600, replacing the file whole
// so no reader sees half of it. The temporary file is new (O_EXCL): one
// left behind, perhaps readable by others, is never reused.
func writeSecret(path, secret string) error {
	if err := writeFileAtomic(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), errors.Unwrap(err))
	}
	return nil
}

// runUpstream is the upstream of guard --run when none is given: the port
// in PORT, which the app inherits, or Express's customary 3000.
func runUpstream(port string) string {
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		port = "3000"
	}
	return "http://127.0.0.1:" + port
}
