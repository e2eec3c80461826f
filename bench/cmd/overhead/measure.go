package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// A measurement is one target's figures in one round.
type measurement struct {
	Max      wrkResult  // closed loop, as fast as wrk can
	Fixed    rateResult // open loop at a moderate, fixed rate
	MaxCPU   cpuUse     // how busy the machine was during Max
	FixedCPU cpuUse     // and during Fixed
	// MaxCost and FixedCost are the target process's own CPU time per
	// request (the upstream's for direct, the proxy's alone for the
	// proxies). They change less than req/s when other work shares the
	// machine.
	MaxCost, FixedCost time.Duration
}

// measure runs cfg.rounds rounds over the targets, interleaved (a, b, c,
// a, b, c, ...), so that a slow spell of the machine hits every target
// alike. A turn whose max-load run was disturbed by other work on the
// machine is taken again, up to turnAttempts times. Progress goes to log.
// The result is indexed [target][round].
func measure(ctx context.Context, cfg config, targets []target, log io.Writer) ([][]measurement, error) {
	res := make([][]measurement, len(targets))
	var pids []int
	for _, t := range targets {
		pids = append(pids, t.proc.cmd.Process.Pid)
	}
	for round := range cfg.rounds {
		for i, t := range targets {
			var m measurement
			for attempt := 1; ; attempt++ {
				var err error
				if m, err = measureTurn(ctx, cfg, t, pids, log); err != nil {
					return nil, err
				}
				// Only the max-load run can tell: at a fixed rate the
				// benchmark leaves CPU idle, and others may use it.
				other := m.MaxCPU.Other
				if other <= busyElsewhere || attempt == turnAttempts {
					break
				}
				fmt.Fprintf(log, "round %d/%d  %-18s other processes used %.0f%% of the machine; measuring again\n",
					round+1, cfg.rounds, t.Name, 100*other)
			}
			res[i] = append(res[i], m)
			fmt.Fprintf(log, "round %d/%d  %-18s max %6.0f req/s p50 %s p99 %s %3.0fµs/req %s | %d req/s p50 %s p99 %s p99.9 %s %3.0fµs/req %s\n",
				round+1, cfg.rounds, t.Name, m.Max.RPS, ms(m.Max.P50), ms(m.Max.P99), usf(m.MaxCost), m.MaxCPU,
				cfg.rate, ms(m.Fixed.P50), ms(m.Fixed.P99), ms(m.Fixed.P999), usf(m.FixedCost), m.FixedCPU)
		}
	}
	return res, nil
}

// measureTurn takes one target's turn: once the machine is quiet, a
// warm-up, the max-load run and the fixed-rate run, noting how busy the
// machine was during each.
func measureTurn(ctx context.Context, cfg config, t target, pids []int, log io.Writer) (measurement, error) {
	var m measurement
	if err := waitQuiet(ctx, pids, log); err != nil {
		return m, err
	}
	if _, err := runWrk(ctx, cfg.load(cfg.warmup), t.URL); err != nil {
		return m, fmt.Errorf("warming up %s: %w", t.Name, err)
	}
	var err error
	pid := t.proc.cmd.Process.Pid
	s0, c0 := sampleCPU(pids), procCPU(pid)
	if m.Max, err = runWrk(ctx, cfg.load(cfg.duration), t.URL); err != nil {
		return m, fmt.Errorf("measuring %s at max load: %w", t.Name, err)
	}
	s1, c1 := sampleCPU(pids), procCPU(pid)
	if m.Fixed, err = cfg.fixedRate().run(ctx, t.URL); err != nil {
		return m, fmt.Errorf("measuring %s at %d req/s: %w", t.Name, cfg.rate, err)
	}
	s2, c2 := sampleCPU(pids), procCPU(pid)
	m.MaxCPU, m.FixedCPU = s1.since(s0), s2.since(s1)
	m.MaxCost = perRequest(c1-c0, m.Max.Requests)
	m.FixedCost = perRequest(c2-c1, m.Fixed.Sent)
	return m, nil
}

// perRequest divides cpu by n requests.
func perRequest(cpu time.Duration, n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return cpu / time.Duration(n)
}
