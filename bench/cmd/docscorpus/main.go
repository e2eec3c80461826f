// Command docscorpus measures Bulwark's false positives on documentation
// the tests never see: SQL- and shell-heavy Markdown from npm packages
// (database drivers, ORMs, shell tools) and the PostgreSQL SQL reference
// and shell manuals installed on the machine, posted in the request shapes
// of ../shared/corpus/benign/content (articles as JSON, form and PUT,
// comments, searches; see its SOURCE.md). Every request is benign, so
// every block is a false positive.
//
//	go run ./cmd/docscorpus -cache /tmp/docscorpus [-out requests.jsonl] [-fp blocked.tsv]
//
// It downloads the pinned package tarballs with npm pack once into -cache
// and renders the manual pages with man; it needs npm, man and groff, and
// PostgreSQL's client for its SQL pages (apt-get install man-db groff
// postgresql-client). A measurement, not a test: the tests never reach a
// registry.
package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect"
)

// packages are the npm packages whose Markdown is read, pinned.
var packages = strings.Fields(`alasql@4.19.1 better-sqlite3@12.11.1 bullmq@6.7.6 commander@14.0.3
	concurrently@9.2.5 cron@4.4.0 cross-env@10.1.0 dompurify@3.5.0 dotenv@18.0.10 drizzle-orm@0.45.4
	execa@9.6.1 express-validator@7.3.2 helmet@8.3.0 ioredis@6.1.0 knex@3.3.0 kysely@0.28.20 lowdb@7.0.1
	mongoose@9.13.2 mysql@2.18.1 mysql2@3.26.1 nedb@1.8.0 node-cron@4.6.0 node-sql-parser@5.4.0
	nodemon@3.1.14 npm-run-all@4.1.5 objection@3.1.5 pg@8.23.1 pg-promise@12.7.1 pgsql-ast-parser@12.0.2
	pm2@7.0.4 postgres@4.2.0 redis@6.4.0 rimraf@6.1.4 sanitize-html@2.17.5 sequelize@6.37.8
	shelljs@0.10.0 shx@0.4.0 slonik@47.3.2 sql-template-strings@2.2.2 sql.js@1.17.0 sqlite3@6.0.1
	sqlstring@2.3.3 squel@6.5.0 ssh2@1.17.0 systeminformation@5.33.31 typeorm@1.1.4 validator@13.15.35
	xss@1.0.17 yargs@18.2.0 zx@8.8.5`)

// manPages are the manual pages read: PostgreSQL's SQL commands (section
// 7) and shell tools (section 1).
var manPages = strings.Fields(`7/SELECT 7/INSERT 7/UPDATE 7/DELETE 7/CREATE_TABLE 7/ALTER_TABLE
	7/CREATE_FUNCTION 7/CREATE_TRIGGER 7/CREATE_POLICY 7/GRANT 7/COPY 7/CREATE_INDEX 7/EXPLAIN
	7/CREATE_VIEW 7/DO 7/PREPARE 7/EXECUTE 7/CREATE_RULE 7/VALUES 7/DECLARE 7/LOCK 7/VACUUM 7/CREATE_ROLE
	7/TRUNCATE 7/MERGE 1/bash 1/find 1/sed 1/grep 1/xargs 1/tar 1/curl 1/ssh 1/git 1/psql
	1/pg_dump 1/systemctl 1/journalctl 1/chmod 1/mawk 1/ps 1/kill 1/env
	1/dash`)

