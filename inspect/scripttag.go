package inspect

import "strings"

// scriptTag reports bw-xss-002 for the first tag of reXSSScript in low
// that can run or load something. A tag named and nothing more — the
// title "<meta name="viewport"> HTML attribute value", a search for
// "<iframe> HTML inline frame element" — is inert: a frame, object, base
// or meta needs a URL attribute to do anything, and a script element needs
// code or a src. Closing tags and the other shapes of the expression
// always count.
func (s *scan) scriptTag(in *input, low string) bool {
	hints := s.hintsOf(in, low)
	if !hints.admits(reXSSScript) || !s.spend(len(low)) {
		return false
	}
	for _, loc := range reXSSScript.re.FindAllStringIndex(low, -1) {
		if !inertTag(low, loc[0]) {
			s.report(ruleXSSScript, in, low[loc[0]:loc[1]])
			return true
		}
	}
	return false
}

// inertTag reports whether the tag matched at low[i:] is an opening tag
// of an element in inertElements whose attributes hold no URL or code, and,
// for script, style and the like, with no code after it.
func inertTag(low string, i int) bool {
	k := i + 1
	for k < len(low) && (low[k] == ' ' || low[k] == '\t') {
		k++
	}
	n := k
	for n < len(low) && 'a' <= low[n] && low[n] <= 'z' {
		n++
	}
	name := low[k:n]
	if !inertElements[name] {
		return false
	}
	// The attributes, up to the tag's end: only names and the values of
	// name, type, lang, id, class and title (a charset is no name: it changes
	// how the page is read).
	end := strings.IndexByte(low[n:min(len(low), n+maxTagLen)], '>')
	if end < 0 {
		return false
	}
	if !plainAttrs(low[n : n+end]) {
		return false
	}
	// What follows: code, or words.
	after := low[n+end+1:]
	if c := strings.IndexByte(after, '<'); c >= 0 {
		after = after[:c]
	}
	after = after[:min(len(after), maxTagLen)]
	if rawText[name] && countWords(after) == 0 {
		return false // <xmp> ending a value: a piece of a longer vector
	}
	return !strings.ContainsAny(after, "()=;.[]{}`'\"+:/\\&%$")
}

// inertOnly reports whether every tag in low is inert (see [inertTag]):
// then libinjection, which flags these element names, is not asked.
func inertOnly(low string) bool {
	seen := false
	for i := 0; i < len(low); i++ {
		if low[i] != '<' {
			continue
		}
		k := i + 1
		for k < len(low) && (low[k] == ' ' || low[k] == '\t') {
			k++
		}
		if k == len(low) {
			continue
		}
		if c := low[k]; c == '/' || c == '!' || c == '?' || 'a' <= c && c <= 'z' && !inertTag(low, i) {
			return false
		}
		seen = true
	}
	return seen
}

// maxTagLen bounds what inertTag reads of a tag's attributes and of the
// text after it.
const maxTagLen = 256

// rawText are the elements whose contents the HTML parser does not read
// as markup.
var rawText = words(`script style xmp plaintext listing noscript noembed noframes iframe`)

// inertElements are the elements of reXSSScript that do nothing named
// alone.
var inertElements = words(`script iframe frame frameset object embed applet base meta isindex import portal layer ilayer
	bgsound xmp plaintext listing noscript noembed noframes style link`)
