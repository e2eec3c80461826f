package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/alert"
)

// newAlert is "bulwark alert test": one message through one notifier, to
// check the SMTP server, the SMS account or the webhook before an attack
// does.
func newAlert() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alert",
		Short: "Work with alert notifiers",
		Args:  maxArgs(0),
	}
	var configPath, name string
	test := &cobra.Command{
		Use:     "test --notifier NAME",
		Short:   "Send a test message through one notifier of alerts.notifiers",
		Example: `  bulwark alert test --notifier ops-mail --config bulwark.yaml`,
		Args:    maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			if name == "" {
				return usagef("--notifier NAME is required: one of the names under alerts.notifiers")
			}
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(c.Context(), time.Minute)
			defer cancel()
			// Built apart from the store: a test never sends the
			// notifications a running gateway has pending.
			if err := alert.SendTest(ctx, cfg.Alerts, name, alert.NotifierOptions{}); err != nil {
				err = fmt.Errorf("alert test: %w", err)
				if _, known := cfg.Alerts.Notifiers[name]; !known {
					return usageError{err} // --notifier names none of alerts.notifiers
				}
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "sent a test message through %s\n", name)
			return nil
		},
	}
	test.Flags().StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	test.Flags().StringVar(&name, "notifier", "", "a notifier's name under alerts.notifiers")
	cmd.AddCommand(test)
	return cmd
}
