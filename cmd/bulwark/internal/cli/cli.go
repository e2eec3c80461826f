// Package cli implements the bulwark command: one file per subcommand, each
// parsing its flags, loading the configuration and mapping errors to exit
// codes. Nothing imports it but cmd/bulwark.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed
	exitUsage   = 2 // bad flags, arguments or configuration: nothing was done
)

// usageError marks an error in what the user gave: flags, arguments or the
// configuration file. Nothing was done.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }
func (e usageError) ExitCode() int { return exitUsage }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// Main runs bulwark with args and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "bulwark: %v\n", err)
	var coded interface{ ExitCode() int }
	if errors.As(err, &coded) {
		return coded.ExitCode()
	}
	return exitFailure
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "bulwark",
		Short: "Make a web app bulletproof: a security gateway in front of it, and the tools around it",
		Long: `Bulwark protects a web application without changing its code.

  bulwark guard --upstream http://127.0.0.1:3000   run the security gateway in front of the app
  bulwark run -- node server.js                    keep an app running: restarts with backoff, health checks
  bulwark inspect --format access-log access.log   try the attack detection on recorded traffic
  bulwark init                                     write a commented starter bulwark.yaml
  bulwark config check bulwark.yaml                validate a configuration and print it in full`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	color := colorFlag("auto")
	root.PersistentFlags().Var(&color, "color", "colour the output: auto (on a terminal, unless NO_COLOR is set), always or never")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(newGuard(), newRun(), newStatus(), newInspect(), newInit(), newConfig(), newVersion(),
		newWatch(), newBans(), newEvents(), newUpdate(), newAudit(), newDB(), newConsole(), newAlert(), newBreach(), newRoutes())
	addVersionFlag(root)
	addPlatformLimits(root)
	return root
}

// maxArgs is cobra.MaximumNArgs with a usage error.
func maxArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("%s takes at most %d argument(s), got %d (see %s --help)", c.Name(), n, len(args), c.CommandPath())
		}
		return nil
	}
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s takes %d argument(s), got %d (see %s --help)", c.Name(), n, len(args), c.CommandPath())
		}
		return nil
	}
}
