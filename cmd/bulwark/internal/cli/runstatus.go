package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
// returned stop is called, which removes it.
func publishRunStatus(s *supervise.Supervisor, command []string, bus *event.Bus, log *slog.Logger) (stop func()) {
	f := newStatusFile("run", log)
	snapshot := func() any {
		return runStatus{PID: os.Getpid(), Command: command, Updated: time.Now().UTC(), App: guard.NewAppStatus(s.Status())}
	}
	f.write(snapshot())
	bus.Subscribe("run-status", 0, func(e event.Event) {
		if e.Category == event.CategoryProcess {
			f.write(snapshot())
		}
	})
	return f.remove
}

// A statusFile is KIND-PID.json in the state directory, where a running
// command says what it is doing for bulwark status to read. Without a
// state directory it writes nothing: the status is a convenience, never a
// reason not to run.
type statusFile struct {
	path    string // "" when there is no state directory
	log     *slog.Logger
	mu      sync.Mutex // a write and the removal, one at a time
	stopped bool       // no write after the removal
}

func newStatusFile(kind string, log *slog.Logger) *statusFile {
	f := &statusFile{log: log}
	dir, err := stateDir()
	if err == nil {
		err = makeStateDir(dir)
	}
	if err != nil {
		log.LogAttrs(context.Background(), slog.LevelDebug, "no status file", slog.String("error", err.Error()))
		return f
	}
	f.path = filepath.Join(dir, fmt.Sprintf("%s-%d.json", kind, os.Getpid()))
	return f
}

// write replaces the file with v as JSON, whole.
func (f *statusFile) write(v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.path == "" || f.stopped {
		return
	}
	b, _ := json.Marshal(v)
	if err := writeFileAtomic(f.path, b, 0o600); err != nil {
		f.log.LogAttrs(context.Background(), slog.LevelDebug, "status file", slog.String("error", err.Error()))
	}
}

// remove deletes the file; later writes do nothing.
func (f *statusFile) remove() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stopped = true
	if f.path != "" {
		os.Remove(f.path)
	}
}

// readStatusFiles reads KIND-*.json in dir, decoding each into a new T,
// and keeps those whose process (pid) is still alive: a command killed
// before it could remove its file is left out. It writes nothing.
func readStatusFiles[T any](dir, kind string, pid func(*T) int) []T {
	paths, _ := filepath.Glob(filepath.Join(dir, kind+"-*.json"))
	var out []T
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil || len(b) > 1<<20 {
			continue
		}
		var v T
		if json.Unmarshal(b, &v) != nil || pid(&v) <= 0 || !alive(pid(&v)) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// readRunStatuses reads the status files of the bulwark run processes
// still alive in dir, oldest first. It writes nothing.
func readRunStatuses(dir string, now time.Time) []runStatus {
	out := readStatusFiles(dir, "run", func(r *runStatus) int { return r.PID })
	for i := range out {
		if a := &out[i].App; a.Started != nil {
			a.UptimeSeconds = now.Sub(*a.Started).Seconds()
		}
	}
	slices.SortFunc(out, func(a, b runStatus) int { return a.PID - b.PID })
	return out
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
