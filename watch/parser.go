package watch

import (
	"net/netip"
	"strings"
)

// An Attempt is what one log line says about a login.
type Attempt struct {
	Action string // "login-failure", "login-success", or an informational action
	IP     netip.Addr
	User   string
	Reason string // e.g. "password", "invalid-user", "publickey"
}

// Actions of an [Attempt]. Only login-failure counts toward bans; the others
// are facts about the same attempts, kept as events but not counted twice.
const (
	ActionFailure  = "login-failure"
	ActionSuccess  = "login-success"
	ActionExceeded = "login-attempts-exceeded" // sshd's summary after MaxAuthTries
	ActionKeyProbe = "login-key-rejected"      // a key offered and refused: normal for clients with several keys
)

// A Parser reads one log line. It is used from one goroutine and may keep
// state across lines (to count each attempt once).
type Parser interface {
	Parse(line string) (Attempt, bool)
}

// after returns what follows the first occurrence of marker in s.
func after(s, marker string) (string, bool) {
	i := strings.Index(s, marker)
	if i < 0 {
		return "", false
	}
	return s[i+len(marker):], true
}

// parseIP reads an address, unwrapping IPv4-mapped IPv6 ("::ffff:1.2.3.4").
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// field returns the first space-separated word of s.
func field(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}
