package inspect

import "strings"

// Break-outs in free text: a payload padded with a sentence is still an
// attack, because the app's interpreter ignores the prose around it. An
// SQL comment ends the query, a tag runs wherever it sits in the page, a
// shell runs what follows its separator. These checks read free text for
// the break-out itself — a quote closed then a clause that works, a tag or
// a closed attribute value then an event handler that runs, a separator
// then a call that runs code — each only where its hint occurs (a quote, a
// <, a separator) and in a bounded window, so the value is read in linear
// time. Words alone never match: "select @@version" in a sentence cannot
// leave a string literal, and "onSelect" is a word.

var (
	// reSQLBreakText are quotes closed, perhaps with parentheses, then a
	// clause that changes the query, in a window of free text from a quote.
	reSQLBreakText = []*pattern{
		// ') or true--, ") and 1 #: a tautology, then the rest commented out.
		pat(`['"]\s*\)*\s*(?:or|and|\|\||&&)\s+(?:not\s+)?(?:true|false|null|\d+)\s*\)*\s*(?:--|#|/\*|;)`, "or", "and", "||", "&&"),
		// ') or ('x')=('x: a comparison of parenthesized literals.
		pat(`['"]\s*\)+\s*(?:or|and)\s*\(+\s*['"]?\w*['"]?\s*\)+\s*(?:=|<>|!=|like)\s*\(+\s*['"]?\w`, "or", "and"),
		// 1' order by 3--, ' group by 1,2--: counting the query's columns.
		pat(`['"]\s*\)*\s*(?:order|group)\s+by\s+\d+(?:\s*,\s*\d+)*\s*(?:--|#|/\*|;)`, "order", "group"),
		// '=0--: the quote compared, the rest commented out.
		pat(`['"]\s*\)*\s*(?:=|<>|!=)\s*\d+\s*(?:--|#|/\*)`, "--", "#", "/*"),
		// ' group by password having 1=1--
		pat(`['"]\s*\)*\s*group\s+by\s+[\w.]+\s+having\s+[\w'"(]`, "group"),
		// '||utl_http.request('http://…')||', 1'||'asd'||',
		// '||(select password from users limit 1)||': a string
		// concatenated with a call, a subquery or a literal, then closed
		// into the app's own quote.
		pat(`['"]\s*\|\|\s*(?:\(\s*select\b|[\w.]+\s*\(|['"])[^\n]{0,200}?\|\|\s*['"]`, "||"),
		// ' insert into users(…) values(…, '; update t set c=: a statement
		// after the quote.
		pat(`['"]\s*\)*\s*;?\s*(?:`+anyOf(
			`insert\s+into\s+[\w.\x60"\[\]]+\s*\([^)]{0,200}\)\s*values\s*\(`, // ' insert into users(name, role) values('x', 'admin
			`update\s+[\w.]+\s+set\s+[\w.]+\s*=\s*['"\d(]`,                    // '; update users set role='admin
			`delete\s+from\s+[\w.]+\s+where\s+[\w.]+\s*=`,                     // '; delete from users where id=1
		)+`)`, "insert", "update", "delete"),
	}

	// reCmdBreakText are a separator then code that runs: a PHP or shell
	// call with a quoted or variable argument, phpinfo(), a ping or a
	// download to an address.
	reCmdBreakText = []*pattern{
		// ;system('/usr/bin/id'), | system('sleep 5'), && passthru($c)
		pat(`(?:^|[;|&])\s*(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|assert|eval)\s*\(\s*['"$]`, "system", "exec", "passthru", "popen", "proc_open", "assert", "eval"),
		// ;phpinfo();
		pat(`(?:^|[;|&])\s*(?:phpinfo|phpversion)\s*\(\s*\)`, "phpinfo", "phpversion"),
		// & ping -i 30 127.0.0.1 &, | curl http://x/s.sh, ; nslookup x.y
		pat(`(?:^|[;|&])\s*(?:ping|nslookup|curl|wget|nc|ncat|telnet|traceroute)\s+`+ // a separator, a network command,
			`(?:-{1,2}[a-z]+(?:\s+\d+)?\s+)*`+ // its flags: -i 30, --silent,
			`(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|https?://)`, // then an address: 127.0.0.1, http://x/s.sh
			"ping", "nslookup", "curl", "wget", "nc", "telnet", "traceroute"),
	}
)

