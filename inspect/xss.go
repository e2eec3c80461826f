package inspect

import (
	"strings"

	libinjection "github.com/corazawaf/libinjection-go"
)

var (
	ruleXSSTokens = newRule("bw-xss-001", XSS, 5, "cross-site scripting (libinjection HTML5 tokenizer)")
	ruleXSSScript = newRule("bw-xss-002", XSS, 5, "script, iframe, object, embed, base or meta tag")
	ruleXSSEvent  = newRule("bw-xss-003", XSS, 5, "event handler attribute: onerror=, onload=, onmouseover=")
	ruleXSSURL    = newRule("bw-xss-004", XSS, 5, "javascript:, vbscript: or data:text/html URL")
	ruleXSSVector = newRule("bw-xss-005", XSS, 5, "SVG, MathML and other HTML vectors: srcdoc, formaction, xlink:href, <svg, <math, expression()")
	ruleXSSSink   = newRule("bw-xss-006", XSS, 5, "JavaScript sinks: document.cookie, alert(), eval(), String.fromCharCode")
	ruleXSSTag    = newRule("bw-xss-007", XSS, 3, "HTML tag with attributes")
)

var (
	reXSSScript = pat(anyOf(
		`<\s*[a-z]*:?vmlframe\b`, // VML frame: <v:vmlframe src=…> (old IE)
		`<\s*xi:include\b`,       // XInclude: <xi:include href=…>
		`\bxmlns:xi\s*=`,         // XInclude namespace: xmlns:xi=
		`<\s*/?\s*(?:`+anyOf(
			`script`, `iframe`, `frame`, `frameset`, `object`, `embed`, `applet`, `base`, `meta`, `xss`,
			`isindex`, `import`, `portal`, `layer`, `ilayer`, `bgsound`, `xml`, `xmp`, `plaintext`,
			`listing`, `noscript`, `noembed`, `noframes`,
		)+`)\b`, // tags that run or load code: <script, <iframe, <object, <embed, <base, <meta
		`<\s*(?:style|link)\b[^>]*(?:>|$)`, // <style …>, <link …>: CSS injection
	))
	reXSSEvent = pat(`(?:^|[\s"'\x60/;=,(+0-9>\\])on(?:`+anyOf(
		// on + any word ending in an event: onmouseover, onanimationend, onwebkitplaybacktargetavailabilitychanged
		`[a-z]+(?:`+anyOf(
			`load`, `error`, `start`, `end`, `change`, `click`, `move`, `over`, `out`, `down`, `up`, `enter`,
			`leave`, `focus`, `blur`, `press`, `message`, `show`, `hide`, `input`, `resize`, `scroll`,
			`wheel`, `toggle`, `select`, `submit`, `reset`, `play`, `pause`, `abort`, `cancel`, `close`,
			`open`, `copy`, `cut`, `paste`, `drag`, `drop`, `repeat`, `begin`, `finish`, `bounce`, `print`,
			`unload`, `activate`, `visible`, `cue`, `paint`, `state`, `update`, `time`, `seeked`, `seeking`,
			`waiting`, `suspend`, `emptied`, `stalled`, `ended`, `canplay`, `search`, `invalid`, `storage`,
			`online`, `offline`, `ready`, `data`, `ratechange`, `zoom`, `help`, `fetch`, `complete`,
		)+`)`,
		// event handler names, standard and vendor: onload, onerror, onpointerdown, onreadystatechange
		`load`, `error`, `click`, `focus`, `blur`, `change`, `submit`, `reset`, `select`, `input`,
		`invalid`, `search`, `toggle`, `scroll`, `wheel`, `resize`, `drag`, `drop`, `copy`, `cut`,
		`paste`, `play`, `pause`, `show`, `message`, `begin`, `end`, `repeat`, `finish`, `bounce`,
		`start`, `auxclick`, `contextmenu`, `formdata`, `beforetoggle`, `pageswap`, `pagereveal`,
		`animation\w*`, `transition\w*`, `pointer\w*`, `mouse\w*`, `key\w*`, `touch\w*`, `webkit\w*`,
		`moz\w*`, `ms\w*`, `before\w*`, `after\w*`, `dbl\w*`, `hash\w*`, `page\w*`, `pop\w*`,
		`unhandled\w*`, `loaded\w*`, `canplay\w*`, `duration\w*`, `volume\w*`, `rate\w*`, `seek\w*`,
		`progress`, `loadstart`, `stalled`, `suspend`, `waiting`, `emptied`, `ended`, `timeupdate`,
		`online`, `offline`, `storage`, `unload`, `readystatechange`, `propertychange`, `filterchange`,
		`losecapture`, `rowenter`, `rowexit`, `rowsdelete`, `rowsinserted`, `cellchange`, `dataavailable`,
		`datasetchanged`, `datasetcomplete`, `errorupdate`, `controlselect`, `activate`, `deactivate`,
		`help`, `move\w*`, `resize\w*`, `select\w*`, `focus\w*`, `blur\w*`, `scroll\w*`, `content\w*`,
		`cue\w*`, `security\w*`, `slotchange`, `visibilitychange`, `fullscreen\w*`, `orientation\w*`,
		`device\w*`, `gesture\w*`, `message\w*`, `close`, `cancel`, `open`, `show`, `beforescriptexecute`,
		`afterscriptexecute`,
	)+`)\s*=`, "on")
	reXSSURL = pats(anyOf(
		`(?:^|[^a-z0-9])(?:java|vb|live|ecma|j)script:[^\s]`,                                               // javascript:x, vbscript:x, jscript:x
		`(?:^|[^a-z0-9])(?:java|vb|live)script\s*:\s*(?:[a-z_$]+\s*[.(=\x60\[]|//|/\*|['"\x60({\[!~+-]|$)`, // javascript: alert(1), javascript://…, javascript:'…'
		// data:text/html, data:image/svg+xml, data:application/javascript
		`\bdata:\s*(?:text/html|text/xml|image/svg\+xml|application/(?:x-)?(?:javascript|ecmascript|xhtml\+xml|xml)|text/(?:java|ecma|vb)script)\b`,
		`\bdata:[^,]{0,40};base64,\s*(?:ph|pc|pg|ps|pt|pz)`, // base64 data URL starting with "<" (PH…, PC…, PG…): <html>, <svg>, <script>
		// href=javascript:, src=data:, formaction=javascript:
		`\b(?:href|src|action|formaction|data|poster|background|lowsrc|dynsrc|codebase|xlink:href)\s*=\s*['"\x60]?\s*(?:data|javascript|vbscript|livescript):`,
	))
	reXSSVector = pats(anyOf(
		// tag with an attribute set to script: <a href=javascript:, <iframe srcdoc=…, <svg><set to=alert
		`<\s*(?:`+anyOf(
			`svg`, `math`, `set`, `animate`, `animatetransform`, `animatemotion`, `foreignobject`, `handler`,
			`listener`, `image`, `img`, `video`, `audio`, `source`, `body`, `input`, `textarea`, `button`,
			`keygen`, `marquee`, `details`, `select`, `form`, `table`, `td`, `div`, `a`, `iframe`, `object`,
			`embed`, `isindex`, `x`, `html`, `style`, `custom\w*`, `[a-z]+-[a-z]+`,
		)+`)\b[^>]*?\b(?:`+anyOf(
			`srcdoc`, `formaction`, `xlink:href`, `dynsrc`, `lowsrc`, `datasrc`, `from`, `to`, `values`,
			`attributename`, `href`, `src`, `style`, `background`, `action`, `data`, `poster`, `code`,
			`codebase`, `by`, `begin`, `autofocus`,
		)+`)\s*=\s*['"\x60]?\s*(?:javascript|vbscript|data|alert|prompt|confirm|eval|&#|\\|#|top|self|window|document|x)`,
		`\b(?:srcdoc|formaction)\s*=`,                // srcdoc=, formaction=
		`\bxlink:href\s*=`,                           // SVG xlink:href=
		`<\s*(?:svg|math)\b[^>]*>?`,                  // <svg …>, <math …>
		`(?:^|[^a-z\s]|[^a-z]\s+)expression\s*\(`,    // CSS expression( (old IE)
		`-moz-binding\s*:`,                           // Firefox CSS -moz-binding:
		`\bbehavior\s*:\s*url`,                       // IE CSS behavior: url(…)
		`@import\b`,                                  // CSS @import
		`<!\[cdata\[.*?\]\]>`,                        // <![CDATA[…]]> hiding markup
		`<!--.*?--!?>.*<`,                            // <!-- … --> then markup: comment-split tags
		`<\?xml[^>]*>.*<\s*(?:script|html|x:script)`, // <?xml …> followed by <script or <html
		`\bx:script\b`,                               // x:script in XHTML
		`\burl\s*\(\s*['"]?\s*(?:(?:javascript|vbscript)(?:[^a-z)]|$)|data:)`,                              // CSS url(javascript:…), url(data:…)
		`<\s*[a-z][a-z0-9]*[\s/]+[^>]*\bstyle\s*=[^>]*(?:expression|javascript|behavior|binding|url\s*\()`, // style= attribute with expression(), javascript:, behavior or url(
	))
	reXSSSink = pats(anyOf(
		// document.cookie, document.write, document.location
		`\bdocument\s*\.\s*(?:cookie|domain|write|writeln|location|body|documentelement|createelement|getelementby\w+|forms|referrer|url)\b`,
		`\bwindow\s*\.\s*(?:location|name|open|eval|execscript)\b`,                                                  // window.location, window.open, window.eval
		`\blocation\s*\.\s*(?:href|hash|search|replace|assign)\b`,                                                   // location.href, location.hash, location.replace
		`(?:^|[^a-z0-9_.])(?:alert|prompt|confirm|eval|execscript|msgbox|atob)\s*(?:\(|\x60|\.call|\.apply|\.bind)`, // alert(1), prompt`1`, eval.call(…), atob(
		`(?:^|[^a-z0-9_.])(?:settimeout|setinterval|fetch|import)\s*(?:\(\s*[^)\s]|\x60|\.call|\.apply|\.bind)`,     // setTimeout(x), fetch(x), import(x)
		`\bstring\s*\.\s*fromcharcode\s*(?:\(\s*[^)\s]|\.|\)|,)`,                                                    // String.fromCharCode(88,83,83)
		`\.\s*(?:call|apply)\s*\x60`,             // .call`…`, .apply`…`: tagged template call
		`\breflect\s*\.\s*\w+\s*\(\s*[^)\s]`,     // Reflect.apply(…)
		`\b(?:settimeout|setinterval)\s*\(\s*\w`, // setTimeout(code, setInterval(code
		`\.innerhtml\s*=`,                        // .innerHTML=
		`\.outerhtml\s*=`,                        // .outerHTML=
		`\.src\s*=`,                              // .src=
		`\bnew\s+function\s*\(`,                  // new Function(
		`\bconstructor\s*\(\s*['"\x60]`,          // constructor('…'): Function constructor
		`\[\s*['"\x60](?:alert|eval|constructor|cookie)['"\x60]\s*\]`,          // ['alert'], ['constructor']: bracket property access
		`\b(?:top|self|parent|window|frames|globalthis|this)\s*\[\s*['"\x60(]`, // top['al'+'ert'], window['eval'], this[(…)]
		`\bwith\s*\(\s*document\b`,                          // with(document)
		`\bxmlhttprequest\b`,                                // XMLHttpRequest: exfiltration
		`\bnavigator\s*\.\s*sendbeacon\b`,                   // navigator.sendBeacon: exfiltration
		`\b(?:on\w+)\s*=\s*(?:alert|prompt|confirm|eval)\b`, // onload=alert, onerror=eval
	))
	reXSSJSFuck     = pat(`!\s*!\s*\[\s*\]|\(\s*!\s*\[\s*\]\s*\+?\s*\[\s*\]\s*\)|\[\s*\]\s*\[\s*\(\s*!\s*\[`, "!") // !![], (![]+[])
	reXSSTagHandler = pat(`<[a-z][^>]*[\s/"'\x60]on[a-z]{2,}\s*=`, "on")
	reXSSTag        = pat(`<\s*[a-z][a-z0-9:-]*[\s/]+[a-z:-]+\s*=|<\s*[a-z][a-z0-9:-]*[\s/]+[^>]*>|</\s*[a-z]+\s*>`, "<")
)

