package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Other processes on the machine (a build, a test run) slow the targets
// unevenly and make the comparison noise. The benchmark waits for a quiet
// machine before each turn and repeats a turn that was disturbed.
const (
	busyElsewhere = 0.05             // share of the machine others may use during a run
	quietWait     = 15 * time.Second // longest wait for a quiet machine before going ahead
	turnAttempts  = 3                // tries of a disturbed turn before keeping it as it is
)

// waitQuiet returns once processes other than the benchmark's have used
// less than busyElsewhere of the machine for half a second, or after
// quietWait, or when ctx is done.
func waitQuiet(ctx context.Context, pids []int, log io.Writer) error {
	deadline := time.Now().Add(quietWait)
	said := false
	for {
		s0 := sampleCPU(pids)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		u := sampleCPU(pids).since(s0)
		if u.Other < busyElsewhere {
			return nil
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(log, "the machine is still busy with other work (%.0f%%); going ahead\n", 100*u.Other)
			return nil
		}
		if !said {
			fmt.Fprintf(log, "waiting up to %s for other work on the machine to stop (%.0f%% busy)\n", quietWait, 100*u.Other)
			said = true
		}
	}
}
