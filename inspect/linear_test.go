package inspect

import (
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

// linearTokens are the special characters and tokens of the detectors'
// grammars: separators, quotes, brackets, escapes, comment marks and the
// openings of the constructs each detector looks into. An input made of one
// of them repeated is the worst case of a detector that rescans its input
// at each occurrence.
var linearTokens = []string{
	// Shell: separators, substitutions, redirections, quoting.
	";", "|", "&", "&&", "||", "`", "$(", "${", "$", "<(", ">(", "$((", "$[", "\\", "^", "*", "?",
	"; ls", "|id", "`id`", "$(id)", ";;ls", "a;", "$u ", "${ifs}",
	// Quotes, brackets, operators.
	"'", "\"", "(", ")", "[", "]", "{", "}", "<", ">", "=", ":", ",", "#", "@", "!", "~", "+", "-", "--",
	"/", ".", "..", "../", "..\\", "/.", "//", "./", "\n", "\r\n", "\t", " ", "a ", "\x00",
	// SQL.
	"union select ", "'or 1=1", "'='", "1=1 ", "= '", "' like '", "/*", "*/", "/*!", "/**/", ";select ", "select(",
	// Encodings.
	"%", "%25", "%2", "%u", "%c0", "%c0%af", "\\u", "\\x", "\\u{", "&#", "&#x", "&amp;", "&lt", "+adw-",
	"\xc0", "\xc0\xaf", "\xef\xbc\x8f", "0x2e",
	// Markup, templates, expression languages.
	"<script", "<a ", "<!--", "<!", "<?", "<%", "<%=", "{{", "}}", "{%", "#{", "*{", "@{", "[[", "<#",
	"on", " onx=", "javascript:", "${jndi:", "${${", "${::-", "${lower:", "%{", "#_",
	// NoSQL, prototypes, code.
	"$ne", "[$ne]", "__proto__", "__", "a__", "constructor.", "this.", "require(", "@{[",
	// URLs.
	"http://", "://", "@", "a@", "php://", "file:", "0.",
	// Words.
	"a", "ls ", "cat ", "sleep(", "system(", "eval(",
	// Free text (freetext.go): prose with quoted code, quotes, links,
	// fences, code elements never closed, runs of backticks.
	"The quick brown fox jumps over the lazy dog. ", "Words in a sentence, `code` and more. ",
	"Prose with a quote ' and words here. ", "A line of text here\n```js\nx;\n```\n",
	"Text [a link](/docs/x) and more words. ", "Text with <code>x</code> here and there. ",
	"Open <code> unclosed tag words here now. ", "Runs `` ``` ```` of ticks in words here. ",
	// Break-outs in free text (textbreakout.go): quotes then SQL, tags and
	// quotes then handlers, separators then calls, each hint repeated.
	"' or", "' or true", "') or ('", "'||'", "<svg on", "<svg onload=", "\" on", "\" a b c on", " onload=", "; system(", "& ping ",
	"Words then ' or true in a sentence here. ", "A tag <svg onload=x in a sentence here. ", "Words <a b='x and no quote closing here. ",
	"Quote \" autofocus onfocus=x in words here. ", "Words '||' joined in a sentence here. ", "Then | ping in a sentence here now. ",
	// The first quote of free text with quoted code (firstquote.go):
	// escaped and doubled quotes, a fence then a quote.
	"\\'", "''", "Words in a sentence ```\n' union select x``` here. ",
	// Tags inside words (freetext.go): each piece of a token read once.
	"a<b>", "x</a>", "w<a href=x>", "Words and a<b>c</b>d<i>e in a sentence here. ",
	// System paths in free text (traversal.go): heads of commands.
	"Words then ; cat /etc/passwd in a sentence. ", "A line\ncat -n -v /etc/passwd words. ", ";-", "\n-",
}

// A linearPlace puts a value somewhere in a request.
type linearPlace struct {
	name string
	req  func(v string) *Request
}

var linearPlaces = []linearPlace{
	{"query", func(v string) *Request {
		return &Request{Method: "GET", URI: "/search?q=" + url.QueryEscape(v), Header: http.Header{}}
	}},
	{"form", func(v string) *Request {
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body: []byte("q=" + url.QueryEscape(v))}
	}},
	{"json-value", func(v string) *Request {
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"q":"` + jsonEscape(v) + `"}`)}
	}},
	{"json-key", func(v string) *Request {
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"` + jsonEscape(v) + `":1}`)}
	}},
	{"path", func(v string) *Request {
		return &Request{Method: "GET", URI: "/" + pathEscape(v), Header: http.Header{}}
	}},
	{"header", func(v string) *Request {
		return &Request{Method: "GET", URI: "/p", Header: http.Header{"X-Data": {v}}}
	}},
	{"cookie", func(v string) *Request {
		return &Request{Method: "GET", URI: "/p", Header: http.Header{"Cookie": {"c=" + v}}}
	}},
	{"multipart", func(v string) *Request {
		const b = "xYzZY"
		body := "--" + b + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + v + "\r\n--" + b + "--\r\n"
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"multipart/form-data; boundary=" + b}},
			Body: []byte(body)}
	}},
	{"xml", func(v string) *Request {
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/xml"}},
			Body: []byte("<a>" + xmlEscape(v) + "</a>")}
	}},
	{"body", func(v string) *Request {
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte(v)}
	}},
}

