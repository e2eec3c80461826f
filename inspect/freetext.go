package inspect

import "strings"

// Free text — prose, Markdown, the HTML of a rich-text editor — is judged
// as what it is (issue 21). A body field that reads as prose is parsed
// once: Markdown fenced and indented code blocks and code spans, and the
// contents of HTML <pre> and <code> elements, are quoted code (content the
// app stores and shows, not commands to it); the rest is prose. The
// detectors then read the prose only, and in it they need evidence of an
// injection into the app's own interpreter (a quote closed then an SQL
// clause, an executable HTML context, a shell separator then a command),
// not keywords.
//
// Quoted code and the app: Markdown renders code blocks and spans escaped,
// so markup in them cannot run, and SQL or a shell command quoted in an
// article is content. HTML <pre>/<code> elements are not escaped: markup
// inside them is live, so the cross-site scripting rules still read their
// contents; only the other detectors skip them. A field the app shows raw
// (not through Markdown) with a payload wrapped in a fake fence is the risk
// this leaves: learned field profiles (issue 21 item 2) are where that is
// told apart.
//
// Some interpreters read the bytes, not the Markdown, so the whole value,
// quoted code included, is still read for them: the database at the
// value's first quote of each kind (firstquote.go), a logger for a JNDI
// lookup, and a shell (to which a backtick, and so a code span or a fence,
// is command substitution) for the commands of an attack that
// documentation does not quote in passing: a reverse shell, a system file
// read by a command (reShellInCode). Other shell commands, paths, URLs and
// templates in code stay content. And the start of a value, up to a
// comment mark on its first line, is read as a value (valueHead): padding
// a payload with words after a comment mark does not make it prose.

// Limits of what reads as free text.
const (
	minTextWords = 6  // words of prose outside code
	minTextLen   = 24 // bytes of value
)

// textKind reports whether values of kind k may be free text: body fields.
func textKind(k kind) bool {
	switch k {
	case kindJSON, kindForm, kindMultipart, kindXML, kindBody:
		return true
	}
	return false
}

// freeText judges in as free text if it reads as such, and reports whether
// it did. The detectors then see the prose of in (with a text flag), not in.
func (s *scan) freeText(in *input) bool {
	if in.key || in.text || in.base64 || !textKind(in.kind) || len(in.raw) < minTextLen || !in.has(cSpace|cNewline) || countWords(in.low) < minTextWords {
		return false
	}
	return s.judgeText(in)
}

// judgeText judges in as free text if its prose reads as such, and
// reports whether it did.
func (s *scan) judgeText(in *input) bool {
	if !s.spend(2 * len(in.raw)) {
		return true
	}
	start := len(s.buf)
	markup := s.proseView(in.raw, false) // Markdown code removed
	prose := markup
	if hasCodeElement(markup) {
		prose = s.proseView(markup, true) // and <pre>/<code> contents
	}
	t := &s.txt
	*t = input{kind: in.kind, name: in.name, raw: prose, text: true}
	t.dec = s.decode(prose)
	t.low = s.lower(t.dec)
	t.verbatim = prose == in.raw && t.dec == prose
	if !readsAsProse(t.low) && !s.fenced && !hasTableRule(t.low) {
		s.buf = s.buf[:start]
		return false // symbols more than words: judged as a value
	}
	t.cls = classes(t.low)
	t.hints = s.scanHints(t.low)
	if prose != markup {
		// The contents of <pre>/<code> are live markup: the XSS rules read
		// them too.
		x := &s.sub
		*x = input{kind: in.kind, name: in.name, raw: markup, text: true}
		x.dec = s.decode(markup)
		x.low = s.lower(x.dec)
		x.cls = classes(x.low)
		x.hints = s.scanHints(x.low)
		s.xss(x)
		t.noXSS = true
	}
	s.check(t)
	// The database reads the whole value, quoted code and all.
	s.sqliFirstQuote(in)
	// So does a logger: a JNDI lookup runs wherever it is in the value.
	if strings.Contains(in.low, "${") {
		s.readHints(in)
		s.jndiCall(in)
	}
	// And a shell, to which a backtick (a code span, a fence) runs a
	// command.
	if strings.Contains(in.low, "/dev/") || strings.Contains(in.low, "/etc/") || strings.Contains(in.low, "/proc/") || strings.Contains(in.low, "/bin/") {
		s.readHints(in)
		s.matchAny(ruleCmdShell, reShellInCode, in, in.low)
	}
	// Words after a comment mark do not make what comes before it prose.
	s.valueHead(in)
	return true
}