// request is one line of the corpus, in the shape bulwark inspect reads.
type request struct {
	ID      string            `json:"id"`
	Cls     string            `json:"cls"`
	Source  string            `json:"source"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

type document struct{ source, title, markdown string }

func main() {
	cache := flag.String("cache", filepath.Join(os.TempDir(), "docscorpus"), "directory for the package tarballs")
	out := flag.String("out", "", "write the requests here (JSON lines)")
	fp := flag.String("fp", "", "write the blocked requests' findings here (tab-separated)")
	flag.Parse()
	docs, err := documents(*cache)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docscorpus:", err)
		os.Exit(1)
	}
	reqs := shape(docs)
	if *out != "" {
		if err := writeJSONL(*out, reqs); err != nil {
			fmt.Fprintln(os.Stderr, "docscorpus:", err)
			os.Exit(1)
		}
	}
	if err := judge(reqs, *fp); err != nil {
		fmt.Fprintln(os.Stderr, "docscorpus:", err)
		os.Exit(1)
	}
}

// documents returns the packages' Markdown and the manual pages as
// Markdown, in a fixed order.
func documents(cache string) ([]document, error) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	var docs []document
	for _, p := range packages {
		name, version, _ := strings.Cut(p, "@")
		tgz := filepath.Join(cache, strings.ReplaceAll(strings.TrimPrefix(name, "@"), "/", "-")+"-"+version+".tgz")
		if _, err := os.Stat(tgz); err != nil {
			cmd := exec.Command("npm", "pack", p, "--silent", "--pack-destination", cache)
			if msg, err := cmd.CombinedOutput(); err != nil {
				return nil, fmt.Errorf("npm pack %s: %v: %s", p, err, msg)
			}
		}
		files, err := markdownIn(tgz)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tgz, err)
		}
		for _, f := range files {
			docs = append(docs, document{source: "npm:" + name + "/" + f.name, title: name, markdown: f.text})
		}
	}
	for _, m := range manPages {
		section, page, _ := strings.Cut(m, "/")
		path := fmt.Sprintf("/usr/share/man/man%s/%s.%s.gz", section, page, section)
		cmd := exec.Command("man", "-Tutf8", "-l", path)
		cmd.Env = append(os.Environ(), "MANWIDTH=100", "GROFF_NO_SGR=1", "MAN_KEEP_FORMATTING=")
		text, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("man %s (apt-get install man-db groff postgresql-client): %w", path, err)
		}
		docs = append(docs, document{source: "man:" + page + "." + section, title: strings.ReplaceAll(page, "_", " "), markdown: manToMarkdown(string(text))})
	}
	return docs, nil
}

type file struct{ name, text string }

var skipped = regexp.MustCompile(`(?i)changelog|license|history|contributing|conduct|security|node_modules`)

// markdownIn returns the Markdown files of 1 KB or more in a package
// tarball, but for change logs, licences and the like.
func markdownIn(tgz string) ([]file, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var files []file
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(strings.ToLower(h.Name), ".md") || skipped.MatchString(h.Name) || h.Size < 1024 || h.Size > 4<<20 {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files = append(files, file{name: h.Name, text: string(b)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

var (
	overstrike = regexp.MustCompile(".\b")
	manSection = regexp.MustCompile(`^[A-Z][A-Z0-9 ]+$`)
	heading    = regexp.MustCompile(`(?m)^#+ (.+)$`)
	notSlug    = regexp.MustCompile(`[^a-z0-9]+`)
)

// manToMarkdown turns a rendered manual page into Markdown as a person
// pasting it would: section names as ## headings, subsection names as ###,
// the body's indentation removed so its examples stay indented.
func manToMarkdown(text string) string {
	lines := strings.Split(overstrike.ReplaceAllString(text, ""), "\n")
	if len(lines) > 2 {
		lines = lines[1 : len(lines)-2] // the header and footer lines
	}
	var b strings.Builder
	for _, l := range lines {
		switch {
		case manSection.MatchString(l):
			b.WriteString("## " + strings.ToUpper(l[:1]) + strings.ToLower(l[1:]))
		case strings.HasPrefix(l, "   ") && !strings.HasPrefix(l, "       ") && strings.TrimSpace(l) != "":
			b.WriteString("### " + strings.TrimSpace(l))
		case strings.HasPrefix(l, "       "):
			b.WriteString(l[7:])
		default:
			b.WriteString(strings.TrimSpace(l))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// shape makes the requests: per document up to 12 posts (article-json,
// article-form or article-put, chosen at random), 30 comments and 10
// searches, as SOURCE.md of the content corpus describes.
func shape(docs []document) []request {
	rng := rand.New(rand.NewPCG(20261207, 21))
	var reqs []request
	add := func(cls, src, method, path, body, ctype string) {
		h := map[string]string{"Host": "blog.example.com", "Accept": "application/json", "Accept-Language": "en-US,en;q=0.9",
			"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}
		if ctype != "" {
			h["Content-Type"] = ctype
		}
		if strings.HasPrefix(path, "/api") {
			h["Authorization"] = "Token eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MX0.c2lnbmF0dXJl"
		}
		reqs = append(reqs, request{ID: fmt.Sprintf("d%06d", len(reqs)+1), Cls: cls, Source: src, Method: method, Path: path, Headers: h, Body: body})
	}
	for _, d := range docs {
		for _, s := range sample(rng, sections(d.markdown), 12) {
			title := d.title
			if m := heading.FindStringSubmatch(s); m != nil {
				title += ": " + strings.TrimSpace(m[1])
			}
			desc := description(s)
			switch rng.IntN(3) {
			case 0:
				add("article-json", d.source, "POST", "/api/articles", jsonBody("article", map[string]any{"title": title, "description": desc, "body": s, "tagList": []string{"docs"}}), "application/json")
			case 1:
				add("article-put", d.source, "PUT", "/api/articles/"+slug(title), jsonBody("article", map[string]any{"title": title, "description": desc, "body": s}), "application/json")
			default:
				form := url.Values{"title": {title}, "description": {desc}, "body": {s}, "tags": {"docs"}}
				add("article-form", d.source, "POST", "/posts", form.Encode(), "application/x-www-form-urlencoded")
			}
		}
		for _, p := range sample(rng, paragraphs(rng, d.markdown), 30) {
			add("comment", d.source, "POST", "/api/articles/"+slug(d.title)+"/comments", jsonBody("comment", map[string]any{"body": p}), "application/json")
		}
		for _, h := range sample(rng, heading.FindAllStringSubmatch(d.markdown, -1), 10) {
			add("search", d.source, "GET", "/search?"+url.Values{"q": {d.title + " " + strings.TrimSpace(h[1])}}.Encode(), "", "")
		}
	}
	return reqs
}

func jsonBody(key string, v map[string]any) string {
	b, _ := json.Marshal(map[string]any{key: v})
	return string(b)
}

func slug(t string) string {
	s := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(t), "-"), "-")
	if s == "" {
		return "post"
	}
	return s
}

// description is the first line of prose of a section.
func description(s string) string {
	fence := false
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			fence = !fence
			continue
		}
		if fence || t == "" || strings.ContainsAny(t[:1], "#<|[!") || strings.HasPrefix(l, "    ") {
			continue
		}
		return t[:min(len(t), 200)]
	}
	return ""
}

