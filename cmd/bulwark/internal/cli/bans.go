package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
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

	// withBook opens the black book of the configured store for one
	// command. A read-only command (readOnly not nil) finds no store
	// without creating one: it calls readOnly instead.
	withBook := func(c *cobra.Command, readOnly func(out io.Writer, path string) error,
		f func(ctx context.Context, book *blackbook.Book, out io.Writer) error) error {
		cfg, err := loadConfig(configPath)
		if err != nil {
			return err
		}
		cfg = cfg.withDefaults()
		if readOnly != nil && !cfg.storeExists() {
			if cfg.stateErr != nil {
				return usageError{cfg.stateErr}
			}
			return readOnly(c.OutOrStdout(), absPath(cfg.Store.Path))
		}
		// Warnings about the store (Redis away, a file made private) go
		// to stderr; the result alone goes to stdout.
		if err := cfg.prepareStore(); err != nil {
			return err
		}
		// The result alone goes to stdout; warnings about the store (Redis
		// away, a file made private) go to stderr, but not the book's own
		// line for a ban made here, which is the result.
		log := slog.New(dropMessages(slog.NewTextHandler(c.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}), "ban"))
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
			emit := func(out io.Writer, bans []blackbook.Ban) error {
				if asJSON {
					return writeJSON(out, orEmpty(bans))
				}
				return printBans(out, bans, paletteFor(c, out))
			}
			return withBook(c, func(out io.Writer, _ string) error { return emit(out, nil) },
				func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
					bans, err := book.List(ctx, blackbook.Filter{Active: !all, Limit: 100000})
					if err != nil {
						return err
					}
					return emit(out, bans)
				})
		},
	}
	list.Flags().BoolVar(&all, "all", false, "include lifted and expired bans")
	list.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")

	var showJSON bool

	show := &cobra.Command{
		Use: "show TARGET", Short: "Show a target's ban, history and offences", Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			t, err := parseTarget(args[0])
			if err != nil {
				return err
			}
			unknown := func(out io.Writer, path string) error {
				return fmt.Errorf("the black book knows nothing of %s (no store at %s yet)", t, path)
			}
			return withBook(c, unknown, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				d, err := book.Show(ctx, t)
				if errors.Is(err, blackbook.ErrNotFound) {
					return fmt.Errorf("the black book knows nothing of %s", t)
				}
				if err != nil {
					return err
				}
				if showJSON {
					if d.History == nil {
						d.History = []blackbook.Ban{}
					}
					return writeJSON(out, d)
				}
				return printDossier(out, d, time.Now(), paletteFor(c, out))
			})
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")

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
			return withBook(c, nil, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
				b, err := book.Ban(ctx, blackbook.BanRequest{
					Target: t, Duration: duration, Reason: reason, Source: "cli", Permanent: permanent, Exact: true,
				})
				if errors.Is(err, blackbook.ErrAllowlisted) {
					return fmt.Errorf("%s is on the allowlist: remove it there first (bulwark.yaml blackbook.allowlist)", t)
				}
				if err != nil {
					return err
				}
				return printBans(out, []blackbook.Ban{b}, paletteFor(c, out))
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
			notBanned := func(io.Writer, string) error { return fmt.Errorf("%s is not banned", t) }
			return withBook(c, notBanned, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
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
			nothing := func(io.Writer, string) error { return nil }
			return withBook(c, nothing, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
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
				if errors.Is(err, os.ErrNotExist) {
					return usagef("nothing to import: no file at %s", absPath(args[0]))
				}
				if err != nil {
					return usageError{err}
				}
				defer f.Close()
				in = f
			}
			return withBook(c, nil, func(ctx context.Context, book *blackbook.Book, out io.Writer) error {
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

func printBans(out io.Writer, bans []blackbook.Ban, p palette) error {
	if len(bans) == 0 {
		_, err := fmt.Fprintln(out, "no bans")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, p.bold("TARGET")+"\t"+p.bold("EXPIRES")+"\t"+p.bold("SOURCE")+"\t"+p.bold("REASON"))
	for _, b := range bans {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.red(b.Target.String()), banExpiry(b, p), p.plain(b.Source), b.Reason)
	}
	return tw.Flush()
}

// banExpiry says when b ends: "never", a local time, or "lifted TIME".
func banExpiry(b blackbook.Ban, p palette) string {
	switch {
	case !b.Lifted.IsZero():
		return p.dim("lifted " + b.Lifted.Local().Format(time.DateTime))
	case !b.Expires.IsZero():
		return p.plain(b.Expires.Local().Format(time.DateTime))
	}
	return p.plain("never")
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

// dropMessages wraps h, leaving out the records with one of msgs.
func dropMessages(h slog.Handler, msgs ...string) slog.Handler {
	return messageFilter{h, msgs}
}

type messageFilter struct {
	slog.Handler
	drop []string
}

func (f messageFilter) Handle(ctx context.Context, r slog.Record) error {
	if slices.Contains(f.drop, r.Message) {
		return nil
	}
	return f.Handler.Handle(ctx, r)
}

func (f messageFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return messageFilter{f.Handler.WithAttrs(as), f.drop}
}

func (f messageFilter) WithGroup(name string) slog.Handler {
	return messageFilter{f.Handler.WithGroup(name), f.drop}
}