// minProse is the share, in percent, of the bytes of the prose of a value
// that reads as free text that are words and the spaces between them.
// Attack payloads are mostly symbols and names run together; a value
// padded with prose to pass is still judged, on the evidence free text
// needs.
const minProse = 50

// readsAsProse reports whether v, the prose of a value with its quoted code
// removed, is mostly words: minTextWords words or more (two letters or
// more, with sentence punctuation around them) making up minProse percent
// of its bytes with the spaces between them. What frames prose in a
// document is neither words nor symbols and left out of the share: the
// target of a Markdown link, a bare http(s) URL, an HTML tag (its
// attributes too), the pipes and rules of a Markdown table. The free-text
// rules still read all of it (an event handler in a tag is an attack).
func readsAsProse(v string) bool {
	var r proseReader
	for i := 0; i < len(v); {
		c := v[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			r.prose++
			i++
			continue
		}
		j := i
		for j < len(v) && v[j] != ' ' && v[j] != '\n' && v[j] != '\t' && v[j] != '\r' {
			j++
		}
		// The token v[i:j] is read in pieces, each once: "database</a>" is
		// a word then a tag, and what follows a tag's > is read again.
		for p := i; p < j; {
			p += r.piece(v[p:j])
		}
		i = j
	}
	return r.words >= minTextWords && r.prose*100 >= (len(v)-r.framing)*minProse
}

// proseReader counts the words, prose and framing bytes of a value.
type proseReader struct {
	words, prose, framing int
	inTag                 bool
}

// piece reads the start of t, the rest of a token, and returns how many
// bytes it read: a tag up to its >, a word up to a tag, or all of t.
func (r *proseReader) piece(t string) int {
	if k := strings.IndexByte(t, '<'); k > 0 && !r.inTag && opensTag(t[k:]) {
		t = t[:k]
	} else if r.inTag || opensTag(t) {
		if k := strings.IndexByte(t, '>'); k >= 0 {
			t, r.inTag = t[:k+1], false
		} else {
			r.inTag = true
		}
		if plainTag(t) {
			r.framing += len(t)
			return len(t)
		}
		r.count(t)
		return len(t)
	}
	if isTableRule(t) || isBareURL(t) {
		r.framing += len(t)
		return len(t)
	}
	n := len(t)
	if k := strings.Index(t, "]("); k >= 0 {
		// A Markdown link: its text is prose, its target neither.
		r.framing += len(t) - k - 1
		t = t[:k+1]
	}
	r.count(t)
	return n
}

// count counts t as prose if it is a word.
func (r *proseReader) count(t string) {
	if isWord(t) {
		r.words++
		r.prose += len(t)
	}
}

// opensTag reports whether token t opens a tag that documents and rich-text
// editors write (<a, <img, </div>) or an HTML comment. Tags they do not
// write (script, style, object, embed, meta, svg, form…) are not framing:
// a value made of them is judged as a value.
func opensTag(t string) bool {
	if len(t) < 2 || t[0] != '<' {
		return false
	}
	if strings.HasPrefix(t, "<!--") {
		return true
	}
	name := strings.TrimPrefix(t[1:], "/")
	end := 0
	for end < len(name) && ('a' <= name[end] && name[end] <= 'z' || '0' <= name[end] && name[end] <= '9') {
		end++
	}
	if end < len(name) && strings.IndexByte(">/", name[end]) < 0 {
		return false
	}
	return documentTags[name[:end]]
}

// documentTags are the elements of documents and rich text: what Markdown
// and HTML sanitizers let through.
var documentTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "blockquote": true, "br": true, "caption": true, "cite": true,
	"code": true, "dd": true, "del": true, "details": true, "div": true, "dl": true, "dt": true,
	"em": true, "figcaption": true, "figure": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "hr": true, "i": true, "img": true, "ins": true, "kbd": true, "li": true,
	"mark": true, "ol": true, "p": true, "picture": true, "pre": true, "q": true, "s": true,
	"samp": true, "small": true, "source": true, "span": true, "strong": true, "sub": true,
	"summary": true, "sup": true, "table": true, "tbody": true, "td": true, "tfoot": true, "th": true,
	"thead": true, "tr": true, "u": true, "ul": true, "var": true,
}

