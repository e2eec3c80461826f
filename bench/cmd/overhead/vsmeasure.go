package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// A check is one sanity check of a target before measuring: the status an
// attack or a benign request got, and the one it should get.
type check struct {
	Target    string
	Name      string
	Attack    bool
	Want, Got int
}

// sanityChecks sends each target the two benign requests and two attacks
// (SQL injection in a query parameter, XSS in the JSON login's body). A
// gateway that inspects requests should let the first through (200) and
// refuse the others (403); nginx alone lets everything through. A benign
// request refused is a false positive: the report says so and the
// benchmark still measures it.
func sanityChecks(ctx context.Context, targets []wafTarget) ([]check, error) {
	sqli := request{Name: "SQLi GET", Method: "GET", Path: searchPath + "?q=1%27%20OR%20%271%27%3D%271%27--&page=2"}
	xss := request{Name: "XSS JSON POST", Method: "POST", Path: loginPath,
		Body: `{"email":"<script>alert(document.cookie)</script>","password":"x"}`, Type: "application/json"}
	client := &http.Client{Timeout: 5 * time.Second}
	var checks []check
	for _, t := range targets {
		for _, r := range []request{getRequest, postRequest, sqli, xss} {
			attack := r.Name == sqli.Name || r.Name == xss.Name
			want := http.StatusOK
			if attack && t.WAF {
				want = http.StatusForbidden
			}
			got, err := send(ctx, client, t.Base, r)
			if err != nil {
				return nil, fmt.Errorf("checking %s with %s: %w", t.Name, r.Name, err)
			}
			checks = append(checks, check{Target: t.Name, Name: r.Name, Attack: attack, Want: want, Got: got})
		}
	}
	return checks, nil
}

// send sends r to base as wrk would, and returns the answer's status.
func send(ctx context.Context, client *http.Client, base string, r request) (int, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, base+r.Path, strings.NewReader(r.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", accept)
	if r.Type != "" {
		req.Header.Set("Content-Type", r.Type)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// A wafRun is one measured wrk run of one target and request.
type wafRun struct {
	Wrk  wrkResult
	CPU  cpuUse        // how busy the machine was during it
	Cost time.Duration // the gateway's own CPU time per request (nginx: master and workers)
}

// measureComparison runs cfg.rounds rounds; in each, every request is sent
// to every target in turn (guard, nginx + ModSecurity, nginx alone), so that
// a slow spell of the machine hits them alike. A run disturbed by other
// work is taken again, up to cfg.attempts times. The result is indexed
// [target][request][round].
func measureComparison(ctx context.Context, cfg nginxConfig, targets []wafTarget, up *child, scripts []string, log io.Writer) ([][][]wafRun, error) {
	res := make([][][]wafRun, len(targets))
	for i := range res {
		res[i] = make([][]wafRun, len(benchRequests))
	}
	ownPIDs := func(t wafTarget) []int { return processTree(t.proc.cmd.Process.Pid) }
	var all []int
	all = append(all, up.cmd.Process.Pid)
	seen := map[int]bool{}
	for _, t := range targets {
		for _, p := range ownPIDs(t) {
			if !seen[p] {
				seen[p] = true
				all = append(all, p)
			}
		}
	}
	for round := range cfg.rounds {
		for q, r := range benchRequests {
			for i, t := range targets {
				load := wrkLoad{Threads: cfg.threads, Connections: cfg.connections, Script: scripts[q], CPUs: cfg.loadCPUs}
				url := t.Base + r.Path
				var x wafRun
				for attempt := 1; ; attempt++ {
					if err := waitQuiet(ctx, all, log); err != nil {
						return nil, err
					}
					load.Duration = cfg.warmup
					if _, err := runWrk(ctx, load, url); err != nil {
						return nil, fmt.Errorf("warming up %s with %s: %w", t.Name, r.Name, err)
					}
					load.Duration = cfg.duration
					own := ownPIDs(t)
					s0, c0 := sampleCPU(all), treeCPU(own)
					w, err := runWrk(ctx, load, url)
					if err != nil {
						return nil, fmt.Errorf("measuring %s with %s: %w", t.Name, r.Name, err)
					}
					s1, c1 := sampleCPU(all), treeCPU(own)
					x = wafRun{Wrk: w, CPU: s1.since(s0), Cost: perRequest(c1-c0, w.Requests)}
					if x.CPU.Other <= busyElsewhere || attempt >= cfg.attempts {
						break
					}
					fmt.Fprintf(log, "round %d/%d  %-16s %-26s other processes used %.0f%% of the machine; measuring again\n",
						round+1, cfg.rounds, r.Name, t.Name, 100*x.CPU.Other)
				}
				res[i][q] = append(res[i][q], x)
				fmt.Fprintf(log, "round %d/%d  %-16s %-26s %7.0f req/s p50 %s p99 %s %4.0fµs/req errors %d %s\n",
					round+1, cfg.rounds, r.Name, t.Name, x.Wrk.RPS, ms(x.Wrk.P50), ms(x.Wrk.P99), usf(x.Cost), x.Wrk.Errors, x.CPU)
			}
		}
	}
	return res, nil
}

// treeCPU is the CPU time used so far by pids.
func treeCPU(pids []int) time.Duration {
	var d time.Duration
	for _, p := range pids {
		d += procCPU(p)
	}
	return d
}
