package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/config"
)

// newBans is "bulwark bans": the black book, edited in the store that a
// running gateway shares. The gateway notices changes within a second;
// with store.redis, so do the other gateways.
func newBans() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "bans",
		Short: "List, add and remove bans in the black book",
		Long: `Read and edit the black book in the store (store.path of bulwark.yaml). A
running gateway or watcher sharing the store sees a change within a second;
with store.redis set, every gateway sharing the Redis does too.

A target is an address (203.0.113.9), a network (203.0.113.0/24,
2001:db8::/64) or a user (user:alice).`,
		Example: `  bulwark bans list
  bulwark bans add 203.0.113.9 --duration 1h --reason "credential stuffing"
  bulwark bans show 203.0.113.9
  bulwark bans remove 203.0.113.9 --reason "customer's office"
  bulwark bans export > blackbook.jsonl
  bulwark bans import blackbook.jsonl`,
		Args: maxArgs(0),
	}
	cmd.PersistentFlags().StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")

	// withBook opens the black book of the configured store for one command.
	withBook := func(c *cobra.Command, f func(ctx context.Context, book *blackbook.Book, out io.Writer) error) error {
		cfg, err := loadConfig(configPath)
		if err != nil {
			return err
		}
		cfg = cfg.withDefaults()
		log := slog.New(slog.NewTextHandler(c.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		st, err := openState(c.Context(), cfg, nil, log)
		if err != nil {
			return err
		}
		defer st.Close()
		return f(c.Context(), st.book, c.OutOrStdout())
	}

	var all, asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List the bans in force (--all: every ban, with history)", Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			return withBook(c, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				bans, err := book.List(ctx, blackbook.Filter{Active: !all, Limit: 100000})
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(out).Encode(bans)
				}
				return printBans(out, bans)
			})
		},
	}
	list.Flags().BoolVar(&all, "all", false, "include lifted and expired bans")
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	show := &cobra.Command{
		Use: "show TARGET", Short: "Show a target's ban, history and offences", Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			t, err := parseTarget(args[0])
			if err != nil {
				return err
			}
			return withBook(c, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				d, err := book.Show(ctx, t)
				if errors.Is(err, blackbook.ErrNotFound) {
					return fmt.Errorf("the black book knows nothing of %s", t)
				}
				if err != nil {
					return err
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(d)
			})
		},
	}

	var duration time.Duration
	var reason string
	var permanent bool
	add := &cobra.Command{
		Use: "add TARGET", Short: "Ban an address, network or user", Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			t, err := parseTarget(args[0])
			if err != nil {
				return err
			}
			if duration < 0 {
				return usagef("--duration: must be positive, got %s", duration)
			}
			return withBook(c, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				b, err := book.Ban(ctx, blackbook.BanRequest{
					Target: t, Duration: duration, Reason: reason, Source: "cli", Permanent: permanent, Exact: true,
				})
				if errors.Is(err, blackbook.ErrAllowlisted) {
					return fmt.Errorf("%s is on the allowlist: remove it there first (bulwark.yaml blackbook.allowlist)", t)
				}
				if err != nil {
					return err
				}
				return printBans(out, []blackbook.Ban{b})
			})
		},
	}
	add.Flags().Var((*durationFlag)(&duration), "duration", `how long, e.g. 30m, 12h, 7d (default: blackbook.defaultDuration, 1h)`)
	add.Flags().StringVar(&reason, "reason", "", "why, for people reading the black book")
	add.Flags().BoolVar(&permanent, "permanent", false, "never expires")

	var why string
	remove := &cobra.Command{
		Use: "remove TARGET", Aliases: []string{"rm"}, Short: "Lift a ban", Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			t, err := parseTarget(args[0])
			if err != nil {
				return err
			}
			return withBook(c, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				b, err := book.Unban(ctx, t, orDefault(why, "removed with bulwark bans remove"))
				if errors.Is(err, blackbook.ErrNotBanned) {
					return fmt.Errorf("%s is not banned", t)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "lifted the ban of %s (%s)\n", b.Target, b.Reason)
				return nil
			})
		},
	}
	remove.Flags().StringVar(&why, "reason", "", "why the ban is lifted")

	export := &cobra.Command{
		Use: "export", Short: "Write the black book as JSON lines to stdout", Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			return withBook(c, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				return book.Export(ctx, out)
			})
		},
	}
	imp := &cobra.Command{
		Use: "import FILE", Short: "Merge JSON lines written by export (- for stdin); a bad line changes nothing", Args: exactArgs(1),
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
			return withBook(c, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				s, err := book.Import(ctx, in)
				if errors.Is(err, blackbook.ErrBadImport) {
					return usagef("%s: %v; nothing was imported", args[0], err)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "imported %d bans, %d offenders, %d allowlist entries\n", s.Bans, s.Offenders, s.Allow)
				return nil
			})
		},
	}
	cmd.AddCommand(list, show, add, remove, export, imp)
	return cmd
}

func parseTarget(s string) (blackbook.Target, error) {
	t, err := blackbook.ParseTarget(s)
	if err != nil {
		return t, usagef("%v: write an address (203.0.113.9), a network (203.0.113.0/24) or user:NAME", err)
	}
	return t, nil
}

func printBans(out io.Writer, bans []blackbook.Ban) error {
	if len(bans) == 0 {
		_, err := fmt.Fprintln(out, "no bans")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tEXPIRES\tSOURCE\tREASON")
	for _, b := range bans {
		expires := "never"
		switch {
		case !b.Lifted.IsZero():
			expires = "lifted " + b.Lifted.Local().Format(time.DateTime)
		case !b.Expires.IsZero():
			expires = b.Expires.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", b.Target, expires, b.Source, b.Reason)
	}
	return tw.Flush()
}

// durationFlag reads durations as bulwark.yaml does: "90s", "12h", "7d".
type durationFlag time.Duration

func (d *durationFlag) String() string { return config.FormatDuration(time.Duration(*d)) }
func (d *durationFlag) Type() string   { return "duration" }
func (d *durationFlag) Set(s string) error {
	v, err := config.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = durationFlag(v)
	return nil
}
