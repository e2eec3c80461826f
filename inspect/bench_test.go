package inspect

import (
	"encoding/json"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

func browserHeader() http.Header {
	return http.Header{
		"Host":            {"app.example.com"},
		"User-Agent":      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"},
		"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
		"Accept-Language": {"en-US,en;q=0.5"},
		"Accept-Encoding": {"gzip, deflate, br"},
		"Referer":         {"https://app.example.com/products?page=2"},
		"Cookie":          {"sid=Lv0N-7Darzbr3f9Om1VCfETvacwvF740; theme=dark; cookie_consent=accepted"},
	}
}

func benchInspect(b *testing.B, r *Request) {
	e, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.Inspect(r)
	}
}

// BenchmarkBenignGET is a browser's search request.
func BenchmarkBenignGET(b *testing.B) {
	benchInspect(b, &Request{Method: "GET", URI: "/api/products/1042/reviews?q=running+shoes&sort=rating&page=3&size=20", Header: browserHeader()})
}

// BenchmarkBenignJSON is a login-sized JSON POST.
func BenchmarkBenignJSON(b *testing.B) {
	h := browserHeader()
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
	body := []byte(`{"email":"ana.obrien@example.com","password":"c0rrect-Horse!battery","remember":true,"profile":{"name":"Ana O'Brien","tags":["new","vip"]}}`)
	benchInspect(b, &Request{Method: "POST", URI: "/api/login", Header: h, Body: body})
}

// BenchmarkAttack is a UNION SELECT in a query parameter.
func BenchmarkAttack(b *testing.B) {
	benchInspect(b, &Request{Method: "GET", URI: "/items?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--", Header: browserHeader()})
}

// worstTokens are special characters of the detectors' grammars whose
// runs cost the most to inspect: shell separators and substitutions,
// quotes, markup, escapes and lookups (see TestLinear).
var worstTokens = []struct{ name, tok string }{
	{"semicolon", ";"}, {"backtick", "`"}, {"quote", "'"}, {"lt", "<"}, {"percent", "%"}, {"dollar-brace", "${"},
}

// BenchmarkWorstCase1MiB inspects a body of 1 MiB of one special
// character, as a JSON string value and as a form field; compare it with
// [BenchmarkBenign1MiB].
func BenchmarkWorstCase1MiB(b *testing.B) {
	for _, place := range []string{"json", "form"} {
		for _, w := range worstTokens {
			b.Run(place+"/"+w.name, func(b *testing.B) {
				benchBody(b, bodyRequest(place, repeatTo(w.tok, 1<<20), false))
			})
		}
	}
}

// BenchmarkBenign1MiB inspects a body of 1 MiB of English prose (the
// prose corpus's sentences, which use select, union, drop, script and
// exec, apostrophes, semicolons and parentheses), as a JSON string value
// and as a form field encoded as browsers do.
func BenchmarkBenign1MiB(b *testing.B) {
	prose := benignProse(b, 1<<20)
	for _, place := range []string{"json", "form"} {
		b.Run(place, func(b *testing.B) { benchBody(b, bodyRequest(place, prose, true)) })
	}
}

// bodyRequest returns a POST of v as the JSON value or form field q; a
// form value is encoded if encode is set, else sent as is.
func bodyRequest(place, v string, encode bool) *Request {
	if place == "form" {
		if encode {
			v = url.QueryEscape(v)
		}
		return &Request{Method: "POST", URI: "/api/comments", Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body: []byte("q=" + v)}
	}
	return &Request{Method: "POST", URI: "/api/comments", Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"q":"` + jsonEscape(v) + `"}`)}
}

// benignProse returns sentences of the prose corpus joined to n bytes.
func benignProse(b *testing.B, n int) string {
	cases, err := corpus.LoadProse()
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for sb.Len() < n {
		for _, c := range cases {
			var m map[string]string
			if c.Group != "json" || json.Unmarshal(c.Body, &m) != nil {
				continue
			}
			sb.WriteString(m[corpus.ProseParam])
			sb.WriteString(" ")
		}
	}
	return sb.String()[:n]
}

func benchBody(b *testing.B, r *Request) {
	e, err := New(Config{MaxBody: 4 << 20})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(r.Body)))
	b.ReportAllocs()
	var v Verdict
	var work, n int
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadTime()
	for b.Loop() {
		v, work = e.inspect(r)
		n++
	}
	// The thread's CPU time, which a busy shared machine does not inflate
	// as it does the wall-clock ns/op.
	b.ReportMetric(float64(threadTime()-start)/float64(n*len(r.Body)), "cpu-ns/B")
	b.ReportMetric(float64(v.Score), "score")
	b.ReportMetric(float64(work)/float64(len(r.Body)), "work/B")
}

// BenchmarkArticle inspects the content corpus's articles of 16 KB or
// more (real documentation as a blog receives it, issue 21 item 4), one
// after the other; MB/s is over their bodies.
func BenchmarkArticle(b *testing.B) {
	dir, err := corpus.Dir()
	if err != nil {
		b.Skip(err)
	}
	cases, err := corpus.LoadContent(dir)
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	var reqs []*Request
	size := 0
	for _, c := range cases {
		if len(c.Body) >= 16<<10 {
			reqs = append(reqs, &Request{Method: c.Method, URI: c.Path, Header: c.Header, Body: c.Body})
			size += len(c.Body)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n := 0
	start := threadTime()
	for b.Loop() {
		for _, r := range reqs {
			e.Inspect(r)
		}
		n++
	}
	b.ReportMetric(float64(threadTime()-start)/float64(n*size), "cpu-ns/B")
	b.ReportMetric(float64(len(reqs)), "articles")
}