// xss detects cross-site scripting.
func (s *scan) xss(in *input) {
	if in.text {
		s.xssText(in)
		return
	}
	if in.cls&^(cAlpha) == 0 && len(in.low) > 4 && in.low[0] == 'o' && in.low[1] == 'n' && !in.key && eventName(in.low) {
		s.report(ruleXSSEvent, in, in.low) // a handler name alone, for an attribute
		return
	}
	if i := strings.Index(in.low, "+adw-"); i >= 0 && i+5 < len(in.low) && utf7Tag(in.low[i+5:]) {
		s.report(ruleXSSScript, in, in.low[i:]) // UTF-7: +ADw- is <
		return
	}
	if !in.has(cLT | cColon | cEq | cParen | cDot | cQuote | cBracket) {
		return
	}
	low := in.low
	if in.has(cLT) && s.scriptTag(in, low) {
		return
	}
	if in.has(cEq) && s.matchRule(ruleXSSEvent, reXSSEvent, in, low) {
		return
	}
	if in.has(cLT|cEq) && s.matchRule(ruleXSSEvent, reXSSTagHandler, in, low) {
		return
	}
	if in.has(cColon) {
		u := low
		if in.has(cNewline | cSpace | cCtl) {
			u = s.squeeze(low)
		}
		if s.matchAny(ruleXSSURL, reXSSURL, in, u) {
			return
		}
	}
	if in.has(cLT|cColon|cParen|cEq) && s.matchAny(ruleXSSVector, reXSSVector, in, low) {
		return
	}
	// libinjection flags only tags, comments and doctypes, which need a <,
	// and attribute values after a name, which need an =: without either
	// (it still parses "x' onload" as an attribute name) IsXSS is false.
	if in.has(cLT|cEq) && s.spend(len(in.dec)) && !(in.has(cLT) && inertOnly(low)) && libinjection.IsXSS(in.dec) {
		s.report(ruleXSSTokens, in, in.dec)
		return
	}
	sink := low
	if strings.Contains(low, "/*") {
		sink = s.sqlForm(low) // document/**/.cookie
	}
	if in.has(cParen|cDot|cBracket|cEq) && (s.matchAny(ruleXSSSink, reXSSSink, in, sink) || in.has(cBracket) && s.matchRule(ruleXSSSink, reXSSJSFuck, in, low)) {
		if in.has(cLT) {
			s.matchRule(ruleXSSTag, reXSSTag, in, low)
		}
		return
	}
	if in.has(cLT) {
		s.matchRule(ruleXSSTag, reXSSTag, in, low)
	}
}

// squeeze returns v without tabs, line breaks and control characters, which
// browsers drop from URLs ("java\tscript:").
func (s *scan) squeeze(v string) string {
	if !strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return v
	}
	start := len(s.buf)
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= 0x20 && c != 0x7f {
			s.buf = append(s.buf, c)
		}
	}
	return s.str(start)
}

// eventName reports whether v is the name of an event handler attribute
// (and not an English word such as online).
func eventName(v string) bool {
	switch v {
	case "online", "offline", "onset", "onward", "onwards", "onion", "onions", "onboarding", "onboard", "onyx", "ongoing", "onsite", "onstage", "onscreen":
		return false
	}
	return reXSSEvent.re.MatchString(" " + v + "=")
}

// utf7Tag reports whether v, what follows a UTF-7 "<" (+ADw-), starts a
// tag: a letter, / or !.
func utf7Tag(v string) bool {
	c := v[0]
	return 'a' <= c && c <= 'z' || c == '/' || c == '!'
}
