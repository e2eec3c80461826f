package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X ...cli.version=v1.2.3".
var version = ""

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print bulwark's version and the Go version it was built with",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, goVersion := version, ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				goVersion = bi.GoVersion
				if v == "" && bi.Main.Version != "" {
					v = bi.Main.Version
				}
			}
			if v == "" {
				v = "(devel)"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "bulwark %s %s\n", v, goVersion)
			return nil
		},
	}
}