// sqliBreakout reports a quote of free text closed then an SQL clause
// that works (reSQLBreakText), reading from each quote to the end of its
// line.
func (s *scan) sqliBreakout(in *input) {
	if !in.has(cQuote) {
		return
	}
	textWindows(in.low, func(w string) bool {
		if !s.spend(len(w)) {
			return true
		}
		h := scanHints(w)
		for _, p := range reSQLBreakText {
			if m, ok := s.findIn(p, w, &h); ok {
				s.report(ruleSQLiTaut, in, m)
				return true
			}
		}
		return false
	})
}

// cmdiBreakout reports a separator of free text then code that runs
// (reCmdBreakText).
func (s *scan) cmdiBreakout(in *input) {
	if !in.has(cSemi|cPipe|cAmp) || !s.spend(len(in.low)) || s.matchAny(ruleCmdSep, reCmdBreakText, in, in.low) {
		return
	}
	// A line that starts with | is a row of a Markdown table only in a
	// table, which has a delimiter row (|---|, | :-- |): in a value with none,
	// a | that opens the value pipes into what follows (|id and then…).
	t := strings.TrimLeft(in.low, " \t")
	if !strings.HasPrefix(t, "|") || hasTableRule(t) {
		return
	}
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		t = t[:i]
	}
	if m, ok := commandAfterSeparator(t[:min(len(t), maxQuoteWindow)]); ok {
		w, _ := commandWord(strings.TrimLeft(m, ";|&`$(<> \t"))
		if unixCommands[w] && !englishCommands[w] {
			s.report(ruleCmdSep, in, m)
		}
	}
}

// xssBreakout reports an event handler that runs in free text: an
// attribute on<event>= with a script for value, in a tag (<svg onload=…,
// wherever in the prose) or after a quote that closes an attribute value
// the app may put the field in (" onmouseover="alert(1)). It reads the
// prose as the browser does, before any URL decoding (a %3E in a tag is
// no >), and decoded too.
func (s *scan) xssBreakout(in *input) {
	if !in.has(cEq) || !s.spend(2*len(in.raw)) {
		return
	}
	if frag, ok := eventHandler(in.raw); ok {
		s.report(ruleXSSEvent, in, frag)
		return
	}
	if in.low != in.raw {
		if frag, ok := eventHandler(in.low); ok {
			s.report(ruleXSSEvent, in, frag)
		}
	}
}

// maxBreakoutTag bounds the bytes of a tag, or of the attributes after a
// quote, read for an event handler.
const maxBreakoutTag = 512

// maxBreakoutQuote and maxBreakoutAttrs bound what is read after a quote
// for attributes: a break-out sets its handler right after the quote.
const (
	maxBreakoutQuote = 128
	maxBreakoutAttrs = 3
)

// eventHandler returns the first event handler attribute of v that runs:
// in a tag opened by < and a letter, any attribute on<name>= whose value
// holds a script (see scriptValue); after a quote and a space or slash,
// the same with <name> a DOM event. Each tag or quote is read for at most
// maxBreakoutTag bytes, and a tag's attributes are not read again for
// tags, so v is read in time linear in its length.
func eventHandler(v string) (string, bool) {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '<' && i+1 < len(v) && isASCIILetter(v[i+1]):
			j := i + 1
			for j < len(v) && (isASCIILetter(v[j]) || '0' <= v[j] && v[j] <= '9' || v[j] == ':' || v[j] == '-') {
				j++
			}
			frag, end, ok := handlerIn(v[i:min(len(v), i+maxBreakoutTag)], j-i, false, maxBreakoutTag)
			if ok {
				return frag, true
			}
			// What the tag holds is attributes, not tags: go on after it.
			i += max(end, j-i) - 1
		case c == '"' || c == '\'':
			// The quote may close the app's attribute value: the first few
			// attributes after it (" autofocus onfocus=alert(1)).
			j := i + 1
			for j < len(v) && (v[j] == ' ' || v[j] == '\t' || v[j] == '\n' || v[j] == '/') {
				j++
			}
			if j < len(v) && isASCIILetter(v[j]) {
				if frag, _, ok := handlerIn(v[i:min(len(v), i+maxBreakoutQuote)], 1, true, maxBreakoutAttrs); ok {
					return frag, true
				}
			}
		case (c == ' ' || c == '\t' || c == '\n' || c == '/') && i+3 < len(v) && lowerByte(v[i+1]) == 'o' && lowerByte(v[i+2]) == 'n':
			// A space ends an unquoted attribute value the app puts the
			// field in: a handler right after one sets another attribute.
			// Its = follows the name at once: "onload = f()" is JavaScript
			// written in a sentence.
			k := i + 3
			for k < len(v) && k < i+maxBreakoutQuote && isASCIILetter(v[k]) {
				k++
			}
			if k == len(v) || v[k] != '=' {
				break
			}
			if frag, _, ok := handlerIn(v[i:min(len(v), i+maxBreakoutQuote)], 1, true, 1); ok {
				return frag, true
			}
		}
	}
	return "", false
}

