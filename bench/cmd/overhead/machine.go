package main

import (
	"bufio"
	"debug/buildinfo"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// A machine describes where the figures were measured.
type machine struct {
	CPUs    int
	CPU     string // model name from /proc/cpuinfo
	Kernel  string
	Go      string // toolchain of this program, the upstream and the bare proxy
	Bulwark string // the bulwark binary's version and toolchain
	Wrk     string
}

// describeMachine gathers the machine's facts; what it cannot read it
// reports as "unknown".
func describeMachine(bulwarkPath string) machine {
	m := machine{
		CPUs:    runtime.NumCPU(),
		CPU:     cpuModel(),
		Kernel:  "unknown",
		Go:      runtime.Version(),
		Bulwark: "unknown",
		Wrk:     wrkVersion(),
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if bi, err := buildinfo.ReadFile(bulwarkPath); err == nil {
		m.Bulwark = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				m.Bulwark += " " + s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				if s.Value == "true" {
					m.Bulwark += "+dirty"
				}
			}
		}
		m.Bulwark += ", " + bi.GoVersion
	}
	return m
}

// cpuModel returns the first "model name" in /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// String is the machine in one line.
func (m machine) String() string {
	return fmt.Sprintf("%d CPUs (%s), %s, %s; bulwark %s; %s", m.CPUs, m.CPU, m.Kernel, m.Go, m.Bulwark, m.Wrk)
}
