package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// nginxConfig is the settings of the nginx subcommand.
type nginxConfig struct {
	bulwark     string
	warmup      time.Duration
	duration    time.Duration
	threads     int
	connections int
	rounds      int
	attempts    int
	targetCPUs  string // where guard and nginx run; "" for anywhere
	loadCPUs    string // where wrk and the upstream run; "" for anywhere
	workers     int    // nginx worker processes and guard's GOMAXPROCS
	out         string
	requestOnly bool // also measure ModSecurity with response bodies not inspected
}

func parseNginxFlags(args []string, stderr io.Writer) (nginxConfig, error) {
	var c nginxConfig
	fs := flag.NewFlagSet("overhead nginx", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target, load := defaultCPUs()
	fs.StringVar(&c.bulwark, "bulwark", "", "the built bulwark binary (required), e.g. ../bin/bulwark")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "warm-up with the same load before each measured run, whole seconds")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "length of each measured run, whole seconds")
	fs.IntVar(&c.threads, "threads", 1, "wrk threads")
	fs.IntVar(&c.connections, "connections", 32, "wrk connections")
	fs.IntVar(&c.rounds, "rounds", 3, "rounds over all targets and requests; the report shows the median")
	fs.IntVar(&c.attempts, "attempts", 2, "tries of a run that other processes disturbed (took more than 5% of the machine)")
	fs.StringVar(&c.targetCPUs, "target-cpus", target, "CPUs (taskset -c list) of guard and nginx; empty: no pinning")
	fs.StringVar(&c.loadCPUs, "load-cpus", load, "CPUs of wrk and the upstream; empty: no pinning")
	fs.IntVar(&c.workers, "workers", 0, "nginx worker_processes and guard's GOMAXPROCS; if zero, the number of -target-cpus (or of CPUs)")
	fs.StringVar(&c.out, "out", "", "also write the markdown report to this file")
	fs.BoolVar(&c.requestOnly, "request-only", false, "also measure nginx + ModSecurity + CRS inspecting requests only (SecResponseBodyAccess Off), as guard does")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: overhead nginx -bulwark PATH [flags]\n\n"+
			"Compares bulwark guard with its full default protection against nginx with ModSecurity 3 and the OWASP CRS,\n"+
			"both proxying to the same upstream, on a GET with query parameters and a JSON login POST.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q; all settings are flags (see -h)", fs.Arg(0))
	}
	base := config{bulwark: c.bulwark, warmup: c.warmup, duration: c.duration, threads: c.threads,
		connections: c.connections, rate: 1, rounds: c.rounds, gomaxprocs: 1}
	if err := base.check(); err != nil {
		return c, err
	}
	c.bulwark = base.bulwark
	if c.attempts < 1 {
		return c, fmt.Errorf("-attempts %d: give at least 1", c.attempts)
	}
	if c.workers == 0 {
		c.workers = runtime.NumCPU()
		if c.targetCPUs != "" {
			n, err := countCPUs(c.targetCPUs)
			if err != nil {
				return c, fmt.Errorf("-target-cpus: %w", err)
			}
			c.workers = n
		}
	}
	if c.workers < 1 {
		return c, fmt.Errorf("-workers %d: give at least 1", c.workers)
	}
	return c, nil
}

// defaultCPUs gives guard and nginx the first CPU and the load generator
// and upstream the rest, when there are at least two.
func defaultCPUs() (target, load string) {
	n := runtime.NumCPU()
	if n < 2 {
		return "", ""
	}
	if n == 2 {
		return "0", "1"
	}
	return "0", "1-" + strconv.Itoa(n-1)
}

// countCPUs counts the CPUs of a taskset -c list such as "0", "0-1" or "0,2-3".
func countCPUs(list string) (int, error) {
	n := 0
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return 0, fmt.Errorf("%q is not a CPU list such as 0 or 0-1", list)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return 0, fmt.Errorf("%q is not a CPU list such as 0 or 0-1", list)
			}
		}
		n += b - a + 1
	}
	return n, nil
}

// A request is one of the requests the comparison sends.
type request struct {
	Name   string
	Method string
	Path   string // with the query
	Body   string
	Type   string // Content-Type of the body
}