// plainTag reports whether t, a tag or a piece of one, is plain markup: no
// script URL, style URL or expression, binding, import, character
// reference or escape that could hide one.
func plainTag(t string) bool {
	for _, w := range []string{"script:", "url(", "expression", "binding", "import", "&#", "\\"} {
		if strings.Contains(t, w) {
			return false
		}
	}
	return true
}

// hasTableRule reports whether v holds the delimiter row of a Markdown
// table (|---|:-:|, | - | - |): a table of code spans and names is free
// text too.
func hasTableRule(v string) bool {
	for len(v) > 0 {
		line := v
		if i := strings.IndexByte(v, '\n'); i >= 0 {
			line, v = v[:i], v[i+1:]
		} else {
			v = ""
		}
		line = strings.Trim(line, " \t\r")
		if strings.IndexByte(line, '-') >= 0 && strings.IndexByte(line, '|') >= 0 && strings.Trim(line, "|-: \t") == "" {
			return true
		}
	}
	return false
}

// isTableRule reports whether token t is a pipe or a rule of a Markdown
// table: |, |---|, :---:.
func isTableRule(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c != '|' && c != '-' && c != ':' {
			return false
		}
	}
	return strings.IndexByte(t, '|') >= 0 || strings.Contains(t, "---")
}

// isBareURL reports whether token t is an http(s) URL and nothing else: no
// quote, tag or shell metacharacter in it.
func isBareURL(t string) bool {
	if !strings.HasPrefix(t, "https://") && !strings.HasPrefix(t, "http://") {
		return false
	}
	return !strings.ContainsAny(t, "'\"<>`|;$\\{}")
}

// isWord reports whether t, a token between spaces, is a word of prose:
// two letters or more, perhaps with a hyphen, apostrophe or slash inside, an
// opening ( " * _ or [ before and closing punctuation after.
func isWord(t string) bool {
	for len(t) > 0 && strings.IndexByte("(\"*_[", t[0]) >= 0 {
		t = t[1:]
	}
	for len(t) > 0 && strings.IndexByte(".,:;!?\"*_]", t[len(t)-1]) >= 0 {
		t = t[:len(t)-1]
	}
	// An API named with an empty call, "fs.readdir()", "Date()", is a
	// word of documentation: a call with arguments is not.
	name := strings.HasSuffix(t, "()")
	if name {
		t = t[:len(t)-2]
	}
	for len(t) > 0 && strings.IndexByte(").,:;!?\"*_]", t[len(t)-1]) >= 0 {
		t = t[:len(t)-1]
	}
	letters := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case 'a' <= c && c <= 'z' || c >= 0x80:
			letters++
		case (c == '-' || c == '\'' || c == '/' || name && c == '.') && i > 0 && i < len(t)-1:
		default:
			return false
		}
	}
	return letters >= 2
}

// proseView returns v with quoted code removed: with html false, Markdown
// fenced and indented code blocks (each line kept as an empty one) and
// code spans (each as one space); with html true, the contents of <pre>
// and <code> elements (as one space). It reads v once or twice, in linear
// time, and appends to the arena.
func (s *scan) proseView(v string, html bool) string {
	if html {
		return s.withoutCodeElements(v)
	}
	start := len(s.buf)
	s.fenced = false
	var fence byte
	fenceLen := 0
	prevBlank, indented := true, false
	for i := 0; i <= len(v); {
		end := i
		for end < len(v) && v[end] != '\n' {
			end++
		}
		line := v[i:end]
		t, width := trimIndent(line)
		blank := isBlank(t)
		code := true
		switch {
		case fence != 0:
			if c, n := fenceRun(t); c == fence && n >= fenceLen && isBlank(t[n:]) {
				fence = 0
			}
		case fenceOpens(t):
			fence, fenceLen = fenceRun(t)
			s.fenced = true
		case width >= 4 && !blank && (prevBlank || indented):
			indented = true
		default:
			code = false
			if !blank {
				indented = false
			}
		}
		if !code {
			s.appendProse(line)
		}
		prevBlank = blank
		if end < len(v) {
			s.buf = append(s.buf, '\n')
		}
		i = end + 1
	}
	// A fence never closed runs to the end (CommonMark): code too.
	blocks := s.str(start)
	if !containsByte(blocks, '`') {
		return blocks
	}
	return s.withoutCodeSpans(blocks)
}

