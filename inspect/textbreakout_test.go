package inspect

import (
	"strings"
	"testing"
)

// TestEventHandler reads prose as the browser does: a handler with a
// script in a tag, or among the first attributes after a quote or a space
// that may end the app's attribute value, runs; a word, a handler with no
// script and a name that is no DOM event after a quote do not.
func TestEventHandler(t *testing.T) {
	for _, c := range []struct {
		v    string
		runs bool
	}{
		{`see <svg onload=alert(1)> here`, true},
		{`see <svg/onload=alert(1)> here`, true},
		{`<div style=content:url(data:image/svg+xml,%3Csvg/%3E);visibility:hidden onload=alert(41)></div>`, true},
		{`<img src="a>b" onerror="fetch('//x')">`, true}, // a > in a quoted value does not end the tag
		{`<x onanything=alert(1)>`, true},                // in a tag any on… attribute is a handler
		{`text " onmouseover="alert(1) more`, true},
		{`text "autofocus/onfocus=alert(1)// more`, true},
		{`text ' autofocus onfocus='location=1' more`, true},
		{`text onmouseover="document.cookie=true;"> more`, true},
		{`<img src=x onerror=alert;throw 1>`, true},

		{`the onload event fires once the page is ready`, false},
		{`the "onload" attribute takes a function name`, false},
		{`<b onclick=handler>bold</b>`, false},       // no script: a name
		{`text " onward=go(1) more`, false},          // no DOM event
		{`<img src='1' onerror/=alert(0) />`, false}, // the browser reads "=alert(0)" as a name
		{`a < b and onload = f() too`, false},        // no tag: "< b", and no quote before the handler
	} {
		if _, got := eventHandler(c.v); got != c.runs {
			t.Errorf("eventHandler(%q) = %v, want %v", c.v, got, c.runs)
		}
	}
}

// FuzzEventHandler checks eventHandler on any input: it returns, and what
// it returns is a part of the input that names a handler.
func FuzzEventHandler(f *testing.F) {
	for _, s := range []string{`<svg onload=alert(1)>`, `" onfocus=x()`, `<a b='`, `<<<<`, `"""" on on=`, ` onload=(`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		frag, ok := eventHandler(v)
		if !ok {
			return
		}
		if !strings.Contains(v, frag) || !strings.Contains(strings.ToLower(frag), "on") {
			t.Fatalf("eventHandler(%q) = %q: not a part of the input naming a handler", v, frag)
		}
	})
}
