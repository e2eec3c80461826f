// Package host describes the machine a benchmark ran on, for its report.
package host

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Facts are what every benchmark report states about the machine; what
// cannot be read is "unknown".
type Facts struct {
	CPUs   int
	CPU    string // model name from /proc/cpuinfo
	Kernel string
	Go     string // toolchain of the benchmark program
}

// Describe reads the machine's facts.
func Describe() Facts {
	f := Facts{CPUs: runtime.NumCPU(), CPU: cpuModel(), Kernel: "unknown", Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		f.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	return f
}

// String is the facts in one phrase: "2 CPUs (model), Linux x, go1.26".
func (f Facts) String() string {
	return fmt.Sprintf("%d CPUs (%s), %s, %s", f.CPUs, f.CPU, f.Kernel, f.Go)
}

// cpuModel returns the first "model name" in /proc/cpuinfo.
func cpuModel() string {
	file, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
