package console

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat: Linux reports
// them in USER_HZ, 100 on every architecture Go supports.
const userHZ = 100

// A cpuMeter measures a process's CPU share between two looks, as pm2
// monit does, from /proc. It is not safe for concurrent use.
type cpuMeter struct {
	pid   int
	ticks uint64
	at    time.Time
}

// measure returns the share of one core pid used since the previous call
// (1 = 100%) and its resident memory in bytes; -1 for what is not known
// (no process, not Linux, or the first look at a process).
func (m *cpuMeter) measure(pid int, now time.Time) (cpu float64, rss int64) {
	cpu, rss = -1, -1
	if pid <= 0 {
		m.pid = 0
		return
	}
	ticks, rssPages, ok := procStat(pid)
	if !ok {
		m.pid = 0
		return
	}
	rss = rssPages * int64(os.Getpagesize())
	if m.pid == pid && now.After(m.at) && ticks >= m.ticks {
		cpu = float64(ticks-m.ticks) / userHZ / now.Sub(m.at).Seconds()
	}
	m.pid, m.ticks, m.at = pid, ticks, now
	return
}

// procStat reads a process's CPU time (user and system, in USER_HZ ticks)
// and resident pages.
func procStat(pid int) (ticks uint64, rssPages int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// The command name, in parentheses, may hold spaces: the fields
	// after it are counted from its closing parenthesis.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state): utime is field 14, stime 15, rss 24.
	if len(f) < 22 {
		return 0, 0, false
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	rss, err3 := strconv.ParseInt(f[21], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, false
	}
	return ut + st, rss, true
}
