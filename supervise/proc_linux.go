//go:build linux

package supervise

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// childPIDs lists this process's children, adopted orphans included, from
// /proc/self/task/*/children, or from a scan of /proc if the kernel lacks
// those files.
func childPIDs() []int {
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	var pids []int
	found := false
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		found = true
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	if found {
		return pids
	}
	return scanChildren(os.Getpid())
}

// scanChildren finds the processes whose parent is ppid by reading every
// /proc/PID/stat.
func scanChildren(ppid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := statFields(pid); len(f) > 1 {
			if p, _ := strconv.Atoi(f[1]); p == ppid {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// procStat reads a process's state letter, process group and session.
func procStat(pid int) (state byte, pgid, sid int, ok bool) {
	f := statFields(pid)
	if len(f) < 4 || len(f[0]) != 1 {
		return 0, 0, 0, false
	}
	pgid, err1 := strconv.Atoi(f[2])
	sid, err2 := strconv.Atoi(f[3])
	return f[0][0], pgid, sid, err1 == nil && err2 == nil
}

// statFields returns the fields of /proc/PID/stat after the command name:
// state, ppid, pgrp, session, …
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')') // the name may hold spaces and parens
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}
