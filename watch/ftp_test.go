package watch

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var addrEqual = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func TestVSFTPDRealLog(t *testing.T) {
	got := parseAll(t, VSFTPD{}, readLines(t, "testdata/vsftpd.log"))
	want := []Attempt{
		{ActionFailure, loopback, "sshtest", "password"},
		{ActionFailure, loopback, "nosuch", "password"},
		{ActionSuccess, loopback, "sshtest", "password"},
	}
	if diff := cmp.Diff(want, got, addrEqual); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	a, ok := VSFTPD{}.Parse(`Sat Nov 30 15:04:05 2026 [pid 1234] [alice] FAIL LOGIN: Client "::ffff:203.0.113.9"`)
	if !ok || a.IP != netip.MustParseAddr("203.0.113.9") {
		t.Errorf("IPv4-mapped client = %v, %v; want 203.0.113.9", a.IP, ok)
	}
	// A user name that holds a verdict neither hides the failure nor
	// names another address.
	forged := `Sat Nov 30 15:04:05 2026 [pid 1234] [x] FAIL LOGIN: Client "10.0.0.1] FAIL LOGIN: Client "203.0.113.9"`
	if a, ok := (VSFTPD{}).Parse(forged); !ok || a.Action != ActionFailure || a.IP != netip.MustParseAddr("203.0.113.9") {
		t.Errorf("Parse(%q) = %+v, %v; want a failure from 203.0.113.9", forged, a, ok)
	}
}

func TestProFTPDRealLog(t *testing.T) {
	lines := append(readLines(t, "testdata/proftpd.log"),
		"Nov 30 15:04:05 ftp proftpd[1234]: ftp.example.com (203.0.113.9[203.0.113.9]) - USER alice: Login successful.",
		"Nov 30 15:04:05 ftp proftpd[1234]: ftp.example.com (203.0.113.9[203.0.113.9]) - FTP session opened.",
	)
	got := parseAll(t, ProFTPD{}, lines)
	want := []Attempt{
		{ActionFailure, loopback, "sshtest", "password"},
		{ActionFailure, loopback, "nosuch", "invalid-user"},
		{ActionSuccess, netip.MustParseAddr("203.0.113.9"), "alice", "password"},
	}
	if diff := cmp.Diff(want, got, addrEqual); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGeneric(t *testing.T) {
	g, err := NewGeneric(`auth failed for (?P<user>\S+) from (?P<ip>\S+)`, `welcome (?P<user>\S+) from (?P<ip>\S+)`)
	if err != nil {
		t.Fatal(err)
	}
	got := parseAll(t, g, []string{
		"app: auth failed for bob from 198.51.100.4",
		"app: welcome bob from 198.51.100.4",
		"app: auth failed for bob from nowhere",
	})
	ip := netip.MustParseAddr("198.51.100.4")
	want := []Attempt{{ActionFailure, ip, "bob", "pattern"}, {ActionSuccess, ip, "bob", "pattern"}}
	if diff := cmp.Diff(want, got, addrEqual); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "fail from (\\S+)", "(?P<ip>"} {
		if _, err := NewGeneric(bad, ""); err == nil {
			t.Errorf("NewGeneric(%q) accepted a pattern it cannot use", bad)
		}
	}
}

func FuzzFTP(f *testing.F) {
	for _, l := range []string{
		`Mon Nov 30 16:06:02 2026 [pid 20841] [nosuch] FAIL LOGIN: Client "127.0.0.1"`,
		"2026-11-30 16:05:40,289 vm proftpd[18953] localhost (localhost[127.0.0.1]): USER sshtest (Login failed): Incorrect password",
		`[] OK LOGIN: Client "`, " (]) - USER ",
	} {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, p := range []Parser{VSFTPD{}, ProFTPD{}} {
			if a, ok := p.Parse(line); ok && !a.IP.IsValid() {
				t.Errorf("%T.Parse(%q) gave an attempt without an address", p, line)
			}
		}
	})
}
