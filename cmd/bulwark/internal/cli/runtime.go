package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// ActionRuntime is the action of the event that names the Node.js
// interpreter an app runs on, published once when run or guard --run
// starts it (the console reads it from the recent events).
const ActionRuntime = "runtime-version"

// nodeOf returns the Node.js interpreter command would run: its first
// word when that is node, else the node found on the app's PATH (npm,
// npx and shell scripts start that one); "" when there is none.
func nodeOf(command []string, dir string, env map[string]config.Secret) string {
	if len(command) == 0 {
		return ""
	}
	if b := filepath.Base(command[0]); b == "node" || b == "nodejs" {
		p := command[0]
		if strings.Contains(p, "/") && !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	path := os.Getenv("PATH")
	if p, ok := env["PATH"]; ok {
		path = p.Reveal()
	}
	for _, d := range filepath.SplitList(path) {
		if found, err := exec.LookPath(filepath.Join(d, "node")); err == nil && filepath.IsAbs(found) {
			return found
		}
	}
	return ""
}

// logRuntime finds the Node.js interpreter the app's command runs, asks
// it its version (node --version, bounded to 10 s) and logs and publishes
// it with the advisories and end of life of that version from the
// advisory database at dbPath, when it has been filled. An app that is
// not run by Node.js logs nothing; a database that cannot be read only
// costs the advisories.
func logRuntime(ctx context.Context, command []string, dir string, env map[string]config.Secret, dbPath string,
	publish func(event.Event), log *slog.Logger) {
	bin := nodeOf(command, dir, env)
	if bin == "" {
		return
	}
	vctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(vctx, bin, "--version").Output()
	v, ok := nodejs.ParseVersion(strings.TrimSpace(string(out)))
	if err != nil || !ok {
		log.LogAttrs(ctx, slog.LevelWarn, "node runtime: no version", slog.String("node", bin),
			slog.String("output", oneLineClip(string(out))), slog.Any("error", err))
		return
	}
	e := event.Event{Kind: event.KindEvent, Category: event.CategoryVulnerability, Type: "info", Action: ActionRuntime,
		Outcome: event.OutcomeSuccess, Labels: map[string]string{"node.path": bin, "node.version": v.String()}}
	msg := fmt.Sprintf("node %s (%s)", v, bin)
	if _, err := os.Stat(dbPath); err == nil {
		if status, err := runtimeStatus(ctx, dbPath, v, &e); err != nil {
			log.LogAttrs(ctx, slog.LevelWarn, "node runtime: advisories not checked", slog.String("db", dbPath), slog.String("error", err.Error()))
		} else {
			msg += ": " + status
		}
	} else {
		msg += ": advisories not checked (no advisory database at " + dbPath + "; run bulwark db update Node.js)"
	}
	e.Message = msg
	level := slog.LevelInfo
	if e.Severity > event.SeverityInfo {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{slog.String("version", v.String()), slog.String("node", bin)}
	for _, k := range []string{"node.advisories", "node.fix", "node.end_of_life", "node.move_to"} {
		if x := e.Labels[k]; x != "" {
			attrs = append(attrs, slog.String(strings.TrimPrefix(k, "node."), x))
		}
	}
	log.LogAttrs(ctx, level, "node runtime: "+msg, attrs...)
	publish(e)
}

// runtimeStatus matches version v against the advisory database and
// fills e's labels and severity; it returns the one-line summary.
func runtimeStatus(ctx context.Context, dbPath string, v nodejs.Version, e *event.Event) (string, error) {
	db, store, err := openAdvisoryDB(ctx, dbPath, false)
	if err != nil {
		return "", err
	}
	defer store.Close()
	pkg := lockfile.Package{Ecosystem: nodejs.Ecosystem, Name: nodejs.Name, Version: v.String(), Direct: true}
	fs, err := audit.Match(ctx, db, []lockfile.Package{pkg})
	if err != nil {
		return "", err
	}
	sched, err := nodejs.LoadSchedule(ctx, db)
	if err != nil {
		return "", err
	}
	var parts, ids []string
	worst := audit.Unknown
	for _, f := range fs {
		ids = append(ids, f.IDs[0])
		if f.Severity.Level > worst {
			worst = f.Severity.Level
		}
	}
	if len(fs) == 0 {
		parts = append(parts, "no known advisory")
	} else {
		e.Labels["node.advisories"] = strings.Join(ids, ",")
		fix := "none in its line"
		if to := fs[0].Remediation.To; to != "" {
			fix = to
			e.Labels["node.fix"] = to
		}
		parts = append(parts, fmt.Sprintf("%d advisories, fix %s", len(fs), fix))
		e.Severity = max(e.Severity, eventSeverity(worst))
	}
	if rts := audit.Runtimes([]lockfile.Package{pkg}, sched, time.Now()); len(rts) == 1 && rts[0].Line.End != "" {
		st := rts[0].Line
		e.Labels["node.release_line"], e.Labels["node.end_of_life"] = st.Line, st.End
		if st.PastEnd {
			parts = append(parts, fmt.Sprintf("%s line past its end of life (%s)", st.Line, st.End))
			e.Labels["node.past_end_of_life"] = "true"
			e.Severity = max(e.Severity, event.SeverityHigh)
		} else {
			parts = append(parts, fmt.Sprintf("%s line supported until %s", st.Line, st.End))
		}
		if st.MoveTo != "" {
			parts = append(parts, "move to "+st.MoveTo)
			e.Labels["node.move_to"] = st.MoveTo
		}
	}
	return strings.Join(parts, "; "), nil
}

// eventSeverity maps an advisory level to an event severity.
func eventSeverity(l audit.Level) event.Severity {
	switch l {
	case audit.Critical:
		return event.SeverityCritical
	case audit.High:
		return event.SeverityHigh
	case audit.Medium, audit.Unknown:
		return event.SeverityMedium
	case audit.Low:
		return event.SeverityLow
	}
	return event.SeverityInfo
}

// oneLineClip keeps a bounded first line of s for a log.
func oneLineClip(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
