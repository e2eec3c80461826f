package watch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// FirewallConfig applies bans at the host's firewall, so a banned address
// cannot even open a connection to sshd or the FTP server.
type FirewallConfig struct {
	// Backend is "nftables", "iptables" (iptables + ipset), "auto" (nftables
	// where nft is installed, else iptables), or "none". If empty, "none".
	Backend string `yaml:"backend"`
	// Table is the nftables table (family inet) or the ipset name prefix
	// Bulwark owns and rewrites. If empty, "bulwark".
	Table string `yaml:"table"`
	// Scope chooses the bans applied: "watch" (bans of addresses that failed
	// to log in to a watched service) or "all" (every black book ban). If
	// empty, "watch".
	Scope string `yaml:"scope"`
	// DryRun prints the commands instead of running them.
	DryRun bool `yaml:"dryRun"`
}

func (c FirewallConfig) Validate() error {
	switch c.Backend {
	case "", "none", "nftables", "iptables", "auto":
	default:
		return config.Field("backend", fmt.Errorf("unknown backend %q: one of nftables, iptables, auto, none", c.Backend))
	}
	switch c.Scope {
	case "", "watch", "all":
	default:
		return config.Field("scope", fmt.Errorf("unknown scope %q: watch or all", c.Scope))
	}
	if c.Table != "" && !validName(c.Table) {
		return config.Field("table", fmt.Errorf("%q: use letters, digits, _ and -, at most 24", c.Table))
	}
	return nil
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > 24 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// A Block is one banned network at the firewall, with its remaining time
// (zero: until removed).
type Block struct {
	Prefix netip.Prefix
	For    time.Duration
}

// A Firewall drops packets from banned addresses. Entries carry their own
// timeout in the kernel, so a ban expires even while Bulwark is down.
type Firewall interface {
	// Sync makes the firewall hold exactly blocks (at start, from the store).
	Sync(ctx context.Context, blocks []Block) error
	Add(ctx context.Context, b Block) error
	Remove(ctx context.Context, p netip.Prefix) error
}

// A Runner runs a command with stdin; DryRun and tests replace it.
type Runner func(ctx context.Context, stdin string, name string, args ...string) error

// ExecRunner runs commands for real, with their stderr in the error.
func ExecRunner(ctx context.Context, stdin, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// PrintRunner writes the commands to w instead of running them (--dry-run).
func PrintRunner(w io.Writer) Runner {
	return func(_ context.Context, stdin, name string, args ...string) error {
		fmt.Fprintln(w, name, strings.Join(args, " "))
		if stdin != "" {
			fmt.Fprint(w, stdin)
		}
		return nil
	}
}

// NewFirewall returns the configured backend; nil for "none". The table
// name goes into nft scripts and ipset commands, so c is validated here
// too.
func NewFirewall(c FirewallConfig, run Runner) (Firewall, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("firewall: %w", err)
	}
	table := c.Table
	if table == "" {
		table = "bulwark"
	}
	backend := c.Backend
	if backend == "auto" {
		backend = "iptables"
		if _, err := exec.LookPath("nft"); err == nil {
			backend = "nftables"
		}
	}
	switch backend {
	case "", "none":
		return nil, nil
	case "nftables":
		return &NFT{Table: table, Run: run}, nil
	case "iptables":
		return &IPSet{Name: table, Run: run}, nil
	}
	return nil, errors.New("unknown firewall backend " + strconv.Quote(backend))
}

// seconds is a timeout in whole seconds, at least 1.
func seconds(d time.Duration) int64 {
	return max(int64((d+time.Second-1)/time.Second), 1)
}
