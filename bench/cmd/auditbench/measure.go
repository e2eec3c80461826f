package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A sample is one run of a tool.
type sample struct {
	Wall   time.Duration
	MaxRSS int64 // bytes, from wait4's rusage
	Stdout []byte
}

// timeBin is GNU time, which measures the peak RSS. The benchmark's own
// rusage cannot: Go starts children with vfork semantics, and Linux
// seeds a child's maxrss at exec with the high-water RSS of the memory
// it shared, here this program's, which holds the 150,000-entry fixture.
const timeBin = "/usr/bin/time"

// run executes name with args and env (added to a minimal environment
// whose proxies point at a closed loopback port, so that any attempt to
// reach the network fails instead of going out) under GNU time, and
// measures it. Exit codes in okCodes are success (both tools exit 1 on
// findings).
func run(ctx context.Context, env []string, okCodes []int, name string, args ...string) (sample, error) {
	rssFile, err := os.CreateTemp("", "auditbench-rss-")
	if err != nil {
		return sample{}, err
	}
	rssFile.Close()
	defer os.Remove(rssFile.Name())
	cmd := exec.CommandContext(ctx, timeBin, append([]string{"-f", "%M", "-o", rssFile.Name(), name}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(),
		"HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9", "NO_PROXY=", "GOMAXPROCS=2"}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && slices.Contains(okCodes, exit.ExitCode())) {
		return sample{}, fmt.Errorf("%s %v: %v\n%s", name, args, err, tail(stderr.String()))
	}
	s := sample{Wall: wall, Stdout: stdout.Bytes()}
	out, err := os.ReadFile(rssFile.Name())
	if err != nil {
		return s, err
	}
	// GNU time writes "Command exited with non-zero status 1" first.
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		return s, fmt.Errorf("%s wrote %q, not a peak RSS", timeBin, out)
	}
	s.MaxRSS = kb * 1024
	return s, nil
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// stats summarises the samples of one tool on one case.
type stats struct {
	Median, Min, Max time.Duration
	MedianRSS        int64
	MaxRSS           int64
}

func summarize(ss []sample) stats {
	walls := make([]time.Duration, len(ss))
	rss := make([]int64, len(ss))
	for i, s := range ss {
		walls[i], rss[i] = s.Wall, s.MaxRSS
	}
	slices.Sort(walls)
	slices.Sort(rss)
	return stats{Median: walls[len(walls)/2], Min: walls[0], Max: walls[len(walls)-1],
		MedianRSS: rss[len(rss)/2], MaxRSS: rss[len(rss)-1]}
}
