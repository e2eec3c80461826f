package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// A cpuSample is the machine's CPU time and that of this program and its
// children, in clock ticks, at one moment. Two samples tell how busy the
// machine was between them and how much of that was not the benchmark:
// on a shared machine, another process's work shows up as noise.
type cpuSample struct {
	at         time.Time
	busy, idle float64 // whole machine: user+nice+system, idle+iowait
	ours       float64 // this process, its reaped children (wrk), and pids
}

// sampleCPU reads /proc. Processes it cannot read count as zero.
func sampleCPU(pids []int) cpuSample {
	s := cpuSample{at: time.Now()}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line) // cpu user nice system idle iowait irq softirq ...
		if len(f) > 5 && f[0] == "cpu" {
			s.busy = atof(f[1]) + atof(f[2]) + atof(f[3])
			s.idle = atof(f[4]) + atof(f[5])
		}
	}
	s.ours = procTicks("self")
	for _, pid := range pids {
		s.ours += procTicks(strconv.Itoa(pid))
	}
	return s
}

// clockTick is the unit of CPU times in /proc (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// procCPU returns the CPU time a process has used so far, its reaped
// children's included.
func procCPU(pid int) time.Duration {
	return time.Duration(procTicks(strconv.Itoa(pid)) * float64(clockTick))
}

// procTicks returns the CPU time of a process and its reaped children, in
// clock ticks.
func procTicks(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	_, rest, ok := strings.Cut(string(b), ") ") // the command name may hold spaces
	f := strings.Fields(rest)
	if !ok || len(f) < 15 {
		return 0
	}
	return atof(f[11]) + atof(f[12]) + atof(f[13]) + atof(f[14]) // utime stime cutime cstime
}

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// A cpuUse is how busy the machine was over an interval, as fractions of
// all its CPUs.
type cpuUse struct {
	Busy  float64 // everything
	Other float64 // what was not the benchmark
}

// since returns the CPU use between s0 and s.
func (s cpuSample) since(s0 cpuSample) cpuUse {
	total := (s.busy - s0.busy) + (s.idle - s0.idle)
	if total <= 0 {
		return cpuUse{}
	}
	busy := (s.busy - s0.busy) / total
	other := (s.busy - s0.busy - (s.ours - s0.ours)) / total
	return cpuUse{Busy: busy, Other: max(0, other)}
}

func (u cpuUse) String() string {
	return fmt.Sprintf("cpu %3.0f%% (other %2.0f%%)", 100*u.Busy, 100*u.Other)
}