// The requests of the comparison: what a browser sends to a search page,
// and what a single-page app sends to log in.
var (
	getRequest = request{Name: "GET with query", Method: "GET",
		Path: searchPath + "?q=blue+running+shoes&category=sport&size=42&sort=price_asc&page=2"}
	postRequest = request{Name: "JSON login POST", Method: "POST", Path: loginPath,
		Body: `{"email":"alice@example.com","password":"correct horse battery staple","remember":true}`,
		Type: "application/json"}
	benchRequests = []request{getRequest, postRequest}
)

// Headers every request carries, as a browser's would, so that neither
// target sees a bare wrk request.
const (
	userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	accept    = "text/html,application/json;q=0.9,*/*;q=0.8"
)

// luaScript is the wrk script that sends r.
func (r request) luaScript() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wrk.method = %q\n", r.Method)
	fmt.Fprintf(&b, "wrk.path = %q\n", r.Path)
	fmt.Fprintf(&b, "wrk.headers[\"User-Agent\"] = %q\n", userAgent)
	fmt.Fprintf(&b, "wrk.headers[\"Accept\"] = %q\n", accept)
	if r.Body != "" {
		fmt.Fprintf(&b, "wrk.body = %q\n", r.Body)
		fmt.Fprintf(&b, "wrk.headers[\"Content-Type\"] = %q\n", r.Type)
	}
	return b.String()
}

// A wafTarget is a gateway in the comparison.
type wafTarget struct {
	Name string
	Base string // http://host:port
	proc *child
	WAF  bool // whether it inspects requests (the reference, nginx alone, does not)
}

// The targets' places in the slice startComparison returns.
const (
	tGuard = iota
	tModsec
	tNginx
	tReqOnly // only with -request-only
)

