package watch

import (
	"strings"
)

// SSH reads OpenSSH's sshd messages, wherever the line's header puts them
// (syslog, the journal's MESSAGE, sshd -E). Each failed attempt counts once:
//
//   - "Failed password for [invalid user] U from IP port P" is a failure,
//     as is "Failed keyboard-interactive/pam …" and a refused key for a user
//     that does not exist;
//   - "Invalid user U from IP port P" is a failure too — a scanner that only
//     enumerates names never reaches "Failed" — but then the first "Failed
//     … for invalid user" of that connection is the same attempt, not a
//     second one, and makes no event (fail2ban counts both);
//   - "Connection closed by authenticating user U IP port P [preauth]"
//     counts when the connection had no counted failure: it is how a
//     key-only server sees a brute force (fail2ban's normal mode misses it);
//   - a refused key of a real user is a fact, not a failure: clients offer
//     several keys;
//   - "maximum authentication attempts exceeded" summarises failures
//     already counted.
type SSH struct {
	counted map[string]bool // "ip port" → a failure was counted; the next "Failed … invalid user" is its own
	order   []string
}

// maxConns bounds the connections remembered.
const maxConns = 4096

var _ Parser = (*SSH)(nil)

// sshMarkers start the messages an [SSH] reads. The first one in a line is
// the message: the user name after it is the client's choice and may hold
// another marker, but cannot come before it.
var sshMarkers = []string{"Failed ", "Accepted ", "Invalid user ", "maximum authentication attempts exceeded for ",
	"Connection closed by authenticating user ", "Disconnected from authenticating user ",
	"Connection closed by invalid user ", "Disconnected from invalid user "}

func (p *SSH) Parse(line string) (Attempt, bool) {
	if p.counted == nil {
		p.counted = make(map[string]bool)
	}
	marker, rest, ok := firstMarker(line)
	if !ok {
		return Attempt{}, false
	}
	switch marker {
	case "Failed ":
		return p.failed(rest)
	case "Accepted ":
		method := field(rest)
		a, conn, ok := userFromPort(strings.TrimPrefix(rest, method+" for "))
		if !ok {
			return Attempt{}, false
		}
		delete(p.counted, conn)
		a.Action, a.Reason = ActionSuccess, method
		return a, true
	case "Invalid user ":
		a, conn, ok := userFromPort(rest)
		if !ok {
			return Attempt{}, false
		}
		p.remember(conn, true)
		a.Action, a.Reason = ActionFailure, "invalid-user"
		return a, true
	case "maximum authentication attempts exceeded for ":
		a, _, ok := userFromPort(strings.TrimPrefix(rest, "invalid user "))
		a.Action, a.Reason = ActionExceeded, "max-auth-tries"
		return a, ok
	}
	// "Connection closed by … user U IP port P [preauth]"
	rest, ok = strings.CutSuffix(strings.TrimSpace(rest), " [preauth]")
	if !ok {
		return Attempt{}, false
	}
	a, conn, ok := userIPPort(rest)
	if !ok {
		return Attempt{}, false
	}
	if _, seen := p.counted[conn]; seen {
		delete(p.counted, conn)
		return Attempt{}, false
	}
	a.Action, a.Reason = ActionFailure, "closed-preauth"
	return a, true
}

// firstMarker finds the earliest of sshMarkers in line and returns it and
// what follows it.
func firstMarker(line string) (marker, rest string, ok bool) {
	at := -1
	for _, m := range sshMarkers {
		if i := strings.Index(line, m); i >= 0 && (at < 0 || i < at) {
			at, marker = i, m
		}
	}
	if at < 0 {
		return "", "", false
	}
	return marker, line[at+len(marker):], true
}

func (p *SSH) failed(rest string) (Attempt, bool) {
	method := field(rest)
	rest = strings.TrimPrefix(rest, method+" for ")
	invalid := strings.HasPrefix(rest, "invalid user ")
	a, conn, ok := userFromPort(strings.TrimPrefix(rest, "invalid user "))
	if !ok {
		return Attempt{}, false
	}
	a.Reason = method
	if method == "publickey" && !invalid {
		p.remember(conn, false)
		a.Action = ActionKeyProbe
		return a, true
	}
	if invalid {
		if first, ok := p.counted[conn]; ok && first {
			// The attempt "Invalid user" already counted.
			p.counted[conn] = false
			return Attempt{}, false
		}
	}
	p.remember(conn, false)
	a.Action = ActionFailure
	return a, true
}

// remember notes that conn had a counted failure; fresh marks an "Invalid
// user" line whose attempt the next "Failed" repeats.
func (p *SSH) remember(conn string, fresh bool) {
	if _, ok := p.counted[conn]; !ok {
		if len(p.order) >= maxConns {
			delete(p.counted, p.order[0])
			p.order = p.order[1:]
		}
		p.order = append(p.order, conn)
	}
	p.counted[conn] = fresh
}

// userFromPort reads "U from IP port P…"; the user name may contain spaces
// (sshd logs what the client sent), so the last " from " splits it.
func userFromPort(s string) (Attempt, string, bool) {
	i := strings.LastIndex(s, " from ")
	if i < 0 {
		return Attempt{}, "", false
	}
	a, conn, ok := ipPort(s[i+len(" from "):])
	a.User = s[:i]
	return a, conn, ok
}

// userIPPort reads "U IP port P" from its end, as the user name may
// contain spaces and what looks like an address.
func userIPPort(s string) (Attempt, string, bool) {
	i := strings.LastIndex(s, " port ")
	if i < 0 {
		return Attempt{}, "", false
	}
	j := strings.LastIndexByte(s[:i], ' ')
	if j < 0 {
		return Attempt{}, "", false
	}
	a, conn, ok := ipPort(s[j+1:])
	a.User = s[:j]
	return a, conn, ok
}

// ipPort reads "IP port P…" and returns the connection key "IP P".
func ipPort(s string) (Attempt, string, bool) {
	ipText := field(s)
	ip, ok := parseIP(ipText)
	if !ok {
		return Attempt{}, "", false
	}
	port := ""
	if rest, ok := strings.CutPrefix(s[len(ipText):], " port "); ok {
		port = field(rest)
	}
	return Attempt{IP: ip}, ipText + " " + port, true
}
