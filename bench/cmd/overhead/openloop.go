package main

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// An openLoop sends requests at a fixed rate whether or not earlier ones
// have been answered, as independent users do. wrk is closed-loop (each
// connection waits for its answer), so at a moderate rate it would measure
// how fast the target is when idle, not the latency users see; wrk2, which
// holds a rate, is not in Debian.
type openLoop struct {
	Rate        int           // requests per second
	Duration    time.Duration // how long to send
	Connections int           // keep-alive connections, and requests in flight, at most
}

// A rateResult is what an open-loop run measured.
type rateResult struct {
	Sent     int     // requests sent
	Achieved float64 // requests per second actually sent
	Errors   int     // transport errors and non-200 answers
	P50      time.Duration
	P99      time.Duration
	P999     time.Duration
}

// run sends GET url at l.Rate for l.Duration and reports percentiles of
// every answered request's latency.
//
// A dispatcher releases each request when it is due (catching up at once
// if its timer woke late) to a pool of l.Connections workers. Latency runs
// from release to the end of the body, so time spent waiting for a free
// worker counts, as it would for a user, but the dispatcher's own timer
// jitter (sleeps under 1 ms are coarse in Go) does not.
func (l openLoop) run(ctx context.Context, url string) (rateResult, error) {
	transport := &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: l.Connections,
		MaxConnsPerHost:     l.Connections,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 5 * time.Second}

	total := int(float64(l.Rate) * l.Duration.Seconds())
	jobs := make(chan time.Time, l.Rate) // release times; room for one second of backlog
	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, total)
		failures  int
		wg        sync.WaitGroup
	)
	for range l.Connections {
		wg.Go(func() {
			mine := make([]time.Duration, 0, total/l.Connections+16)
			failed := 0
			for released := range jobs {
				if get(ctx, client, url) {
					mine = append(mine, time.Since(released))
				} else {
					failed++
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			failures += failed
			mu.Unlock()
		})
	}

	interval := time.Second / time.Duration(l.Rate)
	start := time.Now()
	sent := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
dispatch:
	for sent < total {
		select {
		case <-ctx.Done():
			break dispatch
		case <-timer.C:
		}
		now := time.Now()
		for sent < total && !start.Add(time.Duration(sent)*interval).After(now) {
			jobs <- now
			sent++
		}
		timer.Reset(time.Until(start.Add(time.Duration(sent) * interval)))
	}
	elapsed := time.Since(start)
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rateResult{}, err
	}

	sortDurations(latencies)
	return rateResult{
		Sent:     sent,
		Achieved: float64(sent) / elapsed.Seconds(),
		Errors:   failures,
		P50:      percentile(latencies, 0.50),
		P99:      percentile(latencies, 0.99),
		P999:     percentile(latencies, 0.999),
	}, nil
}

// get fetches url and reads the whole answer; it reports whether the
// answer was a 200.
func get(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK
}