func sample[T any](rng *rand.Rand, xs []T, n int) []T {
	idx := rng.Perm(len(xs))
	out := make([]T, 0, min(n, len(xs)))
	for _, i := range idx[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// sections splits Markdown at ## headings outside code fences, merges
// sections under 500 bytes into the one before and cuts those over 20 KB
// at blank lines.
func sections(md string) []string {
	var parts []string
	var cur []string
	fence := false
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "```") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(l, "## ") && len(cur) > 0 {
			parts = append(parts, strings.Join(cur, "\n"))
			cur = nil
		}
		cur = append(cur, l)
	}
	parts = append(parts, strings.Join(cur, "\n"))
	var merged []string
	for _, p := range parts {
		if n := len(merged); n > 0 && len(merged[n-1]) < 500 {
			merged[n-1] += "\n\n" + p
		} else {
			merged = append(merged, p)
		}
	}
	var out []string
	for _, p := range merged {
		for len(p) > 20000 {
			cut := strings.LastIndex(p[:20000], "\n\n")
			if cut <= 0 {
				cut = 20000
			}
			out = append(out, p[:cut])
			p = strings.TrimLeft(p[cut:], "\n")
		}
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// paragraphs returns the paragraphs of Markdown outside code, a paragraph
// that ends in a colon (or 30% of the others) followed by a code block
// carrying it.
func paragraphs(rng *rand.Rand, md string) []string {
	var blocks, cur []string
	fence := false
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "```") {
			fence = !fence
		}
		if !fence && strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				blocks = append(blocks, strings.Join(cur, "\n"))
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		blocks = append(blocks, strings.Join(cur, "\n"))
	}
	var out []string
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		code := strings.HasPrefix(b, "```")
		switch {
		case strings.HasPrefix(b, "#"):
		case !code && i+1 < len(blocks) && strings.HasPrefix(blocks[i+1], "```") && (strings.HasSuffix(strings.TrimSpace(b), ":") || rng.Float64() < 0.3):
			out = append(out, b+"\n\n"+blocks[i+1])
			i++
		case !code:
			out = append(out, b)
		}
	}
	return out
}

func writeJSONL(path string, reqs []request) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, r := range reqs {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// judge inspects every request with Bulwark's defaults and prints the
// share blocked per request shape and per source.
func judge(reqs []request, fpPath string) error {
	e, err := inspect.New(inspect.Config{})
	if err != nil {
		return err
	}
	var fp io.Writer = io.Discard
	if fpPath != "" {
		f, err := os.Create(fpPath)
		if err != nil {
			return err
		}
		defer f.Close()
		fp = f
	}
	n, blocked := map[string]int{}, map[string]int{}
	var keys []string
	for _, r := range reqs {
		h := http.Header{}
		for k, v := range r.Headers {
			h.Set(k, v)
		}
		v := e.Inspect(&inspect.Request{Method: r.Method, URI: r.Path, Header: h, Body: []byte(r.Body)})
		kind, _, _ := strings.Cut(r.Source, ":")
		for _, k := range []string{"all", r.Cls, kind} {
			if _, ok := n[k]; !ok {
				keys = append(keys, k)
			}
			n[k]++
			if v.Action == inspect.Block {
				blocked[k]++
			}
		}
		if v.Action == inspect.Block {
			for _, f := range v.Findings {
				fmt.Fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%q\n", r.ID, r.Cls, r.Source, f.RuleID, f.Where, f.Fragment)
			}
		}
	}
	fmt.Printf("%-14s %6s %8s\n", "requests", "n", "blocked")
	for _, k := range keys {
		fmt.Printf("%-14s %6d %5d (%.2f%%)\n", k, n[k], blocked[k], 100*float64(blocked[k])/float64(n[k]))
	}
	return nil
}
