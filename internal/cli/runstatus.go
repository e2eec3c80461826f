package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/guard"
	"github.com/bulwark-sec/bulwark/supervise"
)

// A runStatus is what a running bulwark run writes to run-PID.json in the
// state directory at every change of its app (start, ready, exit, health),
// for bulwark status --run to read; the file is removed when it stops.
type runStatus struct {
	PID     int             `json:"pid"` // bulwark run's own
	Command []string        `json:"command"`
	Updated time.Time       `json:"updated"`
	App     guard.AppStatus `json:"app"`
}

// publishRunStatus keeps run-PID.json up to date from the bus until the
// returned stop is called, which removes it. Without a state directory it
// does nothing: the status is a convenience, never a reason not to run.
func publishRunStatus(s *supervise.Supervisor, command []string, bus *event.Bus, log *slog.Logger) (stop func()) {
	dir, err := stateDir()
	if err == nil {
		err = makeStateDir(dir)
	}
	if err != nil {
		log.LogAttrs(context.Background(), slog.LevelDebug, "no run status file", slog.String("error", err.Error()))
		return func() {}
	}
	path := filepath.Join(dir, fmt.Sprintf("run-%d.json", os.Getpid()))
	var stopped atomic.Bool // no write after the removal
	write := func() {
		if stopped.Load() {
			return
		}
		b, _ := json.Marshal(runStatus{PID: os.Getpid(), Command: command, Updated: time.Now().UTC(), App: guard.NewAppStatus(s.Status())})
		if err := writeFileAtomic(path, b, 0o600); err != nil {
			log.LogAttrs(context.Background(), slog.LevelDebug, "run status file", slog.String("error", err.Error()))
		}
	}
	write()
	bus.Subscribe("run-status", 0, func(e event.Event) {
		if e.Category == event.CategoryProcess {
			write()
		}
	})
	return func() { stopped.Store(true); os.Remove(path) }
}

// readRunStatuses reads the status files of the bulwark run processes
// still alive in dir, oldest first. It writes nothing.
func readRunStatuses(dir string, now time.Time) []runStatus {
	paths, _ := filepath.Glob(filepath.Join(dir, "run-*.json"))
	var out []runStatus
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil || len(b) > 1<<20 {
			continue
		}
		var st runStatus
		if json.Unmarshal(b, &st) != nil || st.PID <= 0 || !alive(st.PID) {
			continue // a run killed before it could remove its file
		}
		if a := &st.App; a.Started != nil {
			a.UptimeSeconds = now.Sub(*a.Started).Seconds()
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b runStatus) int { return a.PID - b.PID })
	return out
}

// alive reports whether process pid exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// printRunStatuses writes each bulwark run's app as status does for guard's.
func printRunStatuses(w io.Writer, runs []runStatus, dir string, p palette) {
	if len(runs) == 0 {
		fmt.Fprintf(w, "no bulwark run is running (none has its status in %s)\n", dir)
		return
	}
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s %d: %s\n", p.bold("bulwark run"), r.PID, strings.Join(r.Command, " "))
		printStatus(w, r.App)
	}
}
