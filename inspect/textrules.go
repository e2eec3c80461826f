package inspect

import (
	"slices"
	"strings"
)

// The detectors' judgement of free text (see freetext.go): evidence of an
// injection into the app's interpreter, not keywords. Documentation names
// <iframe>, child_process, Reflect.get and "if defined" in its prose;
// an attack needs an executable HTML context, a quote closed then an SQL
// clause, a separator then a command.

var (
	// Markup that runs: a script element, a frame or object loading a
	// script URL or inline document, a base that moves the page's scripts,
	// a refresh to a script URL.
	reTextScript = pat(anyOf(
		`<\s*/?\s*script\b`, // <script>alert(1)</script>, </script><script>
		// <iframe src="javascript:alert(1)">, <object data="data:text/html,…">, <embed code="vbscript:…">
		`<\s*(?:iframe|frame|embed|object|portal|applet)\b[^>]*\b(?:src|data|code|codebase)\s*=\s*['"\x60]?\s*(?:javascript|vbscript|livescript|data)\s*:`,
		`<\s*(?:iframe|frame)\b[^>]*\bsrcdoc\s*=`, // <iframe srcdoc="<script>alert(1)</script>">
		`<\s*base\b[^>]*\bhref\s*=`,               // <base href="//evil.example/">: the page's scripts load from there
		// <meta http-equiv="refresh" content="0;url=javascript:alert(1)">
		`<\s*meta\b[^>]*\bhttp-equiv\s*=\s*['"]?\s*refresh\b[^>]*\burl\s*=\s*['"]?\s*(?:javascript|vbscript|data)\s*:`,
		`<\s*[a-z]*:?vmlframe\b`, // <v:vmlframe src="//evil.example/x.vml#x"> (old IE)
		`<\s*xi:include\b`,       // <xi:include href="file:///etc/passwd"/> (XInclude)
		// <style>body{width:expression(alert(1))}</style>, <link href="javascript:…">, <style>@import '//evil.example/x.css'
		`<\s*(?:style|link)\b[^>]*(?:expression\s*\(|javascript:|behavior\s*:|-moz-binding|@import)`,
	),
		"script", "src", "data", "code", "srcdoc", "href", "http-equiv", "vmlframe", "xi:include",
		"expression", "javascript", "behavior", "binding", "@import")
	// A script URL where a link or attribute takes a URL: href=javascript:,
	// a Markdown link [x](javascript:…).
	reTextURL = pat(anyOf(
		// href=javascript:alert(1), formaction="vbscript:…", <animate to="javascript:…"> (SVG)
		`\b(?:href|src|action|formaction|data|poster|background|lowsrc|dynsrc|codebase|xlink:href|to|from|values)`+
			`\s*=\s*['"\x60]?\s*(?:javascript|vbscript|livescript)\s*:`,
		// src="data:text/html;base64,…", xlink:href="data:image/svg+xml,…"
		`\b(?:href|src|action|formaction|data|xlink:href)\s*=\s*['"\x60]?\s*data\s*:\s*`+
			`(?:text/html|image/svg\+xml|application/(?:x-)?(?:javascript|xhtml\+xml))`,
		`\]\s*\(\s*<?\s*(?:javascript|vbscript|livescript)\s*:`,                   // [x](javascript:alert(1)), a Markdown link
		`\]\s*\(\s*<?\s*data\s*:\s*text/html`,                                     // [x](data:text/html,<script>…)
		`\burl\s*\(\s*['"]?\s*(?:javascript|vbscript)\s*:`,                        // background:url('javascript:alert(1)')
		`\bstyle\s*=\s*['"]?[^'">]*(?:expression\s*\(|behavior\s*:|-moz-binding)`, // style="width:expression(alert(1))"
	), "javascript", "vbscript", "livescript", "data", "expression", "behavior", "binding")
	// A quote or script block closed, then a script call: '; alert(1)//.
	reTextSink = pat(anyOf(
		// '; alert(1)//, "-confirm`1`-", ';document.location='//evil.example
		`['"\x60]\s*\)?\s*[;,+|&-]\s*`+ // a quote closed, perhaps a parenthesis, an operator,
			`(?:alert|prompt|confirm|eval|settimeout|setinterval|fetch|import|atob|`+ // a script call
			`document\s*\.\s*(?:write|cookie|location)|window\s*\.\s*(?:location|open)|location\s*=)`+
			`\s*[(\x60=]`, // then its argument or assignment
	),
		"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "fetch", "import", "atob",
		"document", "window", "location")
	// An HTML comment or CDATA section the app opened, closed, then a tag:
	// read only before the value opens one of its own (see xssText).
	reTextClose = pat(anyOf(
		`-->\s*<`,   // --><script>: an HTML comment closed, then a tag
		`\]\]>\s*<`, // ]]><script>: a CDATA section closed, then a tag
	), "-->", "]]>")
)

