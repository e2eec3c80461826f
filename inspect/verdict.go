package inspect

import (
	"fmt"

	"github.com/bulwark-sec/bulwark/event"
)

// An Action is what to do with a request.
type Action uint8

// Actions, in increasing order of severity.
const (
	Allow Action = iota // nothing found
	Log                 // findings below the threshold, or detect mode: pass and log
	Block               // refuse the request
)

var actionNames = [...]string{"allow", "log", "block"}

func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// MarshalText implements encoding.TextMarshaler.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Action) UnmarshalText(b []byte) error {
	for i, n := range actionNames {
		if n == string(b) {
			*a = Action(i)
			return nil
		}
	}
	return fmt.Errorf("unknown action %q (want allow, log or block)", b)
}

// A Verdict is the outcome of inspecting one request.
type Verdict struct {
	Action Action `json:"action"`
	// Score is the sum of the scores of the rules that matched, each counted
	// once; rules in detect mode and excluded findings do not count.
	Score int `json:"score"`
	// Findings lists what matched, at most [maxFindings], strongest first.
	Findings []Finding `json:"findings,omitempty"`
}

// A Finding is one rule matching one input of a request.
type Finding struct {
	RuleID   string         `json:"rule"`     // stable id, e.g. "bw-sqli-001"
	Class    Class          `json:"class"`    // what kind of attack
	Severity event.Severity `json:"severity"` // ECS severity, from the score
	Score    int            `json:"score"`    // the rule's anomaly score
	// Where names the input: "path", "query:id", "query:a[b]", "form:q",
	// "json:$.user.email", "multipart:file" (its file name:
	// "multipart-filename:file"), "xml:/root/a@probe", "cookie:sid",
	// "header:user-agent", "body" (a body no parser accepted), "request"
	// (a limit). A key and its value share a name.
	Where string `json:"where"`
	// Fragment is the matched input, decoded, cut to about 64 bytes. It is
	// "[redacted]" for cookies, Authorization and fields named like a
	// password, token or secret.
	Fragment string `json:"fragment,omitempty"`
	// Detect is true when the finding was logged only: its rule or route is
	// in detect mode.
	Detect bool `json:"detect,omitempty"`
}

// A Class is a kind of attack. Every rule has one.
type Class string

// Classes.
const (
	// SQLi is SQL injection: tautologies, UNION SELECT, stacked queries,
	// time-based and error-based probes (CRS 942).
	SQLi Class = "sqli"
	// XSS is cross-site scripting: script tags, event handlers,
	// javascript: and data: URLs, SVG and MathML vectors (CRS 941).
	XSS Class = "xss"
	// Traversal is path traversal and local file inclusion: ../ in any
	// encoding, absolute paths to system files, php:// and file:// (CRS 930).
	Traversal Class = "traversal"
	// RFI is remote file inclusion: a parameter naming a script on another
	// host (CRS 931).
	RFI Class = "rfi"
	// CmdI is OS command injection, Unix shell and Windows (CRS 932).
	CmdI Class = "cmdi"
	// SSRF is a URL-valued parameter aimed at cloud metadata, loopback or
	// private addresses (CRS 934110/934120).
	SSRF Class = "ssrf"
	// JNDI is Log4Shell-style ${jndi:…} lookups, obfuscated or not (CRS 944150).
	JNDI Class = "jndi"
	// SSTI is server-side template injection: {{7*7}}, ${…}, <%= %>, #{…}.
	SSTI Class = "ssti"
	// XXE is an XML body declaring external entities.
	XXE Class = "xxe"
	// CRLF is header injection: CR or LF followed by a header line (CRS 921).
	CRLF Class = "crlf"
	// Scanner is a request from a vulnerability scanner, by its User-Agent
	// or its probes (CRS 913).
	Scanner Class = "scanner"
	// NoSQLi is NoSQL operator injection: $ne, $gt, $where… as keys (CRS barely covers it).
	NoSQLi Class = "nosqli"
	// ProtoPollution is JavaScript prototype pollution: __proto__ and
	// constructor.prototype in keys (CRS 934130).
	ProtoPollution Class = "proto-pollution"
	// SensitiveFile is a probe for a resource never meant to be served:
	// .env, .git/, keys, backups and dumps, phpinfo, actuator endpoints (CRS 930130).
	SensitiveFile Class = "sensitive-file"
	// PHP is PHP code injection: <?php, dangerous functions, superglobals,
	// serialized objects, stream wrappers (CRS 933).
	PHP Class = "php"
	// Java is Java code injection and deserialization: Runtime, ProcessBuilder,
	// serialized object markers, OGNL/SpEL, JSP uploads (CRS 944).
	Java Class = "java"
	// CodeI is server-side JavaScript, Perl and Ruby code injection:
	// require('child_process'), node-serialize, @{[…]} (CRS 934).
	CodeI Class = "code"
	// Protocol is a request the engine cannot inspect completely: too many
	// inputs, nesting too deep. It blocks, so that nothing passes unseen.
	Protocol Class = "protocol"
)

// severity maps a rule's score to an ECS severity, as CRS does.
func severity(score int) event.Severity {
	switch {
	case score >= 5:
		return event.SeverityCritical
	case score >= 4:
		return event.SeverityHigh
	case score >= 3:
		return event.SeverityMedium
	default:
		return event.SeverityLow
	}
}
