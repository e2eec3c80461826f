package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// report renders the results of measure as markdown: how they were taken,
// a table for each load, the ratios the goals are about, and anything that
// makes the figures less trustworthy.
func report(m machine, cfg config, targets []target, res [][]measurement) string {
	var b strings.Builder
	maxLoad := cfg.load(cfg.duration)
	fmt.Fprintf(&b, "Machine: %s.\n\n", m)
	fmt.Fprintf(&b, "Upstream, bare proxy and guard run as separate processes with GOMAXPROCS=%d, "+
		"on the same %d CPUs as the load generators. ", cfg.gomaxprocs, m.CPUs)
	fmt.Fprintf(&b, "Each cell is the median of %d rounds run interleaved (direct, bare proxy, guard, direct, ...), "+
		"with the range across rounds in brackets. ", cfg.rounds)
	b.WriteString("CPU/req is the target process's own CPU time per request: the upstream's for direct, " +
		"the proxy's alone for the proxies. It moves less than req/s when other work shares the machine, " +
		"and on a machine with CPUs to spare throughput follows it.\n\n")

	cell := func(i int, f func(measurement) float64, format func(float64) string) string {
		xs := make([]float64, len(res[i]))
		for r, x := range res[i] {
			xs[r] = f(x)
		}
		return spreadOf(xs).format(format)
	}
	fmt.Fprintf(&b, "Max load: `wrk %s URL`, after a %s warm-up with the same load.\n\n",
		strings.Join(maxLoad.args("")[:4], " "), cfg.warmup)
	b.WriteString("| target | req/s | p50 ms | p99 ms | CPU/req µs |\n|---|--:|--:|--:|--:|\n")
	for i, t := range targets {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", t.Name,
			cell(i, func(x measurement) float64 { return x.Max.RPS }, thousands),
			cell(i, func(x measurement) float64 { return msf(x.Max.P50) }, twoDecimals),
			cell(i, func(x measurement) float64 { return msf(x.Max.P99) }, twoDecimals),
			cell(i, func(x measurement) float64 { return usf(x.MaxCost) }, thousands))
	}
	fmt.Fprintf(&b, "\nFixed rate: open loop, %d req/s for %s over at most %d keep-alive connections; "+
		"latency runs from the moment the generator released a request to the end of its answer.\n\n",
		cfg.rate, cfg.duration, cfg.connections)
	b.WriteString("| target | p50 ms | p99 ms | p99.9 ms | CPU/req µs |\n|---|--:|--:|--:|--:|\n")
	for i, t := range targets {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", t.Name,
			cell(i, func(x measurement) float64 { return msf(x.Fixed.P50) }, twoDecimals),
			cell(i, func(x measurement) float64 { return msf(x.Fixed.P99) }, twoDecimals),
			cell(i, func(x measurement) float64 { return msf(x.Fixed.P999) }, twoDecimals),
			cell(i, func(x measurement) float64 { return usf(x.FixedCost) }, thousands))
	}

	pair := func(f func(g, p, d measurement) float64) spread {
		xs := make([]float64, cfg.rounds)
		for r := range xs {
			xs[r] = f(res[guard][r], res[bare][r], res[direct][r])
		}
		return spreadOf(xs)
	}
	bareDirect := pair(func(_, p, d measurement) float64 { return p.Max.RPS / d.Max.RPS })
	guardBare := pair(func(g, p, _ measurement) float64 { return g.Max.RPS / p.Max.RPS })
	addedMax := pair(func(g, p, _ measurement) float64 { return msf(g.Max.P99 - p.Max.P99) })
	addedP50 := pair(func(g, p, _ measurement) float64 { return msf(g.Fixed.P50 - p.Fixed.P50) })
	addedP99 := pair(func(g, p, _ measurement) float64 { return msf(g.Fixed.P99 - p.Fixed.P99) })
	costRatio := pair(func(g, p, _ measurement) float64 { return float64(p.MaxCost) / float64(g.MaxCost) })
	addedCost := pair(func(g, p, _ measurement) float64 { return usf(g.MaxCost - p.MaxCost) })

	b.WriteString("\n| comparison (per round, then median) | median [range] | goal | met |\n|---|--:|---|---|\n")
	fmt.Fprintf(&b, "| bare proxy / direct, req/s | %s | | |\n", bareDirect.format(twoDecimals))
	fmt.Fprintf(&b, "| guard / bare proxy, req/s | %s | ≥ 0.90 | %s |\n", guardBare.format(twoDecimals), yesNo(guardBare.Median >= 0.90))
	fmt.Fprintf(&b, "| bare proxy CPU/req ÷ guard CPU/req at max load | %s | (≥ 0.90) | %s |\n", costRatio.format(twoDecimals), yesNo(costRatio.Median >= 0.90))
	fmt.Fprintf(&b, "| guard − bare proxy, CPU/req at max load | %s µs | | |\n", addedCost.format(signedInt))
	fmt.Fprintf(&b, "| guard − bare proxy, p99 at max load | %s ms | | |\n", addedMax.format(signed))
	fmt.Fprintf(&b, "| guard − bare proxy, p50 at %d req/s | %s ms | | |\n", cfg.rate, addedP50.format(signed))
	fmt.Fprintf(&b, "| guard − bare proxy, p99 at %d req/s | %s ms | < 1 ms | %s |\n", cfg.rate, addedP99.format(signed), yesNo(addedP99.Median < 1))

	b.WriteString("\n")
	b.WriteString(problems(cfg, targets, res))
	return b.String()
}

