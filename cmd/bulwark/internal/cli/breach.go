package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/accounts"
)

// newBreach is "bulwark breach import": the offline breached-password list.
func newBreach() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "breach",
		Short: "Build the offline list of breached passwords",
		Args:  maxArgs(0),
	}
	var out string
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Build a breach file from sorted SHA-1 sums (- for stdin)",
		Long: `Read SHA-1 sums of breached passwords, one per line as 40 hex characters,
optionally followed by ":COUNT" — the format of Have I Been Pwned's
downloadable lists, which come sorted — and write a compact breach file that
the account watch searches without the network:

  accounts:
    breach: {mode: offline, file: breach.bin}

Lines must be in ascending order (sort them first otherwise); a line out of
order or malformed stops the import, naming the line, and writes nothing.`,
		Example: `  bulwark breach import pwned-passwords-sha1-ordered-by-hash.txt -o breach.bin`,
		Args:    exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			var in io.Reader = c.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usageError{err}
				}
				defer f.Close()
				in = f
			}
			// Written beside the target and renamed over it only when
			// whole: a failed import leaves the old file as it was.
			tmp, err := os.CreateTemp(filepath.Dir(out), ".breach-*")
			if err != nil {
				return usageError{err}
			}
			defer os.Remove(tmp.Name())
			w := bufio.NewWriterSize(tmp, 1<<20)
			n, err := accounts.ImportBreaches(c.Context(), bufio.NewReaderSize(in, 1<<20), w)
			if err == nil {
				err = w.Flush()
			}
			if err == nil {
				err = tmp.Sync()
			}
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return usagef("%s: %v; nothing was written", args[0], err)
			}
			if err := os.Chmod(tmp.Name(), 0o644); err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %d hashes to %s; set accounts.breach: {mode: offline, file: %s}\n", n, out, out)
			return nil
		},
	}
	imp.Flags().StringVarP(&out, "output", "o", "breach.bin", "the breach file to write")
	cmd.AddCommand(imp)
	return cmd
}
