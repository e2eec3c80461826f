package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/guard"
)

func newConfig() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Work with bulwark.yaml",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check [FILE]",
		Short: "Validate a configuration file and print the effective configuration",
		Long: `Validate FILE (default $BULWARK_CONFIG, else ./bulwark.yaml) and print the
configuration bulwark would run with, every default filled in and every secret
shown as [redacted]. Problems are printed as FILE:LINE: key.path: what is wrong
(what to do), and the exit code is 2. It writes nothing.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := configToCheck(args)
			if err != nil {
				return err
			}
			cfg, err := loadConfig(path)
			if err != nil {
				return err
			}
			cfg = cfg.effective()
			// Build the gateway as guard would, so what passes here runs.
			if cfg.Upstream != "" {
				if _, err := guard.New(cfg.Config, guard.Options{}); err != nil {
					return usageError{fmt.Errorf("%s: %w", path, err)}
				}
			}
			out, err := config.Encode(cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "# %s is valid. Effective configuration:\n", path)
			if cfg.Upstream == "" {
				fmt.Fprintln(cmd.OutOrStdout(), "# note: no upstream; give it with guard --upstream")
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	})
	return cmd
}

// configToCheck is the file config check reads: its argument, else
// $BULWARK_CONFIG, else ./bulwark.yaml, which must exist.
func configToCheck(args []string) (string, error) {
	if len(args) == 1 {
		return args[0], nil
	}
	if p := os.Getenv("BULWARK_CONFIG"); p != "" {
		return p, nil
	}
	if _, err := os.Stat("bulwark.yaml"); errors.Is(err, os.ErrNotExist) {
		return "", usagef("no configuration at %s: give FILE, set BULWARK_CONFIG, or write one with bulwark init", absPath("bulwark.yaml"))
	}
	return "bulwark.yaml", nil
}

// effective is c with every default filled in, the stages' own
// included, as the running commands will use them: what config check
// prints.
func (c fileConfig) effective() fileConfig {
	c = c.withDefaults()
	c.Limits = c.Limits.WithDefaults()
	c.Accounts = c.Accounts.WithDefaults()
	c.Blackbook = c.Blackbook.WithDefaults()
	c.Console = c.Console.WithDefaults()
	c.Inspect = c.Inspect.WithDefaults()
	c.Routes = c.Routes.WithDefaults()
	return c
}
