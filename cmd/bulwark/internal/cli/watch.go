package cli

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/blackbook/scenario"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/watch"
)

func newWatch() *cobra.Command {
	var configPath string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Follow SSH and FTP login logs, ban brute-forcers, and drop them at the firewall",
		Long: `Follow the server's own login logs (sections watch.sources of bulwark.yaml:
OpenSSH, vsftpd, ProFTPD, or any log a regular expression reads), across
rotations, from files or the systemd journal. Every login attempt becomes an
event; the same scenarios that guard the web app (failed logins per address,
per user and address, slow attacks over a day) ban offenders in the same black
book, with the same escalation for repeat offenders.

With watch.firewall.backend set, bans are applied at the firewall in an
nftables table of Bulwark's own (or ipset + iptables), each entry with its own
timeout, so a ban expires even if Bulwark is down; the table is rebuilt from
the black book at start. --dry-run prints the firewall commands instead.`,
		Example: `  bulwark watch --config bulwark.yaml
  bulwark watch --config bulwark.yaml --dry-run`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			if len(cfg.Watch.Sources) == 0 {
				return usagef("no watch.sources in %s: add one, e.g. {path: /var/log/auth.log, preset: ssh}", orDefault(configPath, "the configuration"))
			}
			if dryRun {
				cfg.Watch.Firewall.DryRun = true
			}
			return runWatch(cmd.Context(), cfg.withDefaults(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the firewall commands instead of running them")
	return cmd
}

func runWatch(ctx context.Context, cfg fileConfig, stdout, stderr io.Writer) error {
	log := logFor(stderr, isTTY(stderr))
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := cfg.prepareStore(); err != nil {
		return err
	}
	bus := event.NewBus(nil)
	st, err := openState(ctx, cfg, bus.Publish, log)
	if err != nil {
		return err
	}
	outs, err := openOutputs(ctx, cfg, st, bus, nil, "watch", stdout, stderr, log)
	if err != nil {
		st.Close()
		return err
	}
	var scenarios *scenario.Engine
	defer func() {
		bus.Close()
		if scenarios != nil {
			scenarios.Close()
		}
		outs.Close()
		st.Close()
	}()
	if scenarios, err = st.startScenarios(cfg.Scenarios, bus, "watch:", log); err != nil {
		return usageError{err}
	}
	// bulwark status --watch reads it; subscribed before the sources are
	// read, so it counts their first lines too.
	defer publishWatchStatus(cfg.Watch, bus, log)()
	done, err := startWatch(ctx, cfg.Watch, st, bus, log, stdout)
	if err != nil {
		return err
	}
	log.LogAttrs(ctx, slog.LevelInfo, "watching", slog.Int("sources", len(cfg.Watch.Sources)),
		slog.String("firewall", orDefault(cfg.Watch.Firewall.Backend, "none")))
	<-ctx.Done()
	return <-done
}

// startWatch follows the sources and, with a firewall, keeps it equal to the
// black book's bans. The returned channel gives Run's result once ctx ends
// and both have stopped: the caller may then close the store.
func startWatch(ctx context.Context, cfg watch.Config, st *state, bus *event.Bus, log *slog.Logger, dryOut io.Writer) (<-chan error, error) {
	w, err := watch.New(cfg, watch.Options{DB: st.db, Publish: bus.Publish, Logger: log})
	if err != nil {
		return nil, usageError{err}
	}
	run := watch.Runner(watch.ExecRunner)
	if cfg.Firewall.DryRun {
		run = watch.PrintRunner(&syncWriter{w: dryOut})
	}
	fw, err := watch.NewFirewall(cfg.Firewall, run)
	if err != nil {
		return nil, usageError{err}
	}
	var enforcer sync.WaitGroup
	if fw != nil {
		poke := make(chan struct{}, 1)
		bus.Subscribe("firewall", 0, func(e event.Event) {
			if e.Action == "ban" || e.Action == "unban" {
				select {
				case poke <- struct{}{}:
				default:
				}
			}
		})
		prefix := "watch:"
		if cfg.Firewall.Scope == "all" {
			prefix = ""
		}
		enforcer.Go(func() {
			watch.Enforce(ctx, fw, func(ctx context.Context) ([]watch.Block, error) {
				return firewallBlocks(ctx, st.book, prefix)
			}, 2*time.Second, poke, log)
		})
	}
	done := make(chan error, 1)
	go func() {
		err := w.Run(ctx)
		enforcer.Wait()
		done <- err
	}()
	return done, nil
}

// firewallBlocks lists the address bans in force whose source starts with
// prefix, with their remaining time.
func firewallBlocks(ctx context.Context, book *blackbook.Book, prefix string) ([]watch.Block, error) {
	bans, err := book.List(ctx, blackbook.Filter{Active: true, Limit: 100000})
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var blocks []watch.Block
	for _, b := range bans {
		p := b.Target.Prefix()
		if !p.IsValid() || !strings.HasPrefix(b.Source, prefix) {
			continue
		}
		var left time.Duration
		if !b.Expires.IsZero() {
			if left = b.Expires.Sub(now); left <= 0 {
				continue
			}
		}
		blocks = append(blocks, watch.Block{Prefix: netip.PrefixFrom(p.Addr(), p.Bits()), For: left})
	}
	return blocks, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