// compareNginx is the nginx subcommand.
func compareNginx(ctx context.Context, args []string, stdout, log io.Writer) error {
	cfg, err := parseNginxFlags(args, log)
	if err != nil {
		return err
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return errNoWrk
	}
	if cfg.targetCPUs != "" || cfg.loadCPUs != "" {
		if _, err := exec.LookPath("taskset"); err != nil {
			return errors.New("taskset is not on PATH (apt-get install util-linux), or pass -target-cpus '' -load-cpus ''")
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to start the upstream: %w", err)
	}
	tmp, err := os.MkdirTemp("", "bulwark-vs-nginx-")
	if err != nil {
		return fmt.Errorf("making a working directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	turns := cfg.rounds * len(benchRequests) * 3
	if cfg.requestOnly {
		turns += cfg.rounds * len(benchRequests)
	}
	budget := time.Duration(turns*cfg.attempts)*(cfg.warmup+cfg.duration+quietWait) + time.Minute
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()

	m := describeMachine(cfg.bulwark)
	fmt.Fprintf(log, "machine: %s\n%s\nexpect about %s\n", m, nginxVersions(), time.Duration(turns)*(cfg.warmup+cfg.duration))
	targets, up, stop, err := startComparison(ctx, cfg, self, tmp, log)
	defer stop()
	if err != nil {
		return err
	}
	checks, err := sanityChecks(ctx, targets)
	if err != nil {
		return err
	}
	for _, c := range checks {
		fmt.Fprintf(log, "check %-28s %-22s %d (want %d)\n", c.Target, c.Name, c.Got, c.Want)
	}
	scripts := make([]string, len(benchRequests))
	for i, r := range benchRequests {
		scripts[i] = filepath.Join(tmp, fmt.Sprintf("request-%d.lua", i))
		if err := os.WriteFile(scripts[i], []byte(r.luaScript()), 0o644); err != nil {
			return fmt.Errorf("writing wrk's script: %w", err)
		}
	}
	res, err := measureComparison(ctx, cfg, targets, up, scripts, log)
	if err != nil {
		return err
	}
	rep := nginxReport(m, cfg, targets, checks, res)
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
	return nil
}

// pinned returns the command that runs path with args on cpus.
func pinned(cpus, path string, args []string) (string, []string) {
	if cpus == "" {
		return path, args
	}
	return "taskset", append([]string{"-c", cpus, path}, args...)
}

// startComparison starts the upstream (on the load generator's CPUs), then
// guard and nginx (on the target CPUs), and waits for each to answer.
func startComparison(ctx context.Context, cfg nginxConfig, self, tmp string, log io.Writer) ([]wafTarget, *child, func(), error) {
	var started []*child
	stop := func() {
		for i := len(started) - 1; i >= 0; i-- {
			started[i].stop(5 * time.Second)
		}
	}
	launch := func(name, dir, cpus string, env []string, path string, args []string, addr string) (*child, error) {
		p, a := pinned(cpus, path, args)
		c, err := startChild(name, addr, dir, tmp, env, p, a...)
		if err != nil {
			return nil, err
		}
		started = append(started, c)
		return c, c.waitReady(ctx, readyTimeout)
	}
	addrs := make([]string, 6)
	for i := range addrs {
		a, err := freeAddr()
		if err != nil {
			return nil, nil, stop, err
		}
		addrs[i] = a
	}
	upAddr, guardAddr, adminAddr, wafAddr, plainAddr, reqOnlyAddr := addrs[0], addrs[1], addrs[2], addrs[3], addrs[4], addrs[5]
	if !cfg.requestOnly {
		reqOnlyAddr = ""
	}

	// The upstream gets all the load generator's CPUs: it must never be
	// what limits either gateway.
	upProcs := runtime.NumCPU()
	if cfg.loadCPUs != "" {
		upProcs, _ = countCPUs(cfg.loadCPUs)
	}
	up, err := launch("upstream", tmp, cfg.loadCPUs, childEnv(upProcs), self, []string{"serve-upstream", "-addr", upAddr}, upAddr)
	if err != nil {
		return nil, nil, stop, err
	}

	guardDir := filepath.Join(tmp, "guard")
	if err := os.Mkdir(guardDir, 0o700); err != nil {
		return nil, nil, stop, fmt.Errorf("making guard's working directory: %w", err)
	}
	gw, err := launch("guard", guardDir, cfg.targetCPUs, childEnv(cfg.workers), cfg.bulwark,
		[]string{"guard", "--upstream", "http://" + upAddr, "--listen", guardAddr, "--admin", adminAddr}, guardAddr)
	if err != nil {
		return nil, nil, stop, err
	}

	setup, err := writeNginx(filepath.Join(tmp, "nginx"), cfg.workers, upAddr, wafAddr, plainAddr, reqOnlyAddr)
	if err != nil {
		return nil, nil, stop, err
	}
	fmt.Fprintf(log, "nginx: %d worker(s), ModSecurity with %d CRS rule files, config in %s\n", setup.Workers, setup.Rules, setup.Conf)
	ngx, err := launch("nginx", setup.Dir, cfg.targetCPUs, os.Environ(), "nginx", setup.nginxArgs(), wafAddr)
	if err != nil {
		return nil, nil, stop, err
	}
	targets := []wafTarget{
		tGuard:  {Name: "bulwark guard", Base: "http://" + guardAddr, proc: gw, WAF: true},
		tModsec: {Name: "nginx + ModSecurity + CRS", Base: "http://" + wafAddr, proc: ngx, WAF: true},
		tNginx:  {Name: "nginx alone (reference)", Base: "http://" + plainAddr, proc: ngx},
	}
	if cfg.requestOnly {
		targets = append(targets, wafTarget{Name: "nginx + ModSecurity + CRS, requests only", Base: "http://" + reqOnlyAddr, proc: ngx, WAF: true})
	}
	return targets, up, stop, nil
}

// nginxVersions names nginx, libmodsecurity and the CRS as Debian installed them.
func nginxVersions() string {
	var parts []string
	for _, pkg := range []string{"nginx", "libnginx-mod-http-modsecurity", "libmodsecurity3", "modsecurity-crs"} {
		out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkg).Output()
		v := strings.TrimSpace(string(out))
		if err != nil || v == "" {
			v = "unknown"
		}
		parts = append(parts, pkg+" "+v)
	}
	return strings.Join(parts, ", ")
}
