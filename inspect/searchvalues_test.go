package inspect

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/bulwark-sec/bulwark/routes"
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

// A path ending at __proto__ passes only in a search: elsewhere an app may
// merge a value into what the path names, which is Object.prototype.
func TestProtoPathOnlyInSearches(t *testing.T) {
	e := newTestEngine(t)
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name  string
		req   Request
		block bool
	}{
		{"a search", Request{Method: "GET", URI: "/search?query=Object.prototype.__proto__"}, false},
		{"a query parameter learned as text", Request{Method: "GET", URI: "/docs?find=Object.prototype.__proto__",
			Types: map[string]routes.FieldType{"query:find": routes.TypeText}}, false},
		{"a query parameter learned as a token", Request{Method: "GET", URI: "/docs?find=Object.prototype.__proto__",
			Types: map[string]routes.FieldType{"query:find": routes.TypeToken}}, true},
		{"a query parameter that may be a path", Request{Method: "GET", URI: "/settings?path=a.__proto__&value%5Bpolluted%5D=1"}, true},
		{"a JSON path and a value to merge", Request{Method: "POST", URI: "/settings", Header: json,
			Body: []byte(`{"path":"a.__proto__","value":{"polluted":1}}`)}, true},
	} {
		if v := e.Inspect(&c.req); (v.Action == Block) != c.block {
			t.Errorf("%s: %s %s: %v, want blocked=%v", c.name, c.req.Method, c.req.URI, v, c.block)
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
