package console

import (
	"os"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestCPUMeter measures this test's own process: its memory at once, its
// CPU from the second look on, higher after a busy spell than after an
// idle one.
func TestCPUMeter(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		testutil.RealPartMissing(t, "/proc (Linux), where the app's CPU and memory are read")
	}
	var m cpuMeter
	pid := os.Getpid()
	cpu, rss := m.measure(pid, time.Now())
	if cpu != -1 || rss <= 0 {
		t.Fatalf("first look: cpu %v, rss %d; want -1 (no interval yet) and the resident size", cpu, rss)
	}
	time.Sleep(300 * time.Millisecond)
	idle, _ := m.measure(pid, time.Now())
	start := time.Now()
	for n := 0; time.Since(start) < 300*time.Millisecond; n++ {
		_ = n * n
	}
	busy, _ := m.measure(pid, time.Now())
	if idle < 0 || busy <= idle {
		t.Errorf("CPU idle %v, busy %v; want busy above idle", idle, busy)
	}
}

func TestCPUMeterNoProcess(t *testing.T) {
	var m cpuMeter
	for _, pid := range []int{0, -1, 1 << 30} {
		if cpu, rss := m.measure(pid, time.Now()); cpu != -1 || rss != -1 {
			t.Errorf("measure(%d) = %v, %d; want -1, -1", pid, cpu, rss)
		}
	}
}
