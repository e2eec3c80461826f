package inspect

import (
	"net/url"
	"testing"
)

// Searches of documentation name APIs: a hyphenated CSS function with an
// empty call and a property path ending at __proto__ pass, while the
// injections that look like them still block.
func TestSearchNamesAPIs(t *testing.T) {
	e := newTestEngine(t)
	for _, c := range []struct {
		q     string
		block bool
		rule  string // the rule that must catch it, if blocked
	}{
		{"sibling-count() CSS function", false, ""},
		{"sibling-index()", false, ""},
		{"Object.prototype.__proto__", false, ""},
		{"what does obj.__proto__ return", false, ""},
		// Subtracting a call with an argument, or from a number: libinjection.
		{"1-sleep(5)", true, ""},
		{"id-if(1,sleep(5),0)", true, ""},
		{"a-sleep(5) x", true, ""},
		// A property after __proto__ is pollution, in any spelling.
		{"Object.prototype.__proto__.isAdmin", true, "bw-proto-001"},
		{"a.__proto__.polluted", true, "bw-proto-001"},
		{"__proto__[admin]", true, "bw-proto-001"},
		{"__proto__.x __proto__", true, "bw-proto-001"},
		{"__proto__", true, "bw-proto-001"},
	} {
		v := e.Inspect(&Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(c.q)})
		switch {
		case c.block && (v.Action != Block || c.rule != "" && !hasRule(v, c.rule)):
			t.Errorf("q=%q: %v, want blocked %s", c.q, v, c.rule)
		case !c.block && v.Action != Allow:
			t.Errorf("q=%q: %v, want allowed with no finding", c.q, v)
		}
	}
}

func TestHyphenedCall(t *testing.T) {
	for _, c := range []struct {
		v, fp string
		want  bool
	}{
		{"sibling-count() CSS function", "nof()", true},
		{"sibling-count(5) CSS function", "nof()", false},
		{"1-count() x", "1of()", false},
		{"a -count() x", "nof()", false},
		{"a-count() x'", "nof()", false},
		{"a-count() x", "nos", false},
	} {
		if got := hyphenedCall(c.v, c.fp); got != c.want {
			t.Errorf("hyphenedCall(%q, %q) = %v, want %v", c.v, c.fp, got, c.want)
		}
	}
}