// xssText detects markup that runs in free text.
func (s *scan) xssText(in *input) {
	if !in.has(cLT | cColon | cEq | cParen | cBracket) {
		return
	}
	low := in.low
	if in.has(cLT) && s.textScript(in, low) {
		return
	}
	if in.has(cLT) && in.has(cEq) && s.matchRule(ruleXSSEvent, reXSSTagHandler, in, low) {
		return
	}
	if in.has(cColon) || in.has(cParen) {
		u := low
		if in.has(cNewline | cSpace | cCtl) {
			u = s.squeeze(low)
		}
		if s.matchRule(ruleXSSURL, reTextURL, in, u) {
			return
		}
	}
	if in.has(cQuote|cGT) && s.matchRule(ruleXSSSink, reTextSink, in, low) {
		return
	}
	if in.has(cGT) && s.matchRule(ruleXSSSink, reTextClose, in, beforeOwnComment(low)) {
		return
	}
	s.xssBreakout(in)
}

// beforeOwnComment returns v up to the first HTML comment or CDATA section
// it opens: a document's own <!-- … --> then a tag is markup, a --> before
// any <!-- closes the app's.
func beforeOwnComment(v string) string {
	for _, open := range []string{"<!--", "<![cdata["} {
		if i := strings.Index(v, open); i >= 0 {
			v = v[:i]
		}
	}
	return v
}

// textWindows calls f with the parts of v, free text, where a quote may
// close a string literal of the app's query: from each single or double
// quote to the end of its line, at most maxQuoteWindow bytes. Windows that
// overlap are merged, so v is read at most twice.
func textWindows(v string, f func(w string) bool) {
	start, end := -1, -1
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\'' && c != '"' {
			continue
		}
		e := i + 1
		for e < len(v) && e-i < maxQuoteWindow && v[e] != '\n' {
			e++
		}
		if i <= end {
			end = max(end, e)
			continue
		}
		if start >= 0 && f(v[start:end]) {
			return
		}
		start, end = i, e
	}
	if start >= 0 {
		f(v[start:end])
	}
}

// textHead returns the first line of v, free text, at most maxQuoteWindow
// bytes, if v starts with a digit or a closing parenthesis.
func textHead(v string) string {
	t := strings.TrimLeft(v, " \t")
	if t == "" || !('0' <= t[0] && t[0] <= '9' || t[0] == ')') {
		return ""
	}
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		t = t[:i]
	}
	return t[:min(len(t), maxQuoteWindow)]
}

// maxQuoteWindow bounds what is read after a quote of free text: an SQL
// clause that works follows its quote closely.
const maxQuoteWindow = 256

// reSQLCmtText is a quote closed and the rest of the line commented out:
// admin'--, x' or 1=1 #.
var reSQLCmtText = pat(`(?m)['"][ \t]*\)*[ \t]*(?:;[ \t]*)?(?:--(?:[ \t]|$)|#(?:[ \t]|$)|/\*[^'"])`, "--", "#", "/*")

// sqliText detects SQL injection in free text: a quote, then in the rest
// of its line an SQL clause that works.
func (s *scan) sqliText(in *input) {
	if head := textHead(in.low); head != "" {
		// A value that starts with a number or a closing parenthesis may
		// go where a number does: read its first line as a value.
		if s.sqlNum(in, head) || s.matchRule(ruleSQLiUnion, reSQLUnion, in, head) || s.matchAny(ruleSQLiTaut, reSQLTaut, in, head) ||
			s.matchAny(ruleSQLiChain, reSQLChain, in, head) {
			return
		}
	}
	if !in.has(cQuote) {
		return
	}
	textWindows(in.low, func(w string) bool {
		if !s.spend(len(w)) {
			return true
		}
		h := scanHints(w)
		for _, c := range []struct {
			r  *rule
			ps []*pattern
		}{
			{ruleSQLiUnion, []*pattern{reSQLUnion}},
			{ruleSQLiTime, []*pattern{reSQLTime}},
			{ruleSQLiTaut, reSQLTaut},
			{ruleSQLiStack, reSQLStack},
			{ruleSQLiStack, reSQLStackMore},
			{ruleSQLiCmt, []*pattern{reSQLCmtText}},
		} {
			for _, p := range c.ps {
				if m, ok := s.findIn(p, w, &h); ok {
					s.report(c.r, in, m)
					return true
				}
			}
		}
		return false
	})
	s.sqliBreakout(in)
}

