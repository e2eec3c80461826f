package watch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// netns makes a network namespace for the test, or skips (fails in CI)
// when the machine cannot.
func netns(t *testing.T) string {
	t.Helper()
	need := func(what string, ok bool) {
		if !ok {
			testutil.RealPartMissing(t, what+"; CI must provide it (see .ci/run)")
		}
	}
	need("running as root (network namespaces, nftables)", os.Geteuid() == 0)
	_, err := exec.LookPath("nft")
	need("nft (Debian package nftables)", err == nil)
	_, err = exec.LookPath("ip")
	need("ip (Debian package iproute2)", err == nil)
	b := make([]byte, 4)
	rand.Read(b)
	name := "bwt" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		need("ip netns add: "+strings.TrimSpace(string(out)), false)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	return name
}

func inNetns(ns string) Runner {
	return func(ctx context.Context, stdin, name string, args ...string) error {
		return ExecRunner(ctx, stdin, "ip", append([]string{"netns", "exec", ns, name}, args...)...)
	}
}

func nftList(t *testing.T, ns, table string) string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "nft", "list", "table", "inet", table).CombinedOutput()
	if err != nil {
		t.Fatalf("nft list: %v: %s", err, out)
	}
	return string(out)
}

func TestNFTReal(t *testing.T) {
	ns := netns(t)
	fw := &NFT{Table: "bwtest", Run: inNetns(ns)}
	ctx := context.Background()
	one := netip.MustParsePrefix("203.0.113.9/32")
	net := netip.MustParsePrefix("198.51.100.77/24")
	v6 := netip.MustParsePrefix("2001:db8::1/64")
	if err := fw.Sync(ctx, []Block{{Prefix: one, For: time.Hour}, {Prefix: v6}}); err != nil {
		t.Fatal(err)
	}
	if err := fw.Add(ctx, Block{Prefix: net, For: time.Minute}); err != nil {
		t.Fatal(err)
	}
	// Adding an entry already there gives it the new timeout.
	if err := fw.Add(ctx, Block{Prefix: one, For: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	got := nftList(t, ns, "bwtest")
	for _, want := range []string{"203.0.113.9 timeout 2h", "198.51.100.0/24 timeout 1m", "2001:db8::/64", "ip saddr @banned4 drop"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if err := fw.Remove(ctx, one); err != nil {
		t.Fatal(err)
	}
	if err := fw.Remove(ctx, one); err != nil {
		t.Errorf("removing an entry already gone: %v", err)
	}
	// A second Sync (a restart) replaces the table's content whole.
	if err := fw.Sync(ctx, []Block{{Prefix: net, For: time.Minute}}); err != nil {
		t.Fatal(err)
	}
	got = nftList(t, ns, "bwtest")
	if strings.Contains(got, "203.0.113.9") || strings.Contains(got, "2001:db8") || !strings.Contains(got, "198.51.100.0/24") {
		t.Errorf("after resync:\n%s", got)
	}
}

func TestNFTExpiresInTheKernel(t *testing.T) {
	ns := netns(t)
	fw := &NFT{Table: "bwtest", Run: inNetns(ns)}
	// The 3s entry is checked to be in the kernel before it expires; the
	// 1h one stays, so its absence would be a table emptied, not expiry.
	if err := fw.Sync(context.Background(), []Block{
		{Prefix: netip.MustParsePrefix("203.0.113.9/32"), For: 3 * time.Second},
		{Prefix: netip.MustParsePrefix("203.0.113.10/32"), For: time.Hour},
	}); err != nil {
		t.Fatal(err)
	}
	list := nftList(t, ns, "bwtest")
	if !strings.Contains(list, "203.0.113.9 timeout 3s") || !strings.Contains(list, "203.0.113.10 timeout 1h") {
		t.Fatalf("after Sync, the set does not hold both entries with their timeouts:\n%s", list)
	}
	testutil.Eventually(t, "203.0.113.9 expired from the kernel's set", func() bool {
		return !strings.Contains(nftList(t, ns, "bwtest"), "203.0.113.9 ")
	})
	if list := nftList(t, ns, "bwtest"); !strings.Contains(list, "203.0.113.10 timeout 1h") {
		t.Errorf("the 1h entry is gone with the 3s one:\n%s", list)
	}
}

// recordingFW remembers what Enforce asked for.
type recordingFW struct{ calls []string }

func (r *recordingFW) Sync(_ context.Context, bs []Block) error {
	r.calls = append(r.calls, "sync "+strings.Trim(strings.Join(prefixes(bs), " "), " "))
	return nil
}
func (r *recordingFW) Add(_ context.Context, b Block) error {
	r.calls = append(r.calls, "add "+b.Prefix.String())
	return nil
}
func (r *recordingFW) Remove(_ context.Context, p netip.Prefix) error {
	r.calls = append(r.calls, "remove "+p.String())
	return nil
}

func prefixes(bs []Block) []string {
	var s []string
	for _, b := range bs {
		s = append(s, b.Prefix.String())
	}
	return s
}

func TestEnforceAppliesDifferences(t *testing.T) {
	a, b := netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("192.0.2.2/32")
	rounds := [][]Block{{{Prefix: a}}, {{Prefix: a}, {Prefix: b}}, {{Prefix: b}}}
	fw := &recordingFW{}
	ctx, cancel := context.WithCancel(context.Background())
	poke := make(chan struct{})
	n := 0
	list := func(context.Context) ([]Block, error) {
		bs := rounds[min(n, len(rounds)-1)]
		n++
		if n == len(rounds) {
			cancel()
		}
		return bs, nil
	}
	done := make(chan struct{})
	go func() { Enforce(ctx, fw, list, time.Hour, poke, nil); close(done) }()
	for range len(rounds) - 1 {
		select {
		case poke <- struct{}{}:
		case <-done:
		}
	}
	<-done
	want := "sync 192.0.2.1/32,add 192.0.2.2/32,remove 192.0.2.1/32"
	if got := strings.Join(fw.calls, ","); got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
}

// A ban extended (or made permanent) while in force replaces the one the
// kernel holds: the entry must be added again with the new timeout, or the
// kernel lets the address back in at the old time.
func TestEnforceReaddsExtendedBans(t *testing.T) {
	a := netip.MustParsePrefix("192.0.2.1/32")
	rounds := [][]Block{
		{{Prefix: a, For: time.Minute}},
		{{Prefix: a, For: time.Minute}}, // unchanged: nothing to do
		{{Prefix: a, For: time.Hour}},   // extended
		{{Prefix: a}},                   // made permanent
		{{Prefix: a}},
	}
	fw := &recordingFW{}
	ctx, cancel := context.WithCancel(context.Background())
	poke := make(chan struct{})
	n := 0
	start := time.Now()
	list := func(context.Context) ([]Block, error) {
		bs := rounds[min(n, len(rounds)-1)]
		n++
		if n == len(rounds) {
			cancel()
		}
		// The remaining time shrinks as the rounds go by, as the store's does.
		out := make([]Block, len(bs))
		for i, b := range bs {
			out[i] = b
			if b.For > 0 {
				out[i].For -= time.Since(start)
			}
		}
		return out, nil
	}
	done := make(chan struct{})
	go func() { Enforce(ctx, fw, list, time.Hour, poke, nil); close(done) }()
	for range len(rounds) - 1 {
		select {
		case poke <- struct{}{}:
		case <-done:
		}
	}
	<-done
	want := "sync 192.0.2.1/32,add 192.0.2.1/32,add 192.0.2.1/32"
	if got := strings.Join(fw.calls, ","); got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
}

// The table name is written into nft scripts: one that is not a plain name
// is refused before any command runs.
func TestNewFirewallRefusesBadTable(t *testing.T) {
	ran := false
	run := func(context.Context, string, string, ...string) error { ran = true; return nil }
	for _, backend := range []string{"nftables", "iptables"} {
		fw, err := NewFirewall(FirewallConfig{Backend: backend, Table: "x { }\nflush ruleset\n"}, run)
		if err == nil {
			t.Errorf("NewFirewall(%s, bad table) = %T, want an error", backend, fw)
		}
	}
	if ran {
		t.Error("a command ran")
	}
}
