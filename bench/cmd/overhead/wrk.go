package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// errNoWrk says how to get the load generator.
var errNoWrk = errors.New("wrk is not on PATH: install it with `apt-get install -y wrk` (make bench-overhead does this for you)")

// A wrkResult is what one closed-loop wrk run measured.
type wrkResult struct {
	RPS      float64
	P50, P99 time.Duration
	Requests int
	Errors   int // socket errors of any kind plus non-2xx/3xx responses
}

// wrkLoad describes a closed-loop wrk run.
type wrkLoad struct {
	Threads, Connections int
	Duration             time.Duration
	Script               string // a Lua script (-s) that shapes the request; if empty, GET url
	CPUs                 string // if not empty, wrk runs under taskset -c CPUs
}

// args returns wrk's command line for url.
func (l wrkLoad) args(url string) []string {
	a := []string{
		"-t" + strconv.Itoa(l.Threads), "-c" + strconv.Itoa(l.Connections),
		"-d" + strconv.Itoa(int(l.Duration.Round(time.Second)/time.Second)) + "s",
	}
	if l.Script != "" {
		a = append(a, "-s", l.Script)
	}
	return append(a, "--latency", url)
}

// command returns the program to run and its arguments: wrk, or taskset
// running wrk on l.CPUs.
func (l wrkLoad) command(url string) (string, []string) {
	if l.CPUs == "" {
		return "wrk", l.args(url)
	}
	return "taskset", append([]string{"-c", l.CPUs, "wrk"}, l.args(url)...)
}

// runWrk runs wrk against url as fast as it can for l.Duration.
func runWrk(ctx context.Context, l wrkLoad, url string) (wrkResult, error) {
	ctx, cancel := context.WithTimeout(ctx, l.Duration+30*time.Second)
	defer cancel()
	name, args := l.command(url)
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return wrkResult{}, errNoWrk
		}
		return wrkResult{}, fmt.Errorf("running wrk %s: %w\n%s", strings.Join(l.args(url), " "), err, out)
	}
	r, err := parseWrk(string(out))
	if err != nil {
		return wrkResult{}, fmt.Errorf("reading wrk's report: %w\n%s", err, out)
	}
	return r, nil
}

// parseWrk reads the report of wrk --latency.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	var haveRPS, have50, have99 bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		var err error
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			r.RPS, err = strconv.ParseFloat(f[1], 64)
			haveRPS = true
		case len(f) == 2 && f[0] == "50%":
			r.P50, err = parseWrkDuration(f[1])
			have50 = true
		case len(f) == 2 && f[0] == "99%":
			r.P99, err = parseWrkDuration(f[1])
			have99 = true
		case len(f) >= 3 && f[1] == "requests" && f[2] == "in":
			r.Requests, err = strconv.Atoi(f[0])
		case len(f) > 2 && f[0] == "Socket" && f[1] == "errors:":
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for i := 3; i < len(f); i += 2 {
				n, perr := strconv.Atoi(strings.TrimSuffix(f[i], ","))
				if perr != nil {
					err = perr
					break
				}
				r.Errors += n
			}
		case len(f) == 5 && f[0] == "Non-2xx":
			var n int
			n, err = strconv.Atoi(f[4])
			r.Errors += n
		}
		if err != nil {
			return r, fmt.Errorf("line %q: %w", sc.Text(), err)
		}
	}
	if !haveRPS || !have50 || !have99 {
		return r, errors.New("no Requests/sec or 50%/99% latency lines; was --latency given?")
	}
	return r, nil
}

// parseWrkDuration reads wrk's durations: 412.00us, 1.23ms, 2.00s, 1.00m.
func parseWrkDuration(s string) (time.Duration, error) {
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("duration %q: %w", s, err)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("duration %q has no unit wrk uses (us, ms, s, m, h)", s)
}

// wrkVersion returns the first line of wrk -v, such as
// "wrk debian/4.1.0-3+b2 [epoll]".
func wrkVersion() string {
	out, _ := exec.Command("wrk", "-v").CombinedOutput() // exits 1 after printing
	line, _, _ := strings.Cut(string(out), "\n")
	line, _, _ = strings.Cut(line, " Copyright")
	return strings.TrimSpace(line)
}
