package main

import (
	"fmt"
	"strings"
)

// nginxGoal is the goal: guard with full protection serves at
// least this many times the requests per second of nginx with ModSecurity
// and the CRS, on the same cores.
const nginxGoal = 10

// nginxReport renders the comparison as markdown.
func nginxReport(m machine, cfg nginxConfig, targets []wafTarget, checks []check, res [][][]wafRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s.\n\nPeers (Debian packages): %s.\n\n", m, nginxVersions())
	where := func(cpus string) string {
		if cpus == "" {
			return "any CPU"
		}
		return "CPU " + cpus
	}
	fmt.Fprintf(&b, "Both gateways proxy to the same upstream (a Go server on %s, with wrk) over keep-alive connections, "+
		"and run on %s: guard with GOMAXPROCS=%d, nginx with worker_processes %d. "+
		"guard runs with no configuration file: its full default protection (Helmet headers, request inspection in block mode, "+
		"rate limits with loopback exempt, black book, account watch). nginx runs ModSecurity's recommended configuration "+
		"with SecRuleEngine On and the OWASP CRS at paranoia level 1, adds the same security headers as guard, and logs no access. "+
		"\"nginx alone\" is the same nginx process without ModSecurity, for reference; "+
		"\"requests only\" (with -request-only) is ModSecurity and the CRS with SecResponseBodyAccess Off: "+
		"guard does not inspect response bodies.\n\n",
		where(cfg.loadCPUs), where(cfg.targetCPUs), cfg.workers, cfg.workers)
	load := wrkLoad{Threads: cfg.threads, Connections: cfg.connections, Duration: cfg.duration}
	fmt.Fprintf(&b, "Load: `wrk %s -s REQUEST.lua --latency URL`, after a %s warm-up with the same load. "+
		"Each cell is the median of %d rounds run interleaved (guard, nginx + ModSecurity, nginx alone, for each request in turn), "+
		"with the range across rounds in brackets. CPU/req is the gateway's own CPU time per request "+
		"(nginx: master and workers); it moves less than req/s when other work shares the machine.\n\n",
		strings.Join(load.args("")[:3], " "), cfg.warmup, cfg.rounds)
	fmt.Fprintf(&b, "- GET with query: `GET %s`\n", getRequest.Path)
	fmt.Fprintf(&b, "- JSON login POST: `POST %s` with `%s` (Content-Type: %s)\n", postRequest.Path, postRequest.Body, postRequest.Type)
	b.WriteString("- both with a browser's User-Agent and Accept headers\n\n")

	b.WriteString("Checks before measuring (status answered):\n\n")
	b.WriteString("| request |")
	for _, t := range targets {
		fmt.Fprintf(&b, " %s |", t.Name)
	}
	b.WriteString("\n|---|" + strings.Repeat("--:|", len(targets)) + "\n")
	for q := 0; q < len(checks)/len(targets); q++ {
		fmt.Fprintf(&b, "| %s |", checks[q].Name)
		for i := range targets {
			c := checks[i*len(checks)/len(targets)+q]
			switch {
			case c.Got == c.Want:
				fmt.Fprintf(&b, " %d |", c.Got)
			case c.Attack:
				fmt.Fprintf(&b, " **%d: not blocked** |", c.Got)
			default:
				fmt.Fprintf(&b, " **%d: false positive** |", c.Got)
			}
		}
		b.WriteString("\n")
	}

	cell := func(i, q int, f func(wafRun) float64, format func(float64) string) string {
		xs := make([]float64, len(res[i][q]))
		for r, x := range res[i][q] {
			xs[r] = f(x)
		}
		return spreadOf(xs).format(format)
	}
	for q, r := range benchRequests {
		fmt.Fprintf(&b, "\n%s:\n\n| target | req/s | p50 ms | p99 ms | CPU/req µs |\n|---|--:|--:|--:|--:|\n", r.Name)
		for i, t := range targets {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", t.Name,
				cell(i, q, func(x wafRun) float64 { return x.Wrk.RPS }, thousands),
				cell(i, q, func(x wafRun) float64 { return msf(x.Wrk.P50) }, twoDecimals),
				cell(i, q, func(x wafRun) float64 { return msf(x.Wrk.P99) }, twoDecimals),
				cell(i, q, func(x wafRun) float64 { return usf(x.Cost) }, thousands))
		}
	}

	ratio := func(q int, f func(a, b wafRun) float64, a, c int) spread {
		xs := make([]float64, cfg.rounds)
		for r := range xs {
			xs[r] = f(res[a][q][r], res[c][q][r])
		}
		return spreadOf(xs)
	}
	rps := func(a, c wafRun) float64 { return a.Wrk.RPS / c.Wrk.RPS }
	cost := func(a, c wafRun) float64 { return float64(c.Cost) / float64(a.Cost) }
	oneDecimal := func(x float64) string {
		if x < 0.1 {
			return fmt.Sprintf("%.3f", x)
		}
		return fmt.Sprintf("%.1f", x)
	}
	b.WriteString("\n| comparison (per round, then median) |")
	for _, r := range benchRequests {
		fmt.Fprintf(&b, " %s |", r.Name)
	}
	b.WriteString(" goal | met |\n|---|" + strings.Repeat("--:|", len(benchRequests)) + "---|---|\n")
	row := func(label string, f func(a, c wafRun) float64, a, c int, goal bool) {
		fmt.Fprintf(&b, "| %s |", label)
		met := true
		for q := range benchRequests {
			s := ratio(q, f, a, c)
			met = met && s.Median >= nginxGoal
			fmt.Fprintf(&b, " %s× |", s.format(oneDecimal))
		}
		if goal {
			fmt.Fprintf(&b, " ≥ %d× | %s |\n", nginxGoal, yesNo(met))
		} else {
			b.WriteString(" | |\n")
		}
	}
	row("guard ÷ nginx + ModSecurity + CRS, req/s", rps, tGuard, tModsec, true)
	row("nginx + ModSecurity CPU/req ÷ guard CPU/req", cost, tGuard, tModsec, false)
	row("guard ÷ nginx alone, req/s", rps, tGuard, tNginx, false)
	row("nginx + ModSecurity + CRS ÷ nginx alone, req/s", rps, tModsec, tNginx, false)
	if len(targets) > tReqOnly {
		row("guard ÷ ModSecurity + CRS on requests only, req/s", rps, tGuard, tReqOnly, false)
	}

	b.WriteString("\n")
	b.WriteString(comparisonProblems(targets, res))
	return b.String()
}

// comparisonProblems lists the runs that had errors or shared the machine
// with other work, or says that none did.
func comparisonProblems(targets []wafTarget, res [][][]wafRun) string {
	var lines []string
	for i, t := range targets {
		for q, r := range benchRequests {
			for n, x := range res[i][q] {
				at := fmt.Sprintf("%s, %s, round %d", t.Name, r.Name, n+1)
				if x.Wrk.Errors > 0 {
					lines = append(lines, fmt.Sprintf("%s: wrk saw %d errors or non-2xx/3xx answers in %d requests", at, x.Wrk.Errors, x.Wrk.Requests))
				}
				if x.CPU.Other > busyElsewhere {
					lines = append(lines, fmt.Sprintf("%s: other processes took %.0f%% of the machine", at, 100*x.CPU.Other))
				}
			}
		}
	}
	if len(lines) == 0 {
		return fmt.Sprintf("Every request was answered 2xx, and other processes never used more than %.0f%% of the machine during a run.\n", 100*busyElsewhere)
	}
	return "Caveats:\n\n- " + strings.Join(lines, "\n- ") + "\n"
}