// handlerIn reads the attributes of tag (a tag or the text after a quote)
// from its byte at, as the HTML tokenizer does, until a > or its end, at
// most attrs of them, and returns the first event handler whose value
// holds a script, and where its reading stopped. With domOnly, the handler
// must name a DOM event.
func handlerIn(tag string, at int, domOnly bool, attrs int) (string, int, bool) {
	i := at
	for ; i < len(tag) && attrs > 0; attrs-- {
		for i < len(tag) && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '\r' || tag[i] == '\f' || tag[i] == '/') {
			i++
		}
		if i >= len(tag) || tag[i] == '>' {
			return "", i, false
		}
		// The name: up to a space, /, > or =; a = that starts it is part of it.
		n := i + 1
		for n < len(tag) && !isTagSpace(tag[n]) && tag[n] != '/' && tag[n] != '>' && tag[n] != '=' {
			n++
		}
		name := tag[i:n]
		i = n
		for i < len(tag) && isTagSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] != '=' {
			continue // no value
		}
		i++
		for i < len(tag) && isTagSpace(tag[i]) {
			i++
		}
		var value string
		if i < len(tag) && (tag[i] == '"' || tag[i] == '\'' || tag[i] == '`') {
			q := tag[i]
			e := i + 1
			for e < len(tag) && tag[e] != q {
				e++
			}
			value = tag[i+1 : e]
			i = e + 1
		} else {
			e := i
			for e < len(tag) && !isTagSpace(tag[e]) && tag[e] != '>' {
				e++
			}
			value = tag[i:e]
			i = e
		}
		if isHandlerName(name, domOnly) && scriptValue(value) {
			return tag[:min(len(tag), i)], i, true
		}
	}
	return "", i, false
}

// isHandlerName reports whether name, an attribute's, is an event
// handler: on and three letters or more; with domOnly, a DOM event's.
func isHandlerName(name string, domOnly bool) bool {
	if len(name) < 5 || lowerByte(name[0]) != 'o' || lowerByte(name[1]) != 'n' {
		return false
	}
	var b [32]byte
	if len(name)-2 > len(b) {
		return false
	}
	for k := 2; k < len(name); k++ {
		c := lowerByte(name[k])
		if c < 'a' || c > 'z' {
			return false
		}
		b[k-2] = c
	}
	return !domOnly || domEvents[string(b[:len(name)-2])]
}

// scriptValue reports whether v, an event handler's value, holds a
// script: a call, an assignment, a tagged template, a statement or a
// script URL, rather than a word.
func scriptValue(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(', '`', '=', ';', '[':
			return true
		}
	}
	return false
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c | 0x20
	}
	return c
}

// domEvents are the events of the DOM whose handlers an attribute sets,
// without the "on".
var domEvents = words(`abort afterprint animationcancel animationend animationiteration animationstart auxclick
beforecopy beforecut beforeinput beforematch beforepaste beforeprint beforetoggle beforeunload begin blur canplay
canplaythrough change click close contentvisibilityautostatechange contextlost contextmenu contextrestored copy
cuechange cut dblclick drag dragend dragenter dragexit dragleave dragover dragstart drop durationchange emptied end
ended error focus focusin focusout formdata fullscreenchange fullscreenerror gotpointercapture hashchange input
invalid keydown keypress keyup languagechange load loadeddata loadedmetadata loadend loadstart lostpointercapture
message messageerror mousedown mouseenter mouseleave mousemove mouseout mouseover mouseup mousewheel offline online
pagehide pagereveal pageshow pageswap paste pause play playing pointercancel pointerdown pointerenter pointerleave
pointermove pointerout pointerover pointerrawupdate pointerup popstate progress ratechange rejectionhandled repeat
reset resize scroll scrollend scrollsnapchange scrollsnapchanging search securitypolicyviolation seeked seeking
select selectionchange selectstart show slotchange stalled storage submit suspend timeupdate toggle touchcancel
touchend touchmove touchstart transitioncancel transitionend transitionrun transitionstart unhandledrejection unload
volumechange waiting webkitanimationend webkitanimationiteration webkitanimationstart webkittransitionend wheel
activate beforeactivate beforedeactivate deactivate readystatechange propertychange filterchange help bounce finish
start mozfullscreenchange`)
