package cli

import (
	"fmt"

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
		Use:   "check FILE",
		Short: "Validate a configuration file and print the effective configuration",
		Long: `Validate FILE and print the configuration bulwark would run with, every
default filled in and every secret shown as [redacted]. Problems are printed
as FILE:LINE: key.path: what is wrong (what to do), and the exit code is 2.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(args[0])
			if err != nil {
				return err
			}
			cfg = cfg.withDefaults()
			// Build the gateway as guard would, so what passes here runs.
			if cfg.Upstream != "" {
				if _, err := guard.New(cfg.Config, guard.Options{}); err != nil {
					return usageError{fmt.Errorf("%s: %w", args[0], err)}
				}
			}
			out, err := config.Encode(cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "# %s is valid. Effective configuration:\n", args[0])
			if cfg.Upstream == "" {
				fmt.Fprintln(cmd.OutOrStdout(), "# note: no upstream; give it with guard --upstream")
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	})
	return cmd
}
