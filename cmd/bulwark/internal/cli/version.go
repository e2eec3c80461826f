package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at build time by the release build (internal/release) with
// -ldflags "-X github.com/bulwark-sec/bulwark/internal/cli.version=v1.2.3 ...".
// Left empty, they come from the build information the go command records:
// the module version for go install …@v1.2.3, the commit and its time for
// a build in a git checkout.
var (
	version = ""
	commit  = ""
	date    = "" // the commit's time, RFC 3339 in UTC
)

// buildInfo is what bulwark version prints.
type buildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Date     string `json:"date"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// readBuildInfo returns the version stamped by the release build, completed
// from the go command's build information.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" {
			b.Version = bi.Main.Version
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && commit == "" && b.Commit != "" {
			b.Commit += "-dirty"
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

// String is the one line of bulwark --version.
func (b buildInfo) String() string {
	return fmt.Sprintf("bulwark %s (commit %s, %s, %s, %s)", b.Version, b.Commit, b.Date, b.Go, b.Platform)
}

func newVersion() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "version",
		Short: "Print bulwark's version, commit, build date and the Go version it was built with",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printVersion(cmd.OutOrStdout(), asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON object: version, commit, date, go, platform")
	return c
}

func printVersion(w io.Writer, asJSON bool) error {
	b := readBuildInfo()
	if !asJSON {
		_, err := fmt.Fprintln(w, b)
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// addVersionFlag gives the root command --version, printing what bulwark
// version prints.
func addVersionFlag(root *cobra.Command) {
	root.Version = readBuildInfo().Version
	root.SetVersionTemplate(readBuildInfo().String() + "\n")
}