// Commands in free text: a separator then a command that runs. Line
// breaks end lines of text, not commands, and a line that starts with |
// is a row of a Markdown table.
func (s *scan) cmdiText(in *input) {
	low := in.low
	if in.has(cSlash|cDollar|cPipe|cLT|cGT|cAmp|cParen|cBrace) && s.matchAny(ruleCmdShell, reCmdShell, in, low) {
		return
	}
	if in.has(cDollar) && s.matchRule(ruleCmdEvasion, reCmdIFS, in, low) {
		return
	}
	if in.has(cSlash|cPercent) && s.matchAny(ruleCmdWindows, reCmdWinText, in, low) {
		return
	}
	if !in.has(cSemi|cPipe|cAmp|cDollar) || !s.spend(3*len(low)) {
		return
	}
	if s.matchRule(ruleCmdSep, reCmdDelayText, in, low) {
		return
	}
	form := s.textLines(low)
	if m, ok := commandAfterSeparator(form); ok {
		w, _ := commandWord(strings.TrimLeft(m, ";|&`$(<> \t"))
		if unixCommands[w] && !englishCommands[w] {
			s.report(ruleCmdSep, in, m)
		}
	}
	s.cmdiBreakout(in)
}

var (
	// reCmdDelayText is a blind injection's delay as a command of its own,
	// between separators or substituted: "; sleep 10;", "$(sleep 10)",
	// "| ping -c 10 127.0.0.1 |". Sleep and ping are English words, so the
	// rule for other commands after a separator skips them; a number of
	// seconds and a separator after it is what no sentence writes.
	reCmdDelayText = pat(`(?:[;|&]|\$\()\s*(?:sleep\s+\d+(?:\.\d+)?|ping\s+-[nc]\s*\d+\s+\S+)\s*(?:$|[;|&#)])`, "sleep", "ping")
	// reCmdProtoText are the mail protocol lines no sentence starts: an
	// IMAP tag and command, SMTP's envelope commands.
	reCmdProtoText = pat(`[\r\n]\s*(?:` + anyOf( // a line that starts with
		`(?:mail\s+from|rcpt\s+to)\s*:\s*<`,    // \r\nMAIL FROM:<x@evil.example>, \r\nRCPT TO:<victim@example.com>
		`(?:helo|ehlo)\s+[a-z0-9.-]+\s*[\r\n]`, // \r\nHELO evil.example\r\n
		// \r\nA001 LOGIN user pass, \r\n0002 FETCH 1 BODY[]: an IMAP tag and command
		`[a-z]?\d{3,4}\s+(?:append|authenticate|capability|check|close|copy|create|delete|examine|expunge|fetch|`+
			`list|login|logout|lsub|noop|rename|search|select|status|store|subscribe|uid|unsubscribe)\b`,
	) + `)`)
	reCmdIFS = pat(`\$\{?ifs\b`, "ifs")
	// reCmdWinText are the Windows command shapes no sentence has.
	reCmdWinText = func() []*pattern {
		var out []*pattern
		for _, p := range reCmdWin {
			if !strings.HasPrefix(p.expr, `\bif`) && !strings.HasPrefix(p.expr, `\bfor`) {
				out = append(out, p)
			}
		}
		return out
	}()
)

// textLines returns v, free text, with line breaks as spaces and the rows
// of Markdown tables blanked.
func (s *scan) textLines(v string) string {
	start := len(s.buf)
	for i := 0; i < len(v); {
		end := strings.IndexByte(v[i:], '\n')
		if end < 0 {
			end = len(v)
		} else {
			end += i
		}
		line := v[i:end]
		if t, _ := trimIndent(line); !strings.HasPrefix(t, "|") {
			s.buf = append(s.buf, line...)
		}
		s.buf = append(s.buf, ' ')
		i = end + 1
	}
	return s.str(start)
}

// reNodeCodeText are the server-side JavaScript shapes that are code, not
// the names of modules and functions documentation writes.
var reNodeCodeText = func() []*pattern {
	var out []*pattern
	for _, p := range reNodeCode {
		if slices.ContainsFunc(nodeCodeWords, func(w string) bool { return strings.HasPrefix(p.expr, w) }) {
			continue
		}
		out = append(out, p)
	}
	return out
}()

// nodeCodeWords open the alternatives of reNodeCode that name things.
var nodeCodeWords = []string{`['"\x60]child_process`, `\bchild_process`, `\bprocess\s*\.`, `\b__(?:dirname`, `[(+,]\s*__`, `^\s*__`, `\bfs\s*\.`, `\bvm\s*\.`,
	`\bmodule\s*\.`, `\brequire\s*\.`, `\bconsole\s*\.`, `\bbuffer\s*\.`, `\bglobal\s*(`, `\bglobalthis`, `\bprocess\s*\[`,
	`\bnew\s+function`, `\bfunction\s*\(`}
