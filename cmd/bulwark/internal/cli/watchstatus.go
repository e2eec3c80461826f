package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/watch"
)

// A watchStatus is what a running bulwark watch writes to watch-PID.json
// in the state directory, at most every second while events come, for
// bulwark status --watch.
type watchStatus struct {
	PID      int       `json:"pid"` // bulwark watch's own
	Started  time.Time `json:"started"`
	Updated  time.Time `json:"updated"`
	Sources  []string  `json:"sources"`  // what is followed: paths and journal units
	Firewall string    `json:"firewall"` // the backend, or "none"
	Logins   int64     `json:"logins"`   // login attempts read
	Failed   int64     `json:"failed"`   // of which failed
	Bans     int64     `json:"bans"`     // bans made by watch's scenarios
	Last     time.Time `json:"last,omitzero"`
}

// publishWatchStatus keeps watch-PID.json up to date from the bus until
// the returned stop is called, which removes it.
func publishWatchStatus(cfg watch.Config, bus *event.Bus, log *slog.Logger) (stop func()) {
	f := newStatusFile("watch", log)
	st := watchStatus{PID: os.Getpid(), Started: time.Now().UTC(), Sources: []string{},
		Firewall: orDefault(cfg.Firewall.Backend, "none")}
	for _, s := range cfg.Sources {
		st.Sources = append(st.Sources, orDefault(s.Path, "journal:"+s.Journal))
	}
	var mu sync.Mutex
	var written time.Time
	var pending *time.Timer // the write put off by the once-a-second bound
	var save func(force bool)
	save = func(force bool) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if wait := time.Second - now.Sub(written); !force && wait > 0 {
			if pending == nil {
				pending = time.AfterFunc(wait, func() { save(true) })
			}
			return
		}
		if pending != nil {
			pending.Stop()
			pending = nil
		}
		st.Updated, written = now.UTC(), now
		f.write(st)
	}
	save(true)
	bus.Subscribe("watch-status", 0, func(e event.Event) {
		mu.Lock()
		switch {
		case e.Category == event.CategoryAuthentication && e.Type == "start":
			st.Logins++
			if e.Outcome == event.OutcomeFailure {
				st.Failed++
			}
			st.Last = e.Time
		case e.Action == "ban" && strings.HasPrefix(e.Labels["ban_source"], "watch:"):
			st.Bans++
		default:
			mu.Unlock()
			return
		}
		mu.Unlock()
		save(false)
	})
	return f.remove
}

// readWatchStatuses reads the status files of the bulwark watch processes
// still alive in dir. It writes nothing.
func readWatchStatuses(dir string) []watchStatus {
	out := readStatusFiles(dir, "watch", func(w *watchStatus) int { return w.PID })
	slices.SortFunc(out, func(a, b watchStatus) int { return a.PID - b.PID })
	return out
}

// printWatchStatuses writes each bulwark watch's counts.
func printWatchStatuses(w io.Writer, ws []watchStatus, dir string, now time.Time, p palette) {
	if len(ws) == 0 {
		fmt.Fprintf(w, "no bulwark watch is running (none has its status in %s)\n", dir)
		return
	}
	for i, s := range ws {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s %d: up %s, firewall %s\n", p.bold("bulwark watch"), s.PID, now.Sub(s.Started).Round(time.Second), s.Firewall)
		fmt.Fprintf(w, "  sources  %s\n", strings.Join(s.Sources, ", "))
		last := "none yet"
		if !s.Last.IsZero() {
			last = "last " + s.Last.Local().Format(time.DateTime)
		}
		fmt.Fprintf(w, "  logins   %d read, %d failed (%s)\n", s.Logins, s.Failed, last)
		fmt.Fprintf(w, "  bans     %d\n", s.Bans)
	}
}
