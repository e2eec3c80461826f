package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/update"
)

func newUpdate() *cobra.Command {
	var (
		o          update.Options
		test       string
		apply      bool
		asJSON     bool
		verbose    bool
		dbPath     string
		minAge     time.Duration
		configPath string
	)
	cmd := &cobra.Command{
		Use:   "update [DIR]",
		Short: "Try newer dependency versions against the project's tests and keep what passes",
		Long: `Find newer versions of the Go modules (go.mod) and npm packages (package.json)
of the project in DIR (default .), try each against the project's own tests in
an isolated copy, and report which pass. The project is not touched unless
--apply is given.

Versions come from the Go module proxy (GOPROXY, GOPRIVATE and GONOPROXY are
honoured) and from the npm registries in .npmrc. Deprecated and retracted
versions are skipped with a note. Majors are listed; npm majors are tried with
--major, Go majors (a new import path) only reported.

With --group, the newest version of every dependency is tried at once and a
failing group is bisected down to the culprits: far fewer test runs when most
updates pass.

When the newest version of a dependency fails, the versions between the
installed one and it (same major) are tried by bisection, one at a time, and
the highest that passes is kept; the report lists every version tried.

--apply tests the passing updates together once more, writes them into the
project, commits go.mod/go.sum and package.json/package-lock.json on a new
branch bulwark/update-DATE and writes a PR description to
.bulwark/update-DATE.md; --push REMOTE then pushes that branch. The records
under .bulwark/ stay out of git (the folder holds a .gitignore of its own).

No dependency's install script (preinstall, install, postinstall) runs in the
copies or with --apply: npm installs with --ignore-scripts. Packages that need
their build step are allowed by name with --allow-scripts esbuild,sharp, or
by the project's own lists: npm's allowScripts in package.json (an approval
pinned to a version holds for that version only; false denies), pnpm's
onlyBuiltDependencies, bun's trustedDependencies. The
report says when a failure may come from a script that did not run. The
project's own test script still runs.

A version published less than --min-release-age ago (default 72h: npm's
publish time, the Go proxy's .info time) is listed as waiting, with the day it
becomes eligible, and not tried; the newest version of its kind old enough is
tried instead, and npm resolves what it pulls in with --before, so no young
version enters as a dependency either. A young version that fixes an advisory
of the local database is tried all the same, and marked.

Before anything is installed, the candidate versions and the whole tree
they resolve to (npm install --package-lock-only; go get) are checked against
the malicious-package advisories of the local database (OSV's MAL- entries,
imported by bulwark db like any other): a hit is never installed, stops that
trial, and is raised as an ALERT (exit status 1). Without a database nothing
is checked, and the report says so.

On Linux, where the machine allows network namespaces, each test run has a
network of its own with only a loopback: the tests can listen on 127.0.0.1,
and cannot reach the internet or this machine's services (installs still
reach the registries). The report says when that could not be done;
--test-network turns it off for tests that need the network.

Updates that fix advisories of the local advisory database (--db, as
bulwark audit uses; skipped when it does not exist) are tried first and
marked in the report.

Exit status: 0 nothing to update or every update passed, 1 some updates fail
their tests or are malicious, 2 usage or setup errors (such as tests failing before any update).

  bulwark update --dry-run                 list the updates, run nothing
  bulwark update --group --jobs 4          try them, bisecting failures
  bulwark update --test "go test -short ./..." --apply`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if o.Jobs < 1 {
				return usagef("--jobs must be at least 1, got %d", o.Jobs)
			}
			if o.Timeout <= 0 {
				return usagef("--timeout must be positive, got %s", o.Timeout)
			}
			if apply && o.DryRun {
				return usagef("--apply and --dry-run exclude each other")
			}
			if cmd.Flags().Changed("push") {
				if !apply {
					return usagef("--push pushes the branch of --apply: give --apply too")
				}
				// Known before any trial, not after minutes of them.
				if err := update.CheckRemote(cmd.Context(), dir, o.Env, o.Push); err != nil {
					return usageError{err}
				}
			}
			if test != "" {
				o.Test = []string{"sh", "-c", test}
			}
			fc, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			o.AllowScripts = append(o.AllowScripts, fc.Update.AllowScripts...)
			if d := fc.Update.MinimumReleaseAge; d != nil && !cmd.Flags().Changed("min-release-age") {
				minAge = *d
			}
			switch {
			case minAge < 0:
				return usagef("--min-release-age must be at least 0, got %s", minAge)
			case minAge == 0:
				o.MinReleaseAge = -1 // no wait
			default:
				o.MinReleaseAge = minAge
			}
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			o.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			adv, closeAdv, err := openUpdateAdvisories(cmd.Context(), dbPath)
			if err != nil {
				return err
			}
			defer closeAdv()
			if adv != nil {
				o.Advisories = adv
			}
			return runUpdate(cmd, dir, o, apply, asJSON)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Group, "group", false, "try all updates together and bisect a failing group down to the culprits")
	f.IntVar(&o.Jobs, "jobs", 1, "trials to run in parallel")
	f.StringVar(&test, "test", "", `test command, run with sh -c in the copy (default "go test ./..." or "npm test")`)
	f.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "time limit of each install and each test run")
	f.BoolVar(&o.Major, "major", false, "also try npm major updates")
	f.BoolVar(&o.DryRun, "dry-run", false, "list the updates without trying them")
	f.BoolVar(&apply, "apply", false, "write the passing updates into the project and commit them on a new branch")
	f.StringVar(&o.Push, "push", "", "with --apply, push the new branch to this git remote (a name, URL or path)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	f.BoolVar(&o.Keep, "keep", false, "keep the isolated copies (their paths are logged with -v)")
	f.StringSliceVar(&o.AllowScripts, "allow-scripts", nil, "npm packages whose install scripts may run (after an install with scripts off)")
	f.DurationVar(&minAge, "min-release-age", update.DefaultMinReleaseAge, "versions published less than this long ago wait (unless they fix an advisory); 0 tries them however new")
	f.BoolVar(&o.TestNetwork, "test-network", false, "let the test runs reach the network (by default, on Linux, they run in a network namespace with only a loopback)")
	f.BoolVarP(&verbose, "verbose", "v", false, "log each trial")
	f.StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file whose update: section gives allowScripts and minimumReleaseAge (flags win; env BULWARK_CONFIG)")
	dbPathFlag(cmd, &dbPath, false) // security fixes first, when the advisory database is there
	return cmd
}

