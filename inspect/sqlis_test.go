package inspect

import (
	"net/http"
	"net/url"
	"testing"
)

// Words of prose that read like SQL pass: "is" compares in SQL only
// before null, true, false, unknown, distinct or, in SQLite, another
// operand that ends the clause ("whether a page is "left" or "right" is
// determined by…" has words going on there). The injections they resemble still block,
// in free text and in a value.
func TestProseIs(t *testing.T) {
	e := newTestEngine(t)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	for _, c := range []struct {
		v     string
		block bool
	}{
		{`Whether a given page is "left" or "right" is determined by the major writing direction of the document.`, false},
		{`The term is derived from "number used once" and is commonly employed to prevent replay attacks.`, false},
		{`x" or "a" is not null -- `, true},
		{`' or 1 is true -- `, true},
		{`x') or ('a' is null`, true},
		{`admin" and 1 is distinct from 2 -- `, true},
		// SQLite's IS compares any two operands, as = does.
		{`' or 'a' is 'a`, true},
		{`" or 1 is 1 -- `, true},
		{`') or (1 is 1`, true},
		{`' or id is (select id) -- `, true},
		{`' or id is id-- `, true},
		{`x' or name is name or 'x`, true},
		{`x') or (name is name`, true},
		{`a post ending in x' or 'a' is not null -- and more words after it`, true},
	} {
		for _, field := range []string{"body", "q"} {
			r := &Request{Method: "POST", URI: "/posts", Header: form, Body: []byte(url.Values{field: {c.v}}.Encode())}
			if field == "q" {
				r = &Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(c.v)}
			}
			if v := e.Inspect(r); (v.Action == Block) != c.block {
				t.Errorf("%s=%q: %v, want blocked=%v", field, c.v, v, c.block)
			}
		}
	}
}
