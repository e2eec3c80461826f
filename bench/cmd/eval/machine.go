package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// A machine describes where and with what the figures were measured.
type machine struct {
	CPUs   int
	CPU    string // model name from /proc/cpuinfo
	Kernel string
	Go     string
	Coraza string // module versions, from this program's build info
	CRS    string
}

// describeMachine gathers the machine's facts; what it cannot read it
// reports as "unknown".
func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), CPU: cpuModel(), Kernel: "unknown", Go: runtime.Version(),
		Coraza: "unknown", CRS: "unknown"}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/corazawaf/coraza/v3":
				m.Coraza = d.Version
			case "github.com/corazawaf/coraza-coreruleset/v4":
				m.CRS = d.Version // its versions follow the CRS release it embeds
			}
		}
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
	return fmt.Sprintf("%d CPUs (%s), %s, %s; Coraza %s with CRS %s (coraza-coreruleset)",
		m.CPUs, m.CPU, m.Kernel, m.Go, m.Coraza, m.CRS)
}
