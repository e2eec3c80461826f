package inspect

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// Prose a red team wraps a payload in, so the comment reads as free text.
const (
	padBefore = "I really enjoyed reading this article about databases and wanted to share my thoughts here "
	padAfter  = " and then I read the rest of the article again to be sure about it"
)

// paddings are the ways a payload is wrapped in prose.
var paddings = []struct{ name, pre, post string }{
	{"before", padBefore, ""}, {"after", "", padAfter}, {"around", padBefore, padAfter},
}

// postComment reports whether e blocks v posted as a comment's body in
// JSON, as a blog app receives it.
func postComment(e *Engine, v string) bool {
	body, _ := json.Marshal(map[string]map[string]string{"comment": {"body": v}})
	r := Request{Method: "POST", URI: "/api/articles/a-post/comments", Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	return e.Inspect(&r).Action == Block
}

// TestPaddedAttacks posts payloads that break out of the app's context
// wrapped in a sentence of prose: free text is judged by the evidence of
// an injection, and the app's interpreter ignores the words around it (an
// SQL comment ends the query, a tag runs wherever it sits, a shell runs
// what follows its separator), so each must block however it is padded.
func TestPaddedAttacks(t *testing.T) {
	e := newTestEngine(t)
	for _, c := range []struct{ payload, why string }{
		// SQL: a quote closed, perhaps with parentheses, then a clause.
		{`' group by password having 1=1--`, "HAVING on a GROUP BY makes the database name the query's columns in its error"},
		{`') or true--`, "closes the string and the parenthesis, makes the condition true, comments out the rest"},
		{`") or true--`, "the same for a double-quoted string"},
		{`') or ('x')=('x`, "a tautology that ends in the app's own quote and parenthesis"},
		{`'||utl_http.request('http://192.168.1.1/')||'`, "Oracle: a call concatenated into the string makes the database send a request"},
		{`1'||'asd'||'`, "a string concatenated into the app's literal: proof the quote is not escaped"},
		{`'||(select password from users limit 1)||'`, "a subquery's result concatenated into the app's string"},
		{`' insert into users(login, password, level) values('x','y',0)--`, "a statement after the quote: adds an account"},
		{`1' order by 3--`, "counts the query's columns for a UNION"},
		// XSS: markup that runs wherever it sits in the page.
		{`<!DOCTYPE x[<!ENTITY x SYSTEM "http://html5sec.org/test.xxe">]><y>&x;</y><svg onload="javascript:alert(65)" xmlns="http://www.w3.org/2000/svg"></svg>`, "an svg's onload runs when the page shows the comment"},
		{`<div style=content:url(data:image/svg+xml,%3Csvg/%3E);visibility:hidden onload=alert(41)></div>`, "%3E is no > for the browser: onload is in the div's tag"},
		{`<iframe srcdoc="&lt;img src&equals;x:x onerror&equals;alert&lpar;1&rpar;&gt;" />`, "srcdoc is a document: its entities decode to an img whose onerror runs"},
		{`" onmouseover="alert(1)`, "closes the attribute value the app puts the field in and adds a handler"},
		{`"autofocus/onfocus=alert(1)//`, "closes the attribute value; autofocus fires onfocus without a click"},
		{` onmouseover="document.cookie=true;">`, "a space ends the unquoted attribute value the app puts the field in and adds a handler"},
		// Commands: a separator then code that runs.
		{`;system('/usr/bin/id')`, "ends the app's PHP statement and runs a command"},
		{`| system('sleep 5');`, "the same after a pipe: a timing probe"},
		{`& ping -i 30 127.0.0.1 &`, "a command in the background of the app's shell: a timing probe"},
		{`;phpinfo();//`, "ends the app's PHP statement and dumps its configuration"},
		{`|id`, "pipes the app's command into id"},
		{`$(id)`, "command substitution runs id wherever the shell expands the text"},
	} {
		if !postComment(e, c.payload) {
			t.Errorf("%q alone passed: want blocked (%s)", c.payload, c.why)
		}
		for _, pad := range paddings {
			if v := pad.pre + c.payload + pad.post; !postComment(e, v) {
				t.Errorf("%q padded %s passed: want blocked, %s", v, pad.name, c.why)
			}
		}
	}
}

// TestPaddedProse posts sentences that name what the padded attacks use —
// a quote then SQL words, an event handler, a separator then a word — and
// hold no break-out: they must pass.
func TestPaddedProse(t *testing.T) {
	e := newTestEngine(t)
	for _, v := range []string{
		`In SQL the '||' operator joins two strings, like a first name and a last name`,
		`| Name | Type |
|------|------|
| id | the row's number |
| kill | whether the process is stopped |`,
		`Set the "onload" attribute of the body element to the name of a function you define`,
		`The onClick and onSelect handlers of the component receive the event as their argument`,
		`Use 'order by' in your query and the rows come back sorted by the column you name`,
		`It's a long read; ping me when you are done and we can talk it over properly`,
		`She wrote "select the rows you want" and then "group by the owner having many posts"`,
		`The quote "on the road again" is from a song that my father played all the time`,
		`The page fires onload = once, and the button's onclick handler runs on every click`,
	} {
		if postComment(e, v) {
			t.Errorf("%q blocked: want passed (prose with no break-out)", v)
		}
	}
}

// TestPaddedAttacksCorpus posts PayloadsAllTheThings' SQL, XSS and command
// payloads as a comment, alone and padded with prose, and asserts per
// class a floor of the padded ones that still block: a relaxation of the
// free-text rules that lets padded payloads through fails it. Many
// payloads rightly pass padded (a bare "select @@version" or "UNION ALL
// SELECT" in prose cannot leave a string literal; markup in a Markdown
// code span renders escaped); the floors are what the rules reach, less a
// small margin.
func TestPaddedAttacksCorpus(t *testing.T) {
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	cases, err := corpus.LoadPATT(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t)
	type tally struct {
		n, alone int
		padded   [3]int
		floor    [3]int // before, after, around
	}
	lists := map[string]*tally{
		// 1513 after: a README's own markup (<a>, <img>, <div>) frames
		// prose: html5sec's <a href="\xE2\x80\x80javascript:…"> (a literal
		// backslash: no script URL), java&#1…&#12script: (control
		// characters a URL keeps), <div style=…url()> and <XML> vectors
		// for old browsers, padded after, read as a post with links now.
		// 1462 before, 1512 after: a --> then a tag counts only before the
		// value opens a comment of its own ("<!-- injection --><svg
		// height=50px>" is markup; an XML island splitting javascript:
		// across CDATA sections runs nowhere today).
		// 2026-12-08: the start of a value up to a comment mark on its
		// first line is read as a value (valueHead), so a payload ended by
		// --, #, // or /* then words is judged by its start: XSS 1462,
		// 1512, 1432 -> 1512, 1548, 1487; SQL 715, 840, 675 -> 1074,
		// 1115, 1057; commands 322, 342, 324 -> 324, 346, 326, and a
		// delay between separators in prose (reCmdDelayText) -> 342 before.
		"XSS-Injection": {floor: [3]int{1512, 1548, 1487}},
		"SQL-Injection": {floor: [3]int{1074, 1115, 1057}},
		// 322 before, 324 around: a system path in free text is read where
		// a file API (the value's start) or a shell (a command and its
		// first argument at a line's start or after a separator) would
		// read it; "… my thoughts here cat /etc/passwd" is words, and
		// "& dir C:\Documents and Settings\*" a path past the first
		// argument.
		"Command-Injection": {floor: [3]int{342, 346, 326}},
	}
	for _, c := range distinctQueryPayloads(cases) {
		g, p := lists[c.group], c.payload
		if g == nil {
			continue
		}
		g.n++
		if !postComment(e, p) {
			continue
		}
		g.alone++
		for i, pad := range paddings {
			if postComment(e, pad.pre+p+pad.post) {
				g.padded[i]++
			} else if testing.Verbose() && pad.name == "around" {
				t.Logf("    %s passed padded around: %q", c.group, p)
			}
		}
	}
	for name, g := range lists {
		for i, pad := range paddings {
			t.Logf("%-18s %4d payloads, %4d blocked alone, %4d of them padded %s", name, g.n, g.alone, g.padded[i], pad.name)
			if g.padded[i] < g.floor[i] {
				t.Errorf("%s: %d blocked padded %s, want at least %d: a free-text rule lets padded payloads through", name, g.padded[i], pad.name, g.floor[i])
			}
		}
	}
}

// queryPayload is a payload of the PayloadsAllTheThings corpus and its group.
type queryPayload struct{ group, payload string }

// distinctQueryPayloads returns the distinct payloads of cases sent as the
// query parameter q, each once per group, in corpus order.
func distinctQueryPayloads(cases []corpus.Case) []queryPayload {
	var out []queryPayload
	seen := map[queryPayload]bool{}
	for _, c := range cases {
		if !strings.HasSuffix(c.ID, "/query") {
			continue
		}
		_, q, _ := strings.Cut(c.Path, "?")
		vals, err := url.ParseQuery(q)
		k := queryPayload{c.Group, vals.Get("q")}
		if err != nil || k.payload == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}
