package watch

import "strings"

// VSFTPD reads vsftpd's own log (vsftpd.log, with log_ftp_protocol off):
//
//	Sat Nov 30 15:04:05 2026 [pid 1234] [alice] FAIL LOGIN: Client "::ffff:203.0.113.9"
//	Sat Nov 30 15:04:05 2026 [pid 1234] [alice] OK LOGIN: Client "203.0.113.9"
type VSFTPD struct{}

var _ Parser = VSFTPD{}

func (VSFTPD) Parse(line string) (Attempt, bool) {
	// The verdict is the last one in the line: the user name before it is
	// the client's and may hold text like it.
	var a Attempt
	verdict := strings.LastIndex(line, "] FAIL LOGIN: Client \"")
	a.Action = ActionFailure
	if verdict < 0 {
		verdict = strings.LastIndex(line, "] OK LOGIN: Client \"")
		a.Action = ActionSuccess
	}
	if verdict < 0 {
		return Attempt{}, false
	}
	// "[alice] FAIL LOGIN: Client \"ip\"": the user in the last brackets
	// before the verdict, the address in the quotes after it.
	open := strings.LastIndexByte(line[:verdict], '[')
	_, quoted, _ := strings.Cut(line[verdict:], "\"")
	ip, ok := parseIP(strings.TrimSuffix(strings.TrimSpace(quoted), "\""))
	if open < 0 || !ok {
		return Attempt{}, false
	}
	a.IP, a.User, a.Reason = ip, line[open+1:verdict], "password"
	return a, true
}

// ProFTPD reads proftpd's syslog messages:
//
//	proftpd[1234] host (203.0.113.9[203.0.113.9]): USER alice (Login failed): Incorrect password
//	proftpd[1234] host (203.0.113.9[203.0.113.9]): USER mallory: no such user found from 203.0.113.9 [203.0.113.9] to 10.0.0.1:21
//	proftpd[1234] host (203.0.113.9[203.0.113.9]) - USER alice: Login successful.
//
// (Releases before 1.3.6 write " - USER", later ones "): USER".)
type ProFTPD struct{}

var _ Parser = ProFTPD{}

func (ProFTPD) Parse(line string) (Attempt, bool) {
	rest, ok := after(line, " (")
	if !ok {
		return Attempt{}, false
	}
	// "name[203.0.113.9]): USER …": the address in brackets.
	open, close := strings.IndexByte(rest, '['), strings.Index(rest, "])")
	if open < 0 || close < open {
		return Attempt{}, false
	}
	ip, ok := parseIP(rest[open+1 : close])
	if !ok {
		return Attempt{}, false
	}
	msg, ok := strings.CutPrefix(rest[close+2:], ": USER ")
	if !ok {
		if msg, ok = strings.CutPrefix(rest[close+2:], " - USER "); !ok {
			return Attempt{}, false
		}
	}
	a := Attempt{IP: ip}
	switch {
	case strings.Contains(msg, " (Login failed): "):
		a.User, _, _ = strings.Cut(msg, " (Login failed): ")
		a.Action, a.Reason = ActionFailure, "password"
	case strings.Contains(msg, ": no such user found"):
		a.User, _, _ = strings.Cut(msg, ": no such user found")
		a.Action, a.Reason = ActionFailure, "invalid-user"
	case strings.HasSuffix(strings.TrimSpace(msg), ": Login successful."):
		a.User = strings.TrimSuffix(strings.TrimSpace(msg), ": Login successful.")
		a.Action, a.Reason = ActionSuccess, "password"
	default:
		return Attempt{}, false
	}
	return a, true
}
