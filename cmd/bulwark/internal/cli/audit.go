package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/lockfile"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/audit/report"
	"github.com/bulwark-sec/bulwark/event"
)

// auditOptions are bulwark audit's flags.
type auditOptions struct {
	dbPath                      string
	asJSON, asSARIF, asMarkdown bool
	severity                    string
	ignorePath                  string
	monitor                     bool
	every                       time.Duration
	configPath                  string
}

// newAudit is "bulwark audit": lockfiles against the local OSV database.
func newAudit() *cobra.Command {
	var o auditOptions
	cmd := &cobra.Command{
		Use:   "audit [DIR]",
		Short: "Check the dependencies in DIR's lockfiles against the OSV advisories (offline)",
		Long: `Read every lockfile under DIR (default .): package-lock.json, npm-shrinkwrap.json,
yarn.lock, pnpm-lock.yaml, bun.lock, go.mod, requirements.txt, poetry.lock,
Pipfile.lock, uv.lock, Cargo.lock, Gemfile.lock, composer.lock, and the Node.js
version the project pins (.nvmrc, .node-version, .tool-versions, package.json
engines.node / volta.node / devEngines, a Dockerfile's FROM node:X); match each
package version against the local advisory database (see bulwark db), and
report the vulnerable ones grouped by package, with the severity from CVSS,
the smallest version fixing every advisory on it ("(major)" when it crosses a
major version) and where the lockfile lists it. Node.js itself is package
"node" of ecosystem "Node.js": the Security WG's advisories on the pinned
version, the smallest release of its line fixing them, and whether the line is
past its end of life (and which line to move to). A dependency named without an
exact version (Django>=3.0,<3.1, engines.node ">=18") is never matched as a
guessed version: it is listed apart as unpinned. Nothing goes to the network.
Malicious packages (OSV's MAL- advisories) come first, whatever their score,
worded as what they are: malicious: remove it, rotate every secret the
machine held. They fail the audit at any --severity.

Exit status: 0 when no vulnerability is at or above --severity (one of unknown
severity counts), 1 when there is one, 2 on bad flags or when nothing could be
read. A lockfile that cannot be parsed is reported with its file:line and the
others are still scanned.

Findings are silenced by DIR/.bulwark-ignore.yaml (or --ignore FILE):

  ignore:
    - id: GHSA-qwcr-r2fm-qrc7        # any id or alias of the advisory
      reason: urlencoded bodies are not parsed
      until: 2027-01-31              # the last day it holds; then it stops, and says so

With --monitor, each run is compared with the last one of DIR (a snapshot kept
in the --db file) and only what changed is printed, as JSON event lines:
advisory-new for a finding not seen before, advisory-fix-available when a fix
appeared for one that had none. --every repeats the run (say after a db update
from cron) until interrupted.`,
		Example: `  bulwark audit examples/express-app
  bulwark audit . --severity high --sarif > bulwark.sarif
  bulwark audit --markdown >> "$GITHUB_STEP_SUMMARY"
  bulwark audit --monitor --every 6h`,
		Args: maxArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runAudit(c.Context(), dir, o, c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	dbPathFlag(cmd, &o.dbPath, false)
	f.BoolVar(&o.asJSON, "json", false, "print the report as JSON")
	f.BoolVar(&o.asSARIF, "sarif", false, "print the report as SARIF 2.1.0 (code scanning)")
	f.BoolVar(&o.asMarkdown, "markdown", false, "print the report as Markdown")
	f.StringVar(&o.severity, "severity", "low", "fail (exit 1) on vulnerabilities at or above: low, medium, high or critical")
	f.StringVar(&o.ignorePath, "ignore", "", "the ignore file (default DIR/"+audit.IgnoreFileName+" when present)")
	f.BoolVar(&o.monitor, "monitor", false, "print only what changed since the last run, as JSON event lines")
	f.DurationVar(&o.every, "every", 0, "with --monitor, run again at this interval until interrupted")
	f.StringVarP(&o.configPath, "config", "c", "", "with --monitor, also send the changes to the alerts and sinks of this bulwark.yaml")
	return cmd
}

func parseLevel(s string) (audit.Level, error) {
	for _, l := range []audit.Level{audit.Low, audit.Medium, audit.High, audit.Critical} {
		if strings.EqualFold(s, l.String()) {
			return l, nil
		}
	}
	return 0, usagef("--severity: %q is not one of low, medium, high, critical", s)
}

func runAudit(ctx context.Context, dir string, o auditOptions, stdout, stderr io.Writer) error {
	threshold, err := parseLevel(o.severity)
	if err != nil {
		return err
	}
	formats := 0
	for _, b := range []bool{o.asJSON, o.asSARIF, o.asMarkdown} {
		if b {
			formats++
		}
	}
	if formats > 1 {
		return usagef("give at most one of --json, --sarif and --markdown")
	}
	if o.every != 0 && !o.monitor {
		return usagef("--every needs --monitor")
	}
	if o.every < 0 {
		return usagef("--every: must be positive, got %s", o.every)
	}
	if o.monitor && formats > 0 {
		return usagef("--monitor prints JSON event lines: drop --json, --sarif and --markdown")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("audit: %s is not a directory", dir)
	}
	ignores, err := loadIgnores(dir, o.ignorePath)
	if err != nil {
		return err
	}
	db, store, err := openAdvisoryDB(ctx, o.dbPath, false)
	if err != nil {
		return err
	}
	defer store.Close()
	var some bool // Info would count every advisory: only ask whether there is one
	if err := store.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM osv_entries)`).Scan(&some); err != nil {
		return fmt.Errorf("reading the advisory database %s: %w", o.dbPath, err)
	} else if !some {
		return usagef("the advisory database %s is empty: run bulwark db import PATH or bulwark db update", o.dbPath)
	}

	if !o.monitor {
		r, err := scanOnce(ctx, db, dir, ignores, stderr)
		if err != nil {
			return err
		}
		r.Threshold = threshold
		switch {
		case o.asJSON:
			err = report.JSON(stdout, r)
		case o.asSARIF:
			err = report.SARIF(stdout, r, toolVersion())
		case o.asMarkdown:
			err = report.Markdown(stdout, r)
		default:
			err = report.Table(stdout, r)
		}
		if err != nil {
			return err
		}
		if m := r.Malware(); m > 0 {
			return fmt.Errorf("%d %s at the top of the report: remove it, rotate every secret the machine held", m, pluralize(m, "malicious package", "malicious packages"))
		}
		if n := r.Failing(); n > 0 {
			return fmt.Errorf("%d %s at or above severity %s", n, pluralize(n, "vulnerability", "vulnerabilities"), threshold)
		}
		return nil
	}

	project, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if o.every > 0 {
		// Until interrupted: SIGTERM or SIGINT ends the wait between runs,
		// and the deferred closes still send what alerts and sinks hold.
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
		defer stop()
	}
	mon := audit.NewMonitor(store, nil)
	log := slog.New(slog.NewTextHandler(stderr, nil))
	publish := event.NewJSONLWriter(stdout, log).Handle
	if o.configPath != "" {
		bus, closeBus, err := monitorAlerts(ctx, o.configPath, stdout, stderr, log)
		if err != nil {
			return err
		}
		defer closeBus()
		print := publish
		publish = func(e event.Event) { print(e); bus.Publish(e) }
	}
	for {
		if err := monitorOnce(ctx, db, mon, project, dir, ignores, publish, stderr); err != nil {
			return err
		}
		if o.every == 0 {
			return nil
		}
		t := time.NewTimer(o.every)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// monitorOnce runs one scan and publishes what changed since the last.
func monitorOnce(ctx context.Context, db *osv.DB, mon *audit.Monitor, project, dir string, ignores []audit.Ignore,
	publish func(event.Event), stderr io.Writer) error {
	sc, err := scan(ctx, db, dir, stderr)
	if err != nil {
		return err
	}
	kept := audit.ApplyIgnores(sc.findings, ignores, time.Now())
	for _, ex := range kept.Expired {
		fmt.Fprintf(stderr, "bulwark: ignore for %s expired on %s\n", ex.ID, ex.Until)
	}
	events, err := mon.Update(ctx, project, kept.Kept)
	if err != nil {
		return err
	}
	for _, e := range events {
		publish(e)
	}
	fmt.Fprintf(stderr, "bulwark: audit of %s: %d packages, %d findings, %d changes\n", dir, len(sc.pkgs), len(kept.Kept), len(events))
	return nil
}

// monitorAlerts sends the monitor's events to the alert rules (the
// advisory rule) and sinks configured in the file at path, as guard does.
func monitorAlerts(ctx context.Context, path string, stdout, stderr io.Writer, log *slog.Logger) (*event.Bus, func(), error) {
	cfg, err := loadConfig(path)
	if err != nil {
		return nil, nil, err
	}
	cfg = cfg.withDefaults()
	cfg.Events.Output = "none" // the monitor prints its events itself
	bus := event.NewBus(nil)
	st, err := openState(ctx, cfg, bus.Publish, log)
	if err != nil {
		return nil, nil, err
	}
	outs, err := openOutputs(ctx, cfg, st, bus, nil, "audit", stdout, stderr, log)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return bus, func() {
		bus.Close()
		// A run ends at once: notifications leave now, not after the
		// rules' group wait.
		flushCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := outs.alerter.Flush(flushCtx); err != nil {
			log.LogAttrs(flushCtx, slog.LevelWarn, "alerts", slog.String("error", err.Error()))
		}
		outs.Close()
		st.Close()
	}, nil
}

// scanOnce scans dir and builds the report.
func scanOnce(ctx context.Context, db *osv.DB, dir string, ignores []audit.Ignore, stderr io.Writer) (*report.Report, error) {
	sc, err := scan(ctx, db, dir, stderr)
	if err != nil {
		return nil, err
	}
	kept := audit.ApplyIgnores(sc.findings, ignores, time.Now())
	r := report.New(dir, kept.Kept)
	r.AddIgnored(kept.Ignored)
	r.Expired = kept.Expired
	r.Scanned = len(sc.pkgs)
	r.AddUnpinned(sc.pkgs)
	sched, err := nodejs.LoadSchedule(ctx, db)
	if err != nil {
		return nil, err
	}
	r.AddRuntimes(audit.Runtimes(sc.pkgs, sched, time.Now()))
	seen := map[string]bool{}
	for _, p := range sc.pkgs {
		if p.Ecosystem == nodejs.Ecosystem {
			continue // a version file, not a lockfile
		}
		if f := report.Rel(dir, p.File); !seen[f] {
			seen[f] = true
			r.Files = append(r.Files, f)
		}
	}
	for _, e := range sc.errs {
		r.Errors = append(r.Errors, e.Error())
	}
	return r, nil
}

// A scanResult is what one scan of a directory read and found.
type scanResult struct {
	pkgs     []lockfile.Package
	errs     []error
	findings []audit.Finding
}

// scan reads the lockfiles under dir and matches their packages. Files
// that cannot be parsed are reported on stderr and skipped; when nothing
// could be read at all, it is a usage error (exit 2).
func scan(ctx context.Context, db *osv.DB, dir string, stderr io.Writer) (scanResult, error) {
	var sc scanResult
	sc.pkgs, sc.errs = lockfile.Scan(ctx, dir)
	// The Node.js version the project pins is one more dependency.
	nodes, errs := nodejs.Find(ctx, dir)
	sc.pkgs, sc.errs = append(sc.pkgs, nodes...), append(sc.errs, errs...)
	for _, e := range sc.errs {
		fmt.Fprintf(stderr, "bulwark: skipped: %v\n", e)
	}
	if len(sc.pkgs) == 0 {
		if len(sc.errs) > 0 {
			return sc, usagef("audit: no lockfile under %s could be read (see above)", dir)
		}
		files, err := lockfile.Find(ctx, dir)
		if err != nil {
			return sc, usagef("audit: %v", err)
		}
		if len(files) == 0 {
			return sc, usagef("audit: no lockfile under %s (package-lock.json, yarn.lock, pnpm-lock.yaml, go.mod, requirements.txt, Cargo.lock, …)", dir)
		}
	}
	var err error
	sc.findings, err = audit.Match(ctx, db, sc.pkgs)
	return sc, err
}

// loadIgnores reads the ignore file: path if given (it must exist), else
// DIR/.bulwark-ignore.yaml if there is one.
func loadIgnores(dir, path string) ([]audit.Ignore, error) {
	explicit := path != ""
	if !explicit {
		path = filepath.Join(dir, audit.IgnoreFileName)
	}
	f, err := audit.LoadIgnoreFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return nil, nil
	case err != nil:
		return nil, usageError{fmt.Errorf("ignore file: %w", err)}
	}
	return f.Ignore, nil
}

// toolVersion is bulwark's version for reports.
func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