// appendProse appends a line of Markdown prose; a backslash-escaped < (\<)
// is text, not a tag, and is appended as a space.
func (s *scan) appendProse(line string) {
	for {
		i := strings.Index(line, `\<`)
		if i < 0 {
			s.buf = append(s.buf, line...)
			return
		}
		s.buf = append(s.buf, line[:i]...)
		s.buf = append(s.buf, ' ', ' ')
		line = line[i+2:]
	}
}

// withoutCodeSpans returns v without its Markdown code spans: a run of n
// backticks opens a span that the next run of exactly n closes, within a
// paragraph; a run no other closes is literal. Linear: the runs of a
// paragraph are matched through a table of the last run of each length.
func (s *scan) withoutCodeSpans(v string) string {
	start := len(s.buf)
	runs := s.runs[:0]
	para := 0 // index in runs of the paragraph's first run
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '`':
			n := 1
			for i+n < len(v) && v[i+n] == '`' {
				n++
			}
			runs = append(runs, tickRun{pos: i, n: n, next: -1, close: -1})
			i += n - 1
		case '\n':
			// A blank line ends the paragraph: no span crosses it.
			j := i + 1
			for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
				j++
			}
			if j < len(v) && v[j] == '\n' || j == len(v) {
				matchRuns(runs, para)
				para = len(runs)
			}
		}
	}
	matchRuns(runs, para)
	s.runs = runs
	out, r := 0, 0
	for r < len(runs) {
		o := runs[r]
		if o.close < 0 {
			r++
			continue
		}
		c := runs[o.close]
		s.buf = append(s.buf, v[out:o.pos]...)
		s.buf = append(s.buf, ' ')
		for i := o.pos; i < c.pos; i++ {
			if v[i] == '\n' {
				s.buf = append(s.buf, '\n') // a span's lines stay lines
			}
		}
		out = c.pos + c.n
		r = o.close + 1
	}
	s.buf = append(s.buf, v[out:]...)
	return s.str(start)
}

// A tickRun is a run of backticks: where, how long, the index of the next
// run as long and of the run that closes it (-1 if none).
type tickRun struct{ pos, n, next, close int }

// maxTickRun is the longest run of backticks that opens a code span; a
// longer one is literal.
const maxTickRun = 16

// matchRuns pairs each run of runs[from:], a paragraph's, with the next of
// the same length, going forwards: a run that opens a span, its closer and the runs between are
// taken. It reads runs twice.
func matchRuns(runs []tickRun, from int) {
	if len(runs)-from < 2 {
		return
	}
	var last [maxTickRun + 1]int
	for i := range last {
		last[i] = -1
	}
	for i := len(runs) - 1; i >= from; i-- {
		if n := runs[i].n; n <= maxTickRun {
			runs[i].next = last[n]
			last[n] = i
		}
	}
	for i := from; i < len(runs); {
		if runs[i].next < 0 {
			i++
			continue
		}
		runs[i].close = runs[i].next
		i = runs[i].next + 1
	}
}

// withoutCodeElements returns v with the contents of <pre> and <code>
// elements removed. An element never closed is not removed; once a closing
// tag is found missing it is not looked for again, so v is read in linear
// time.
func (s *scan) withoutCodeElements(v string) string {
	start := len(s.buf)
	out := 0
	noClose := [2]bool{}
	for i := 0; i < len(v); i++ {
		if v[i] != '<' {
			continue
		}
		k := -1
		for j, name := range codeElements {
			if hasPrefixFold(v[i+1:], name) && i+1+len(name) < len(v) && (v[i+1+len(name)] == '>' || v[i+1+len(name)] == ' ') {
				k = j
				break
			}
		}
		if k < 0 || noClose[k] {
			continue
		}
		end := closingTag(v, i+1, codeElements[k])
		if end < 0 {
			noClose[k] = true
			continue
		}
		s.buf = append(s.buf, v[out:i]...)
		s.buf = append(s.buf, ' ')
		out = end
		i = end - 1
	}
	s.buf = append(s.buf, v[out:]...)
	return s.str(start)
}

var codeElements = [2]string{"pre", "code"}