func runUpdate(cmd *cobra.Command, dir string, o update.Options, apply, asJSON bool) error {
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	rep, err := update.Run(ctx, dir, o)
	var setup *update.SetupError
	switch {
	case errors.Is(err, update.ErrNoProject):
		return usageError{err}
	case errors.As(err, &setup):
		if rep != nil {
			for _, b := range rep.Baseline {
				fmt.Fprintln(cmd.ErrOrStderr(), b)
			}
			recordUpdate(cmd, rep, o) // the tests failing before any update is a result too
		}
		return usageError{err}
	case err != nil:
		return err
	}
	var applyErr error
	if apply && len(rep.Passing()) > 0 {
		_, applyErr = update.Apply(ctx, rep, o)
	}
	recordUpdate(cmd, rep, o)
	if err := writeReport(out, rep, asJSON); err != nil {
		return err
	}
	if applyErr != nil {
		if errors.As(applyErr, &setup) {
			return usageError{applyErr}
		}
		return applyErr
	}
	if a := rep.Applied; a != nil && !asJSON {
		fmt.Fprintf(out, "committed %d update(s) on branch %s (%s); PR description: %s\n", len(rep.Passing()), a.Branch, a.Commit[:min(12, len(a.Commit))], a.PRBody)
		if a.Pushed != "" {
			fmt.Fprintf(out, "pushed %s to %s\n", a.Branch, a.Pushed)
		}
	}
	if len(rep.Results) == 0 && !asJSON {
		fmt.Fprintln(out, "everything is up to date")
	}
	if len(rep.Malicious) > 0 {
		return failedUpdates{malicious: len(rep.Malicious)}
	}
	if rep.Failed() {
		return failedUpdates{}
	}
	return nil
}

// recordUpdate keeps the report of a run that tried something in the
// project's .bulwark/ directory, where the console reads the latest; a
// failure to write it is told, not fatal.
func recordUpdate(cmd *cobra.Command, rep *update.Report, o update.Options) {
	if o.DryRun {
		return
	}
	if _, err := rep.Record(); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "bulwark: %v\n", err)
	}
}

func writeReport(w io.Writer, rep *update.Report, asJSON bool) error {
	if asJSON {
		return rep.WriteJSON(w)
	}
	if len(rep.Results) == 0 {
		return nil
	}
	return rep.WriteTable(w)
}

// failedUpdates is the exit status 1 of a run where updates failed their
// tests or were malicious; the report already says which.
type failedUpdates struct{ malicious int }

func (f failedUpdates) Error() string {
	if f.malicious > 0 {
		return fmt.Sprintf("ALERT: %d malicious package(s) among the updates or what they pull in: none was installed; see the report, and run bulwark audit on every machine that installed them", f.malicious)
	}
	return "some updates fail the tests and were left out (see the table above)"
}
func (failedUpdates) ExitCode() int { return exitFailure }