// problems lists the runs that had errors, could not hold the rate, or
// shared the machine with other work, or says that none did.
func problems(cfg config, targets []target, res [][]measurement) string {
	var lines []string
	for i, t := range targets {
		for r, x := range res[i] {
			at := fmt.Sprintf("%s, round %d", t.Name, r+1)
			if x.Max.Errors > 0 {
				lines = append(lines, fmt.Sprintf("%s: wrk saw %d errors or non-2xx/3xx answers in %d requests", at, x.Max.Errors, x.Max.Requests))
			}
			if x.Fixed.Errors > 0 {
				lines = append(lines, fmt.Sprintf("%s: %d of %d fixed-rate requests failed", at, x.Fixed.Errors, x.Fixed.Sent))
			}
			if x.Fixed.Achieved < 0.98*float64(cfg.rate) {
				lines = append(lines, fmt.Sprintf("%s: the fixed-rate run sent only %.0f req/s of %d", at, x.Fixed.Achieved, cfg.rate))
			}
			if x.MaxCPU.Other > busyElsewhere {
				lines = append(lines, fmt.Sprintf("%s, max load: other processes took %.0f%% of the machine", at, 100*x.MaxCPU.Other))
			}
			if x.FixedCPU.Other > busyElsewhere {
				lines = append(lines, fmt.Sprintf("%s, fixed rate: other processes used %.0f%% of the machine, "+
					"some of it CPU the run left idle", at, 100*x.FixedCPU.Other))
			}
		}
	}
	if len(lines) == 0 {
		return fmt.Sprintf("Every request was answered 200, every fixed-rate run held its rate, "+
			"and other processes never used more than %.0f%% of the machine during a run.\n", 100*busyElsewhere)
	}
	return "Caveats:\n\n- " + strings.Join(lines, "\n- ") + "\n"
}

// format writes s as "median [min–max]" with f.
func (s spread) format(f func(float64) string) string {
	return fmt.Sprintf("%s [%s – %s]", f(s.Median), f(s.Min), f(s.Max))
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// msf is d in milliseconds; usf in microseconds.
func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func usf(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// ms formats d in milliseconds for the progress lines.
func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", msf(d)) }

func twoDecimals(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
func signed(x float64) string      { return fmt.Sprintf("%+.2f", x) }
func signedInt(x float64) string   { return fmt.Sprintf("%+.0f", x) }

// thousands formats x rounded to a whole number, with commas: 31,234.
func thousands(x float64) string {
	neg := x < 0
	s := strconv.FormatInt(int64(abs(x)+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
