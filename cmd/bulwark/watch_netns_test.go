package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestWatchBansSSHBruteForceAtFirewall runs Debian's sshd in a network
// namespace with its log in a file, and bulwark watch beside it. From the
// other end of a veth pair, sshpass tries wrong passwords: after the
// configured four failures the client is banned, its next connection is
// dropped by the nftables rule, and bulwark bans remove lets it in again.
func TestWatchBansSSHBruteForceAtFirewall(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real sshd and firewall (runs in CI)")
	}
	for _, tool := range []string{"ip", "nft", "sshpass", "ssh", "/usr/sbin/sshd", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			testutil.RealPartMissing(t, tool+" is not installed (Debian packages iproute2, nftables, sshpass, openssh-server)")
		}
	}
	if os.Geteuid() != 0 {
		testutil.RealPartMissing(t, "network namespaces need root")
	}
	bin := buildBulwark(t)
	dir := t.TempDir()
	ns, client, server := veth(t)

	// sshd, in the namespace, logging to a file.
	run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, "hostkey"))
	os.MkdirAll("/run/sshd", 0o755)
	authLog := filepath.Join(dir, "auth.log")
	os.WriteFile(authLog, nil, 0o600)
	sshdConfig := filepath.Join(dir, "sshd_config")
	os.WriteFile(sshdConfig, []byte(fmt.Sprintf(`ListenAddress %s
Port 22
HostKey %s
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PidFile %s
`, server, filepath.Join(dir, "hostkey"), filepath.Join(dir, "sshd.pid"))), 0o600)
	background(t, "ip", "netns", "exec", ns, "/usr/sbin/sshd", "-D", "-f", sshdConfig, "-E", authLog)

	// bulwark watch, in the namespace too: the firewall it writes is the
	// server's.
	store := filepath.Join(dir, "bulwark.db")
	cfg := filepath.Join(dir, "bulwark.yaml")
	events := filepath.Join(dir, "events.jsonl")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`store: {path: %s}
events: {output: %s}
watch:
  sources: [{path: %s, preset: ssh}]
  firewall: {backend: nftables, table: bwtest}
scenarios:
  scenarios:
    login-ip: {capacity: 4, banDuration: 10m}
`, store, events, authLog)), 0o600)
	background(t, "ip", "netns", "exec", ns, bin, "watch", "--config", cfg)

	testutil.Eventually(t, "sshd to listen", func() bool { return reachable(server) })
	for i := range 4 {
		if !reachable(server) {
			t.Fatalf("banned after %d failed logins; the threshold is 4", i)
		}
		// One wrong password per connection, as a brute-force tool does.
		exec.Command("sshpass", "-p", fmt.Sprintf("wrong-%d", i), "ssh", "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1",
			"-o", "ConnectTimeout=5", "admin@"+server, "true").Run()
	}
	testutil.Eventually(t, "the client to be dropped at the firewall", func() bool { return !reachable(server) })

	data, _ := os.ReadFile(events)
	if n := strings.Count(string(data), `"action":"login-failure"`); n != 4 {
		t.Errorf("events hold %d login failures, want 4 (one per attempt):\n%s", n, data)
	}
	list := run(t, bin, "bans", "list", "--config", cfg)
	if !strings.Contains(list, client) || !strings.Contains(list, "watch:login-ip") {
		t.Errorf("bans list does not show %s banned by watch:login-ip:\n%s", client, list)
	}
	table := run(t, "ip", "netns", "exec", ns, "nft", "list", "table", "inet", "bwtest")
	if !strings.Contains(table, client) {
		t.Errorf("the nftables set lacks %s:\n%s", client, table)
	}

	run(t, bin, "bans", "remove", client, "--config", cfg, "--reason", "test")
	testutil.Eventually(t, "the client to be let in after bans remove", func() bool { return reachable(server) })
}

// veth makes a namespace joined to this one by a veth pair, and returns the
// namespace and the addresses of this end and the namespace's.
func veth(t *testing.T) (ns, here, there string) {
	t.Helper()
	b := make([]byte, 3)
	rand.Read(b)
	id := hex.EncodeToString(b)
	ns = "bw" + id
	here = fmt.Sprintf("10.%d.%d.1", 200+int(b[0])%50, b[1])
	there = strings.TrimSuffix(here, ".1") + ".2"
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		testutil.RealPartMissing(t, "ip netns add refused: "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	a, z := "bwa"+id, "bwz"+id
	for _, args := range [][]string{
		{"link", "add", a, "type", "veth", "peer", "name", z},
		{"link", "set", z, "netns", ns},
		{"addr", "add", here + "/30", "dev", a},
		{"link", "set", a, "up"},
		{"-n", ns, "addr", "add", there + "/30", "dev", z},
		{"-n", ns, "link", "set", z, "up"},
		{"-n", ns, "link", "set", "lo", "up"},
	} {
		run(t, "ip", args...)
	}
	t.Cleanup(func() { exec.Command("ip", "link", "del", a).Run() })
	return ns, here, there
}

// reachable reports whether a TCP connection to port 22 opens within a second.
func reachable(host string) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, "22"), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// background starts a command that the test stops at its end.
func background(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if testing.Verbose() {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
}