func jsonEscape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// pathEscape escapes what would end the path or break the request line.
func pathEscape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c <= ' ' || c >= 0x7f || c == '?' || c == '#':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func xmlEscape(v string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\x00", "").Replace(v)
}

// repeatTo returns tok repeated to about n bytes, whole tokens.
func repeatTo(tok string, n int) string {
	return strings.Repeat(tok, max(1, n/len(tok)))
}

// linearShapes are requests whose structure, rather than one token,
// grows with n: names far longer than the values named by them.
var linearShapes = []struct {
	name string
	req  func(n int) *Request
}{
	// A JSON path of 32 long keys, over many short values to report.
	{"json-deep-long-keys", func(n int) *Request {
		key := strings.Repeat("k", n/64)
		var b strings.Builder
		for range 32 {
			b.WriteString(`{"` + key + `":`)
		}
		b.WriteString("[")
		for i := 0; b.Len() < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"http://a/'or 1=1--"`)
		}
		b.WriteString("]" + strings.Repeat("}", 32))
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(b.String())}
	}},
	// An element with a long name, over many short elements.
	{"xml-long-name", func(n int) *Request {
		name := strings.Repeat("e", n/2)
		var b strings.Builder
		b.WriteString("<" + name + ">")
		for b.Len() < n {
			b.WriteString(`<b a="x">x</b>`)
		}
		b.WriteString("</" + name + ">")
		return &Request{Method: "POST", URI: "/p", Header: http.Header{"Content-Type": {"application/xml"}}, Body: []byte(b.String())}
	}},
}

// A linearCase is one request of n bytes or so, for n of each size.
type linearCase struct {
	name string
	req  func(n int) *Request
}

// linearCases returns the cases of TestLinear: every token in every
// place; under -short, every token in a JSON value and linearShort in the
// other places; under the race detector, linearShort in a JSON value, a
// form and a query.
func linearCases(short bool) []linearCase {
	var cases []linearCase
	for _, p := range linearPlaces {
		toks := linearTokens
		switch {
		case raceEnabled && p.name != "json-value" && p.name != "form" && p.name != "query":
			continue
		case raceEnabled || short && p.name != "json-value":
			toks = linearShort
		}
		for _, tok := range toks {
			cases = append(cases, linearCase{fmt.Sprintf("%s/%q", p.name, tok), func(n int) *Request { return p.req(repeatTo(tok, n)) }})
		}
	}
	for _, sh := range linearShapes {
		cases = append(cases, linearCase{"shape/" + sh.name, sh.req})
	}
	return cases
}

// inspectCost returns the least CPU time an inspection of r takes over
// runs measurements, each of enough inspections to last a millisecond,
// the work the budget counted, and the verdict.
func inspectCost(e *Engine, r *Request, runs int) (time.Duration, int, Verdict) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := time.Duration(1<<63 - 1)
	var work int
	var v Verdict
	for range runs {
		start := threadTime()
		var took time.Duration
		n := 0
		for took < time.Millisecond {
			v, work = e.inspect(r)
			n++
			took = threadTime() - start
		}
		best = min(best, took/time.Duration(n))
	}
	return best, work, v
}

// linearShort are the tokens TestLinear puts in every place of a request
// under -short (all of them go in a JSON value): those that the parsers of
// the places split at or decode, and some of each detector.
var linearShort = []string{";", "|", "&", "`", "${", "'", "\"", "{", "[", "<", "=", "%", "%25", "\\", "/", "../",
	" ", "\n", "+", "#", ":", "/*!", "&amp;", "__proto__", "$ne"}

// TestLinear checks that inspection costs time linear in the input. For
// each token of the detectors' grammars, repeated to fill one place of a
// request, and for a few shapes of request, inputs of n, 2n and 4n bytes
// are inspected. Twice the input must cost less than three times as much:
// a detector that rescans its input at each token costs four times as
// much. Go's regexp package switches from backtracking to a slower
// automaton once an input is too long for its bitmap (32 KB for a small
// expression), which makes one doubling cost up to five times as much,
// once: what fails is two doublings in a row that cost three times as
// much or more, the last confirmed by one more doubling (8n). Time is the
// thread's CPU time (each measurement lasting at least a millisecond),
// taken again, the least of five, when over. The work the budget counts must grow at most 2.5 times, and
// never reach the budget.
func TestLinear(t *testing.T) {
	n := 64 << 10
	short := testing.Short() || raceEnabled
	switch {
	case raceEnabled:
		n = 4 << 10 // still 20 times the cost of the quadratic loop's linear part
	case short:
		n = 8 << 10
	}
	e, err := New(Config{MaxBody: 16 << 20, MaxInputs: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	worst, worstName := 0.0, ""
	for _, c := range linearCases(short) {
		t.Run(c.name, func(t *testing.T) {
			reqs := []*Request{c.req(n), c.req(2 * n), c.req(4 * n)}
			var ts []time.Duration
			var work []int
			measure := func(runs int) []float64 {
				ts, work = ts[:0], work[:0]
				var ratios []float64
				for i := 0; i < len(reqs); i++ {
					d, w, v := inspectCost(e, reqs[i], runs)
					for _, f := range v.Findings {
						if f.RuleID == ruleBudget.id {
							t.Fatalf("%d bytes stopped by the work budget: work %d, %d per byte", requestSize(reqs[i]), w, w/requestSize(reqs[i]))
						}
					}
					ts, work = append(ts, d), append(work, w)
					if i > 0 {
						ratios = append(ratios, float64(ts[i])/float64(ts[i-1]))
					}
					if i == len(reqs)-1 && len(reqs) == 3 && ratios[len(ratios)-1] >= 3 {
						reqs = append(reqs, c.req(8*n)) // a switch of regexp's, or growth: see on
					}
				}
				return ratios
			}
			superlinear := func(ratios []float64) bool {
				for i := 1; i < len(ratios); i++ {
					if ratios[i-1] >= 3 && ratios[i] >= 3 {
						return true
					}
				}
				return false
			}
			ratios := measure(1)
			if superlinear(ratios) {
				ratios = measure(5) // noise, or growth: measure again
			}
			t.Logf("%s: %v; ratios %.2f; work %v", c.name, ts, ratios, work)
			if superlinear(ratios) {
				t.Errorf("inspection times %v for %d bytes doubled %d times: ×%.2f for each doubling, want < ×3", ts, n, len(ts)-1, ratios)
			}
			for i := 1; i < len(work); i++ {
				if float64(work[i]) > 2.5*float64(work[i-1]) {
					t.Errorf("work %v for %d bytes doubled %d times, want at most ×2.5 for each doubling", work, n, len(work)-1)
					break
				}
			}
			last := len(work) - 1
			if per := float64(work[last]) / float64(requestSize(reqs[last])); per > worst {
				worst, worstName = per, c.name
			}
		})
	}
	t.Logf("most work per byte: %.1f (%s); the budget allows %d", worst, worstName, workPerByte)
}
