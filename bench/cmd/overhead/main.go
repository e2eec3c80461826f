// Command overhead measures what bulwark guard costs in front of an app:
// requests per second and latency of the app reached directly, through a
// bare [httputil.ReverseProxy], and through bulwark guard with its
// defaults, all in one run, and the ratios between them.
//
// Usage, from the repository root (installs wrk, builds both programs):
//
//	make bench-overhead
//
// or by hand, once bin/bulwark is built and wrk installed:
//
//	cd bench && go build -o bin/overhead ./cmd/overhead
//	bin/overhead -bulwark ../bin/bulwark -out results/overhead.md
//
// It starts the upstream, the bare proxy (both by running itself with a
// hidden subcommand) and bulwark guard as separate processes on free
// loopback ports, then, for -rounds rounds, takes each target in turn:
// a warm-up, a max-load run with wrk, and a fixed-rate run with its own
// open-loop generator. It prints a markdown table and writes it to -out.
// With -perf DIR it then profiles the bare proxy and guard under load.
// Every child is stopped at the end, on error, and on SIGINT or SIGTERM.
//
// The nginx subcommand compares guard with nginx + ModSecurity 3 + the
// OWASP CRS on the same cores instead (make bench-nginx):
//
//	bin/overhead nginx -bulwark ../bin/bulwark -out results/nginx.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && ctx.Err() != nil {
		err = errors.New("interrupted; every process it started is stopped")
	}
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "overhead:", err)
		os.Exit(1)
	}
}

// run dispatches to a hidden subcommand (what the children run) or runs
// the benchmark.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "serve-upstream":
			return serveUpstream(ctx, args[1:])
		case "serve-bare-proxy":
			return serveBareProxy(ctx, args[1:])
		case "nginx":
			return compareNginx(ctx, args[1:], stdout, stderr)
		}
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return benchmark(ctx, cfg, stdout, stderr)
}

// config is the benchmark's settings, from the command line.
type config struct {
	bulwark     string // absolute path of the bulwark binary
	warmup      time.Duration
	duration    time.Duration
	threads     int
	connections int
	rate        int
	rounds      int
	gomaxprocs  int
	out         string
	perf        string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("overhead", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.bulwark, "bulwark", "", "the built bulwark binary (required), e.g. ../bin/bulwark")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "warm-up at max load before each target's turn, whole seconds")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "length of each measured run, whole seconds")
	fs.IntVar(&c.threads, "threads", 2, "wrk threads")
	fs.IntVar(&c.connections, "connections", 64, "wrk connections, and the fixed-rate run's connection pool")
	fs.IntVar(&c.rate, "rate", 1000, "requests per second of the fixed-rate (moderate load) run; pick about a third of what the bare proxy reaches at max load")
	fs.IntVar(&c.rounds, "rounds", 3, "rounds over all targets; the report shows the median")
	fs.IntVar(&c.gomaxprocs, "gomaxprocs", 2, "GOMAXPROCS of the upstream, the bare proxy and guard")
	fs.StringVar(&c.out, "out", "", "also write the markdown report to this file")
	fs.StringVar(&c.perf, "perf", "", "after measuring, profile the bare proxy and guard with perf into this directory\n"+
		"(build this program with go build: go run leaves out the symbols perf needs)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: overhead -bulwark PATH [flags]\n\nMeasures bulwark guard's overhead against the app reached directly and a bare reverse proxy.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q; all settings are flags (see -h)", fs.Arg(0))
	}
	return c, c.check()
}

// check validates c and makes the bulwark path absolute, since guard runs
// in a directory of its own.
func (c *config) check() error {
	if c.bulwark == "" {
		return errors.New("-bulwark is required: build the gateway with `go build -o bin/bulwark ./cmd/bulwark` at the repository root and pass its path")
	}
	abs, err := filepath.Abs(c.bulwark)
	if err != nil {
		return fmt.Errorf("-bulwark: %w", err)
	}
	if fi, err := os.Stat(abs); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("-bulwark %s is not an executable file: build it with `go build -o bin/bulwark ./cmd/bulwark` at the repository root", c.bulwark)
	}
	c.bulwark = abs
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"-warmup", c.warmup}, {"-duration", c.duration}} {
		if d.v < time.Second || d.v%time.Second != 0 {
			return fmt.Errorf("%s %s: give whole seconds, at least 1s (wrk counts in seconds)", d.name, d.v)
		}
	}
	switch {
	case c.threads < 1 || c.connections < c.threads:
		return fmt.Errorf("-threads %d, -connections %d: need at least 1 thread and a connection per thread", c.threads, c.connections)
	case c.rate < 1:
		return fmt.Errorf("-rate %d: give requests per second, at least 1", c.rate)
	case c.rounds < 1:
		return fmt.Errorf("-rounds %d: give at least 1", c.rounds)
	case c.gomaxprocs < 1:
		return fmt.Errorf("-gomaxprocs %d: give at least 1", c.gomaxprocs)
	}
	return nil
}

// load is the closed-loop wrk load, run for d.
func (c config) load(d time.Duration) wrkLoad {
	return wrkLoad{Threads: c.threads, Connections: c.connections, Duration: d}
}

// fixedRate is the open-loop load of the moderate-load run.
func (c config) fixedRate() openLoop {
	return openLoop{Rate: c.rate, Duration: c.duration, Connections: c.connections}
}

// budget bounds the whole run: long enough for every turn to be taken
// turnAttempts times after waiting for a quiet machine, and for the
// profiles.
func (c config) budget() time.Duration {
	turn := c.warmup + 2*c.duration + quietWait
	return time.Duration(c.rounds*3*turnAttempts)*turn + 2*c.duration + time.Minute
}

// benchmark starts the targets, measures them, reports, and stops them.
func benchmark(ctx context.Context, cfg config, stdout, log io.Writer) (err error) {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errNoWrk
	}
	if cfg.perf != "" {
		if _, err := exec.LookPath("perf"); err != nil {
			return errNoPerf
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to start the upstream and bare proxy: %w", err)
	}
	tmp, err := os.MkdirTemp("", "bulwark-overhead-")
	if err != nil {
		return fmt.Errorf("making a working directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(ctx, cfg.budget())
	defer cancel()
	defer func() {
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("gave up after %s, twice the time the runs should take; is the machine overloaded? %w", cfg.budget(), err)
		}
	}()

	m := describeMachine(cfg.bulwark)
	fmt.Fprintf(log, "machine: %s\nexpect about %s\n", m, time.Duration(cfg.rounds*3)*(cfg.warmup+2*cfg.duration))
	targets, stop, err := startTargets(ctx, cfg, self, tmp)
	defer stop()
	if err != nil {
		return err
	}
	res, err := measure(ctx, cfg, targets, log)
	if err != nil {
		return err
	}
	rep := report(m, cfg, targets, res)
	fmt.Fprint(stdout, "\n"+rep)
	if cfg.out != "" {
		if err := os.MkdirAll(filepath.Dir(cfg.out), 0o755); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
		if err := os.WriteFile(cfg.out, []byte(rep), 0o644); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
		fmt.Fprintln(log, "wrote", cfg.out)
	}
	if cfg.perf != "" {
		return profile(ctx, cfg, targets, cfg.perf, log)
	}
	return nil
}
