package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/console"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// newConsole is "bulwark console": the web console's password.
func newConsole() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Manage the web console on the admin listener",
		Long: `The web console is served by bulwark guard on the admin listener at /console/
(default http://127.0.0.1:9090/console/). Log in with the password set here
or with the admin token. Until a password is set, guard makes one for each
run and writes it to bulwark-console.password in the state directory, next
to the admin token file (mode 0600); its log names the file, never the
password.`,
		Args: maxArgs(0),
	}
	cmd.AddCommand(newConsolePasswd())
	return cmd
}

func newConsolePasswd() *cobra.Command {
	var configPath string
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "passwd",
		Short: "Set the console's login password",
		Long: `Set the console's password: asked twice on the terminal, or read as one line
from standard input with --stdin. Only its bcrypt hash is stored (in
store.path); every console session is logged out. A running gateway takes the
new password at once.`,
		Example: `  bulwark console passwd
  printf '%s\n' "$PASSWORD" | bulwark console passwd --stdin`,
		Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			cfg = cfg.withDefaults()
			pw, err := readNewPassword(c.InOrStdin(), c.ErrOrStderr(), fromStdin)
			if err != nil {
				return err
			}
			if err := cfg.prepareStore(); err != nil {
				return err
			}
			db, err := openConsoleStore(c.Context(), cfg.Store.Path)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := console.SetPassword(c.Context(), db.DB, pw, time.Now()); err != nil {
				return usageError{err}
			}
			if err := console.DeleteSessions(c.Context(), db.DB); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "console password set in %s; every console session was logged out\n", cfg.Store.Path)
			return nil
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	cmd.Flags().BoolVar(&fromStdin, "stdin", false, "read the password as one line from standard input")
	return cmd
}

// openConsoleStore opens the store, the console's tables included.
func openConsoleStore(ctx context.Context, path string) (*sqlite.DB, error) {
	return sqlite.Open(ctx, path, migrations)
}

// readNewPassword reads the password from stdin (one line) or, on a
// terminal, asks twice without echo.
func readNewPassword(in io.Reader, prompt io.Writer, fromStdin bool) (string, error) {
	f, isFile := in.(*os.File)
	if fromStdin || !isFile || !isTerminal(f) {
		if !fromStdin {
			return "", usagef("standard input is not a terminal: give --stdin to read the password from it")
		}
		line, err := bufio.NewReader(io.LimitReader(in, 1024)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(prompt, "New console password: ")
	a, err := readHidden(f)
	if err != nil {
		return "", err
	}
	fmt.Fprint(prompt, "\nAgain: ")
	b, err := readHidden(f)
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	if a != b {
		return "", usagef("the two passwords differ; nothing was changed")
	}
	return a, nil
}
