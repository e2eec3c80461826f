// Command eval measures attack detection side by side: Bulwark's engine
// (package inspect) and Coraza v3 with the OWASP CRS v4 at paranoia levels
// 1 and 2, over exactly the same requests from internal/corpus. It prints
// one markdown table: recall per CRS family and per PayloadsAllTheThings
// list, false positives per benign set, and per-request cost (median
// time, allocations and bytes) of each engine.
//
// Usage, from bench/:
//
//	go run ./cmd/eval                                   # everything, table on stdout
//	go run ./cmd/eval -out ../docs/benchmarks-detection.md
//	go run ./cmd/eval -engines bulwark -misses /tmp/misses.jsonl
//
// The last form is the engine author's loop: it takes seconds, and writes
// each attack Bulwark let through and each benign request it blocked as
// one JSON line, replayable with `bulwark inspect --format jsonl`.
//
// "Flagged" means the engine would refuse the request: for Coraza an
// interruption, or an inbound anomaly score at or above the threshold;
// for Bulwark a verdict of Block. Detection runs on -workers goroutines;
// the cost is then measured on one goroutine over a sample of the benign
// requests, engine after engine, so they do not disturb each other.
//
// Coraza is slow (milliseconds a request), so its two paranoia levels come
// from one pass (see plan), and its verdicts are kept in a cache (-cache)
// keyed by everything they depend on: the first run takes about 5½
// minutes on an idle 2-core machine, later runs under one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

// run parses the flags, evaluates and reports.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return evaluate(ctx, cfg, stdout, stderr)
}
