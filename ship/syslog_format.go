package ship

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-sec/bulwark/event"
)

// Syslog framings.
const (
	FramingOctet   = "octet-counting"
	FramingNewline = "newline"
)

// sdID is the SD-ID of Bulwark's structured data: a name and the private
// enterprise number used in RFC 5424's own examples, 32473.
const sdID = "bulwark@32473"

var facilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
	"uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "security": 13, "console": 14,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

// syslogSeverity maps event.severity to RFC 5424 severities: info is
// informational (6), low notice (5), medium warning (4), high error (3),
// critical critical (2).
func syslogSeverity(s event.Severity) int {
	switch {
	case s <= event.SeverityInfo:
		return 6
	case s >= event.SeverityCritical:
		return 2
	}
	return 6 - int(s)
}

// appendRFC5424 appends one RFC 5424 message (without framing):
//
//	<PRI>1 TIMESTAMP HOSTNAME bulwark PROCID MSGID [bulwark@32473 id="…" …] MSG
func appendRFC5424(b []byte, e event.Event, msg []byte, facility int, hostname, procID string) []byte {
	b = append(b, '<')
	b = strconv.AppendInt(b, int64(facility*8+syslogSeverity(e.Severity)), 10)
	b = append(b, ">1 "...)
	if e.Time.IsZero() {
		b = append(b, '-')
	} else {
		b = e.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000Z07:00")
	}
	b = append(b, ' ')
	b = appendHeaderField(b, hostname, 255)
	b = append(b, " bulwark "...)
	b = appendHeaderField(b, procID, 128)
	b = append(b, ' ')
	b = appendHeaderField(b, e.Action, 32)
	b = append(b, " ["+sdID...)
	for _, p := range [...]struct{ name, value string }{
		{"id", e.ID}, {"kind", string(e.Kind)}, {"category", string(e.Category)}, {"action", e.Action},
		{"severity", e.Severity.String()}, {"ip", addrString(e)}, {"user", e.UserName}, {"rule", e.RuleID},
	} {
		if p.value == "" {
			continue
		}
		b = append(b, ' ')
		b = append(b, p.name...)
		b = append(b, `="`...)
		b = appendParamValue(b, p.value)
		b = append(b, '"')
	}
	b = append(b, ']')
	if len(msg) > 0 {
		b = append(b, ' ')
		b = append(b, msg...)
	}
	return b
}

func addrString(e event.Event) string {
	if !e.SourceIP.IsValid() {
		return ""
	}
	return e.SourceIP.Unmap().String()
}

// appendHeaderField appends a header field: printable US-ASCII without
// spaces, at most max bytes, "-" when empty. Other bytes become "_".
func appendHeaderField(b []byte, s string, max int) []byte {
	if s == "" {
		return append(b, '-')
	}
	if len(s) > max {
		s = s[:max]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			c = '_'
		}
		b = append(b, c)
	}
	return b
}

// appendParamValue appends an SD PARAM-VALUE: valid UTF-8 with '"', '\'
// and ']' escaped by a backslash (RFC 5424 §6.3.3).
func appendParamValue(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', ']':
			b = append(b, '\\', c)
		default:
			b = append(b, c)
		}
	}
	return b
}

// textMessage is the MSG of format text: the event's message on one line.
func textMessage(e event.Event) []byte {
	m := e.Message
	if m == "" {
		m = e.Action
	}
	return []byte(lineBreaks.Replace(m))
}

var lineBreaks = strings.NewReplacer("\r", " ", "\n", " ")
