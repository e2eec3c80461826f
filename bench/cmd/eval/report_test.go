package main

import (
	"github.com/bulwark-sec/bulwark/bench/internal/host"

	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fakeResults runs the fake engines over sets with the real detect loop.
func fakeResults(t *testing.T, sets []set) []result {
	t.Helper()
	var results []result
	for _, name := range []string{"alpha", "beta"} {
		r := result{name: name, engine: fakeEngine{name}}
		for _, s := range sets {
			vs, err := detect(context.Background(), r.engine, s.cases, 2, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.verdicts = append(r.verdicts, vs)
		}
		r.cost = cost{N: 2, Rounds: 3, Median: 12300 * time.Nanosecond, P99: 2 * time.Millisecond, Allocs: 41, Bytes: 2048}
		results = append(results, r)
	}
	return results
}

func TestReportGolden(t *testing.T) {
	sets := fakeSets()
	cfg := config{args: []string{"-limit", "3"}, workers: 2}
	m := machine{Facts: host.Facts{CPUs: 2, CPU: "Test CPU", Kernel: "Linux 6.0", Go: "go1.26"}, Coraza: "v3.8.1", CRS: "v4.25.0"}
	levels := map[int]int{942100: 1, 941100: 3}
	st := runStats{took: 95 * time.Second, end: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), cached: 1, cacheable: 2}
	got := report(cfg, m, sets, fakeResults(t, sets), levels, st)
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("report:\n%s\nwant (%s):\n%s\nrun go test -update if the change is intended", got, golden, want)
	}
}
