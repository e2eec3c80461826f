package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// errNoPerf says how to get the profiler.
var errNoPerf = errors.New("-perf needs perf on PATH: install it with `apt-get install -y linux-perf`, or leave -perf out")

// profile records, with perf, where the bare proxy's and guard's CPU time
// goes while wrk loads them as in the max-load run. perf samples the
// processes from outside, so guard is profiled as built, with no pprof
// endpoint added to it. For each target it writes NAME.perf.data and two
// reports into dir: NAME.flat.txt (self time by function) and
// NAME.cumulative.txt (time including callees), and prints the top of the
// flat report to log.
func profile(ctx context.Context, cfg config, targets []target, dir string, log io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("making the -perf directory: %w", err)
	}
	for _, i := range []int{bare, guard} {
		t := targets[i]
		name := strings.ReplaceAll(t.proc.name, " ", "-")
		data := filepath.Join(dir, name+".perf.data")
		secs := strconv.Itoa(int(cfg.duration.Seconds()))
		rec := exec.CommandContext(ctx, "perf", "record", "--quiet", "-F", "999", "-g",
			"-p", strconv.Itoa(t.proc.cmd.Process.Pid), "-o", data, "--", "sleep", secs)
		var (
			wg     sync.WaitGroup
			recOut []byte
			recErr error
		)
		wg.Go(func() { recOut, recErr = rec.CombinedOutput() })
		_, wrkErr := runWrk(ctx, cfg.load(cfg.duration), t.URL)
		wg.Wait()
		if recErr != nil {
			return fmt.Errorf("perf record of %s: %w\n%s", t.Name, recErr, recOut)
		}
		if wrkErr != nil {
			return fmt.Errorf("loading %s for the profile: %w", t.Name, wrkErr)
		}
		for _, kind := range []string{"flat", "cumulative"} {
			children := "--no-children"
			if kind == "cumulative" {
				children = "--children"
			}
			out, err := exec.CommandContext(ctx, "perf", "report", "-i", data, "--stdio", children,
				"--sort", "symbol", "--percent-limit", "0.1", "-g", "none").Output()
			if err != nil {
				return fmt.Errorf("perf report of %s: %w", t.Name, err)
			}
			path := filepath.Join(dir, name+"."+kind+".txt")
			if err := os.WriteFile(path, out, 0o644); err != nil {
				return fmt.Errorf("writing %s: %w", path, err)
			}
			if kind == "flat" {
				fmt.Fprintf(log, "\n%s, self time (top of %s):\n%s", t.Name, path, topLines(string(out), 25))
			}
		}
	}
	return nil
}

// topLines returns the first n lines of a perf report that are not
// comments or blank.
func topLines(report string, n int) string {
	var b strings.Builder
	for line := range strings.Lines(report) {
		if n == 0 {
			break
		}
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		b.WriteString(line)
		n--
	}
	return b.String()
}
