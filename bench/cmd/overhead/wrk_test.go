package main

import (
	"testing"
	"time"
)

const wrkReport = `Running 10s test @ http://127.0.0.1:40123/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.92ms    4.19ms  47.75ms   74.22%
    Req/Sec     3.06k   518.26     5.03k    79.00%
  Latency Distribution
     50%    9.90ms
     75%   12.01ms
     90%   15.30ms
     99%   26.33ms
  61470 requests in 10.00s, 74.62MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   6147.02
Transfer/sec:      7.46MB
`

func TestParseWrk(t *testing.T) {
	got, err := parseWrk(wrkReport)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{RPS: 6147.02, P50: 9900 * time.Microsecond, P99: 26330 * time.Microsecond, Requests: 61470, Errors: 7}
	if got != want {
		t.Errorf("parseWrk = %+v, want %+v", got, want)
	}
}

func TestParseWrkWithoutLatency(t *testing.T) {
	if _, err := parseWrk("Requests/sec:   6147.02\n"); err == nil {
		t.Error("parseWrk of a report without --latency succeeded, want an error")
	}
}

func TestParseWrkDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"412.00us", 412 * time.Microsecond},
		{"1.23ms", 1230 * time.Microsecond},
		{"2.00s", 2 * time.Second},
		{"1.50m", 90 * time.Second},
	} {
		got, err := parseWrkDuration(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseWrkDuration(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
	if _, err := parseWrkDuration("12"); err == nil {
		t.Error(`parseWrkDuration("12") succeeded, want an error for the missing unit`)
	}
}
