package inspect

import "strings"

// textScript reports bw-xss-002 for the first match of reTextScript in
// low, the prose of free text, that can run. A script element named in a
// sentence — "The following <script> element includes an integrity
// attribute", a description whose code spans lost their backticks — can
// never run: its text starts with two words, which no JavaScript parses,
// and a script that does not parse runs none of itself, whatever follows
// it in the page (another field, the rest of the value). That holds only
// where the browser reads the value's own text after the tag: in prose
// nothing was removed from as code and nothing decoded (in.verbatim), and
// with no src or handler attribute. Its closing tag closes it; a closing
// tag alone, a script whose text may parse and the frames, objects, bases
// and refreshes of reTextScript always count.
func (s *scan) textScript(in *input, low string) bool {
	hints := s.hintsOf(in, low)
	if !hints.admits(reTextScript) || !s.spend(len(low)) {
		return false
	}
	inertEnd := 0 // the end of the last inert script element
	for _, loc := range reTextScript.re.FindAllStringIndex(low, -1) {
		if loc[0] < inertEnd {
			continue // the text or closing tag of an inert script
		}
		if end, ok := unparsableScript(in, low, loc[0]); ok {
			inertEnd = end
			continue
		}
		s.report(ruleXSSScript, in, low[loc[0]:loc[1]])
		return true
	}
	return false
}

// unparsableScript reports whether low[i:] opens a script element whose
// text no JavaScript parser accepts, and where the element ends (past its
// closing tag, or the end of low).
func unparsableScript(in *input, low string, i int) (int, bool) {
	if !in.verbatim {
		return 0, false
	}
	k := i + 1
	for k < len(low) && (low[k] == ' ' || low[k] == '\t') {
		k++
	}
	if !strings.HasPrefix(low[k:], "script") {
		return 0, false // a closing tag, or another element
	}
	n := k + len("script")
	end := strings.IndexByte(low[n:min(len(low), n+maxTagLen)], '>')
	if end < 0 || !plainAttrs(low[n:n+end]) {
		return 0, false
	}
	text := low[n+end+1:]
	close := strings.Index(text, "</script")
	if close >= 0 {
		text = text[:close]
	}
	if !startsWithTwoNames(text) {
		return 0, false
	}
	if close < 0 {
		return len(low), true
	}
	return n + end + 1 + close + len("</script"), true
}

// plainAttrs reports whether attrs, the inside of an opening tag after
// its name, holds only attribute names and the values of name, type,
// lang, language, id, class and title: nothing that loads or runs.
func plainAttrs(attrs string) bool {
	if strings.ContainsAny(attrs, "`\\&%") {
		return false
	}
	for a := attrs; ; {
		eq := strings.IndexByte(a, '=')
		if eq < 0 {
			return true
		}
		attr := strings.TrimRight(a[:eq], " \t\n")
		if sp := strings.LastIndexAny(attr, " \t\n\"'"); sp >= 0 {
			attr = attr[sp+1:]
		}
		switch attr {
		case "name", "type", "lang", "language", "id", "class", "title":
		default:
			return false
		}
		a = a[eq+1:]
	}
}

// startsWithTwoNames reports whether text, a script's, starts with two
// names on one line with only spaces between them, the first no keyword
// that takes a name after it and the second no operator: "element
// includes", which no JavaScript parses. A line break between them would
// end a statement.
func startsWithTwoNames(text string) bool {
	t := strings.TrimLeft(text, " \t\r\n")
	first, rest := nameAt(t)
	if first == "" || jsLeadWords[first] {
		return false
	}
	sp := 0
	for sp < len(rest) && (rest[sp] == ' ' || rest[sp] == '\t') {
		sp++
	}
	second, _ := nameAt(rest[sp:])
	return sp > 0 && second != "" && second != "in" && second != "instanceof"
}

// nameAt returns the ASCII name t starts with (a letter, then letters,
// digits and _) and what follows it; "" if t starts with none, or with one
// that runs into another character a name may hold ($, a non-ASCII
// letter).
func nameAt(t string) (string, string) {
	if t == "" || !('a' <= t[0] && t[0] <= 'z') {
		return "", t
	}
	n := 1
	for n < len(t) && ('a' <= t[n] && t[n] <= 'z' || '0' <= t[n] && t[n] <= '9' || t[n] == '_') {
		n++
	}
	if n < len(t) && (t[n] == '$' || t[n] >= 0x80) {
		return "", t
	}
	return t[:n], t[n:]
}

// jsLeadWords are the JavaScript keywords and contextual keywords a name
// may follow: "new Foo", "let x", "typeof y", "async function".
var jsLeadWords = words(`async await break case class const continue debugger default delete do else enum export
extends for function get if implements import in instanceof interface let new of package private protected public
return set static super switch this throw try typeof var void while with yield from as`)