// closingTag returns the end of the first </name> in v from i, or -1.
func closingTag(v string, i int, name string) int {
	for ; i < len(v); i++ {
		if v[i] == '<' && i+2+len(name) < len(v) && v[i+1] == '/' && hasPrefixFold(v[i+2:], name) && v[i+2+len(name)] == '>' {
			return i + 3 + len(name)
		}
	}
	return -1
}

// hasCodeElement reports whether v may hold a <pre> or <code> element.
func hasCodeElement(v string) bool {
	for i := 0; i+4 < len(v); i++ {
		if v[i] == '<' && (hasPrefixFold(v[i+1:], "pre") || hasPrefixFold(v[i+1:], "code")) {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether v starts with p, a lower-case ASCII word,
// in any case.
func hasPrefixFold(v, p string) bool {
	if len(v) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

// trimIndent returns line without its indentation and the indentation's
// width (a tab to the next multiple of 4).
func trimIndent(line string) (string, int) {
	w := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return line[i:], w
		}
	}
	return "", w
}

func isBlank(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] != ' ' && v[i] != '\t' && v[i] != '\r' {
			return false
		}
	}
	return true
}

// fenceRun returns the fence character t starts with and how many times.
func fenceRun(t string) (byte, int) {
	if t == "" || t[0] != '`' && t[0] != '~' {
		return 0, 0
	}
	n := 1
	for n < len(t) && t[n] == t[0] {
		n++
	}
	return t[0], n
}

// fenceOpens reports whether t, a line without its indentation, opens a
// fenced code block: three backticks or tildes or more, and for backticks
// an info string without one.
func fenceOpens(t string) bool {
	c, n := fenceRun(t)
	if n < 3 {
		return false
	}
	return c == '~' || !containsByte(t[n:], '`')
}

func containsByte(v string, c byte) bool {
	for i := 0; i < len(v); i++ {
		if v[i] == c {
			return true
		}
	}
	return false
}

// maxHead bounds the start of a free-text value read as a value.
const maxHead = 256

// valueHead reads the start of free text in, up to a comment mark on its
// first line, as a value, with every detector. An interpreter that reads
// the value from its start runs that much and ignores the rest: "1; drop
// table users -- and some words", "; sleep 10 # then words" or
// "javascript:alert(1)// and words" pass as free text, but not their
// start. The prose that opens an article holds no such start; a start
// with a code span in it is Markdown and judged as free text is.
func (s *scan) valueHead(in *input) {
	line := in.low
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = line[:min(len(line), maxHead)]
	end := commentMark(line)
	if end <= 0 || isBlank(line[:end]) || len(in.dec) != len(in.low) || strings.IndexByte(line[:end], '`') >= 0 {
		return // no start, or one with code spans: Markdown, judged as such
	}
	h := &s.head
	*h = input{kind: in.kind, name: in.name, raw: in.dec[:end], dec: in.dec[:end], low: in.low[:end], unread: true}
	h.cls = classes(h.low)
	s.checkValue(h)
}

// commentMark returns where the first comment mark of line is, -1 if it
// has none: -- not followed by a word (--my-var is a name), # after a
// space, a digit, a quote, ) or ; (an anchor, page#top, is not), // not
// after a colon (https:// is a URL), or /* not closed on the line; a /**/
// closed on it (a space to SQL) only when no other mark follows.
func commentMark(line string) int {
	inline := -1 // the first /* closed on the line, if no other mark follows
	for i := 1; i < len(line); i++ {
		switch line[i] {
		case '-':
			if line[i-1] == '-' && (i+1 == len(line) || !isWordByte(line[i+1])) {
				return i - 1
			}
		case '#':
			if c := line[i-1]; c == ' ' || c == '\t' || c == '\'' || c == '"' || c == ')' || c == ';' || '0' <= c && c <= '9' {
				return i
			}
		case '/':
			if line[i-1] == '/' && (i < 2 || line[i-2] != ':') {
				return i - 1
			}
		case '*':
			if line[i-1] == '/' {
				// /**/ closed on the line is a space to SQL, not the end.
				k := strings.Index(line[i+1:], "*/")
				if k < 0 {
					return i - 1
				}
				if inline < 0 {
					inline = i - 1
				}
				i += k + 2
			}
		}
	}
	return inline
}
