package watch

import (
	"bufio"
	"net/netip"
	"os"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func parseAll(t *testing.T, p Parser, lines []string) []Attempt {
	t.Helper()
	var got []Attempt
	for _, l := range lines {
		if a, ok := p.Parse(l); ok {
			got = append(got, a)
		}
	}
	return got
}

func readLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	return lines
}

var loopback = netip.MustParseAddr("127.0.0.1")

// TestSSHRealLog reads what a real sshd wrote (testdata/SOURCE.md): three
// wrong passwords, one for a user that does not exist, a success, and a key
// the server refused — five failures, each counted once.
func TestSSHRealLog(t *testing.T) {
	got := parseAll(t, &SSH{}, readLines(t, "testdata/openssh.log"))
	want := []Attempt{
		{ActionFailure, loopback, "sshtest", "password"},
		{ActionFailure, loopback, "sshtest", "password"},
		{ActionFailure, loopback, "nosuchuser", "invalid-user"},
		{ActionSuccess, loopback, "sshtest", "password"},
		{ActionFailure, loopback, "sshtest", "closed-preauth"},
		{ActionFailure, loopback, "sshtest", "password"},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
}

// TestSSHHeaders: the message is found whatever the header before it.
func TestSSHHeaders(t *testing.T) {
	ip := netip.MustParseAddr("203.0.113.9")
	for _, line := range []string{
		"Nov 30 15:04:05 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 52311 ssh2",
		"2026-11-30T15:04:05.123456+00:00 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 52311 ssh2",
		"Failed password for root from 203.0.113.9 port 52311 ssh2",
		"<38>1 2026-11-30T15:04:05Z web1 sshd 4242 - - Failed password for root from 203.0.113.9 port 52311 ssh2",
	} {
		a, ok := (&SSH{}).Parse(line)
		if !ok || a.Action != ActionFailure || a.IP != ip || a.User != "root" {
			t.Errorf("Parse(%q) = %+v, %v; want a failure for root from %v", line, a, ok, ip)
		}
	}
}

func TestSSHMessages(t *testing.T) {
	ip := netip.MustParseAddr("2001:db8::7")
	tests := []struct {
		name  string
		lines []string
		want  []Attempt
	}{
		{"invalid user then its password counts once, later tries count", []string{
			"Invalid user admin from 2001:db8::7 port 40000",
			"Failed password for invalid user admin from 2001:db8::7 port 40000 ssh2",
			"Failed password for invalid user admin from 2001:db8::7 port 40000 ssh2",
			"Connection closed by invalid user admin 2001:db8::7 port 40000 [preauth]",
		}, []Attempt{
			{ActionFailure, ip, "admin", "invalid-user"},
			{ActionFailure, ip, "admin", "password"},
		}},
		{"a refused key of a real user is not a failure", []string{
			"Failed publickey for alice from 2001:db8::7 port 40001 ssh2: ED25519 SHA256:abc",
			"Accepted publickey for alice from 2001:db8::7 port 40001 ssh2: ED25519 SHA256:def",
		}, []Attempt{
			{ActionKeyProbe, ip, "alice", "publickey"},
			{ActionSuccess, ip, "alice", "publickey"},
		}},
		{"max auth tries is a summary", []string{
			"error: maximum authentication attempts exceeded for root from 2001:db8::7 port 40002 ssh2 [preauth]",
		}, []Attempt{{ActionExceeded, ip, "root", "max-auth-tries"}}},
		{"user names with spaces", []string{
			"Invalid user a b from 2001:db8::7 port 40003",
		}, []Attempt{{ActionFailure, ip, "a b", "invalid-user"}}},
		{"a name that looks like the message cannot forge the address", []string{
			"Invalid user x from 10.0.0.1 port 1 from 2001:db8::7 port 40004",
		}, []Attempt{{ActionFailure, ip, "x from 10.0.0.1 port 1", "invalid-user"}}},
		{"a name holding another message cannot forge the address or a success", []string{
			"Invalid user Accepted password for root from 10.0.0.1 port 1 from 2001:db8::7 port 40006",
			"Connection closed by invalid user Failed password for root from 10.0.0.1 port 22 2001:db8::7 port 40007 [preauth]",
			"Connection closed by invalid user x 10.0.0.1 port 22 2001:db8::7 port 40008 [preauth]",
		}, []Attempt{
			{ActionFailure, ip, "Accepted password for root from 10.0.0.1 port 1", "invalid-user"},
			{ActionFailure, ip, "Failed password for root from 10.0.0.1 port 22", "closed-preauth"},
			{ActionFailure, ip, "x 10.0.0.1 port 22", "closed-preauth"},
		}},
		{"noise", []string{
			"Server listening on 0.0.0.0 port 22.",
			"Received disconnect from 2001:db8::7 port 40005:11: disconnected by user",
			"Failed password for root from not-an-ip port 1 ssh2",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseAll(t, &SSH{}, tt.lines)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSSHRemembersBoundedConnections(t *testing.T) {
	p := &SSH{}
	for i := range maxConns * 3 {
		p.Parse("Failed password for root from 203.0.113.9 port " + strconv.Itoa(i) + " ssh2")
	}
	if len(p.counted) > maxConns || len(p.order) > maxConns {
		t.Errorf("remembers %d connections, want at most %d", len(p.counted), maxConns)
	}
}

func FuzzSSH(f *testing.F) {
	for _, l := range []string{
		"Failed password for invalid user admin from 2001:db8::7 port 40000 ssh2",
		"Connection closed by authenticating user sshtest 127.0.0.1 port 60686 [preauth]",
		"Invalid user  from 1.2.3.4",
		"Accepted publickey for  from  port",
		"Connection closed by invalid user Failed password for root from 10.0.0.1 port 22 2001:db8::7 port 40007 [preauth]",
	} {
		f.Add(l)
	}
	p := &SSH{}
	f.Fuzz(func(t *testing.T, line string) {
		a, ok := p.Parse(line)
		if ok && !a.IP.IsValid() {
			t.Errorf("Parse(%q) gave an attempt without an address", line)
		}
	})
}
