package watch

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
)

// NFT keeps bans in an nftables table of its own (family inet): two sets
// with timeouts and intervals, and an input chain that drops their members
// ahead of the host's own rules. Nothing outside the table is touched.
type NFT struct {
	Table string
	Run   Runner
}

var _ Firewall = (*NFT)(nil)

// Sync recreates the table, its sets and chain, and loads blocks, in one
// atomic nft transaction.
func (n *NFT) Sync(ctx context.Context, blocks []Block) error {
	var b strings.Builder
	// "add table" then "delete table" makes the delete succeed whether or
	// not the table existed; both run in the same transaction.
	fmt.Fprintf(&b, "add table inet %s\ndelete table inet %s\n", n.Table, n.Table)
	fmt.Fprintf(&b, `table inet %s {
	set banned4 { type ipv4_addr; flags interval, timeout; }
	set banned6 { type ipv6_addr; flags interval, timeout; }
	chain input {
		type filter hook input priority filter - 10; policy accept;
		ip saddr @banned4 drop
		ip6 saddr @banned6 drop
	}
}
`, n.Table)
	for _, bl := range blocks {
		b.WriteString(n.element("add", bl))
	}
	return n.Run(ctx, b.String(), "nft", "-f", "-")
}

// Add puts bl in its set with bl's timeout, replacing an entry already
// there: on older kernels "add" alone leaves an existing element's timeout
// as it was, so the element is added, deleted and added again in one
// transaction.
func (n *NFT) Add(ctx context.Context, bl Block) error {
	bare := Block{Prefix: bl.Prefix}
	return n.Run(ctx, n.element("add", bare)+n.element("delete", bare)+n.element("add", bl), "nft", "-f", "-")
}

// Remove deletes p; an entry the kernel already timed out is not an error.
func (n *NFT) Remove(ctx context.Context, p netip.Prefix) error {
	err := n.Run(ctx, fmt.Sprintf("delete element inet %s %s { %s }\n", n.Table, setOf(p), p.Masked()), "nft", "-f", "-")
	if err != nil && (strings.Contains(err.Error(), "element does not exist") || strings.Contains(err.Error(), "No such file or directory")) {
		return nil
	}
	return err
}

func (n *NFT) element(verb string, bl Block) string {
	timeout := ""
	if bl.For > 0 {
		timeout = fmt.Sprintf(" timeout %ds", seconds(bl.For))
	}
	return fmt.Sprintf("%s element inet %s %s { %s%s }\n", verb, n.Table, setOf(bl.Prefix), bl.Prefix.Masked(), timeout)
}

func setOf(p netip.Prefix) string {
	if p.Addr().Is4() {
		return "banned4"
	}
	return "banned6"
}

// IPSet is the fallback where nft is missing: ipset sets with timeouts,
// matched by one iptables and one ip6tables rule each.
type IPSet struct {
	Name string
	Run  Runner
}

var _ Firewall = (*IPSet)(nil)

func (s *IPSet) Sync(ctx context.Context, blocks []Block) error {
	var b strings.Builder
	for _, fam := range []struct{ set, family string }{{s.Name + "4", "inet"}, {s.Name + "6", "inet6"}} {
		fmt.Fprintf(&b, "create %s hash:net family %s timeout 0 -exist\nflush %s\n", fam.set, fam.family, fam.set)
	}
	for _, bl := range blocks {
		b.WriteString(s.entry(bl))
	}
	if err := s.Run(ctx, b.String(), "ipset", "restore"); err != nil {
		return err
	}
	for _, r := range []struct{ cmd, set string }{{"iptables", s.Name + "4"}, {"ip6tables", s.Name + "6"}} {
		rule := []string{"INPUT", "-m", "set", "--match-set", r.set, "src", "-j", "DROP"}
		// -C checks for the rule; insert it only when missing.
		if s.Run(ctx, "", r.cmd, append([]string{"-C"}, rule...)...) != nil {
			if err := s.Run(ctx, "", r.cmd, append([]string{"-I"}, rule...)...); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *IPSet) Add(ctx context.Context, bl Block) error {
	return s.Run(ctx, s.entry(bl), "ipset", "restore", "-exist")
}

func (s *IPSet) Remove(ctx context.Context, p netip.Prefix) error {
	return s.Run(ctx, "", "ipset", "-exist", "del", s.set(p), p.Masked().String())
}

func (s *IPSet) entry(bl Block) string {
	t := int64(0) // 0: no timeout
	if bl.For > 0 {
		t = seconds(bl.For)
	}
	return fmt.Sprintf("add %s %s timeout %d -exist\n", s.set(bl.Prefix), bl.Prefix.Masked(), t)
}

func (s *IPSet) set(p netip.Prefix) string {
	if p.Addr().Is4() {
		return s.Name + "4"
	}
	return s.Name + "6"
}
