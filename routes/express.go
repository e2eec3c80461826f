package routes

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed express.js
var expressLister string

const (
	// expressTimeout bounds a listing: loading an app takes a second or two.
	expressTimeout = 10 * time.Second
	// maxExpressResult bounds the JSON the lister writes.
	maxExpressResult = 16 << 20
	// maxExpressOutput is how much of the app's own output is kept, the
	// end of it, to quote in an error.
	maxExpressOutput = 4 << 10
)

// ErrNodeMissing is returned by [ListExpress] when no node binary is found.
var ErrNodeMissing = errors.New("routes: node not found on PATH: install Node.js, or give the path of its node binary")

// ListExpress loads the Express app of script in Node (node found on PATH
// when node is empty, or the given binary) without listening, and returns
// its routes.
//
// It runs the app's script as the main module, as `node script` would,
// from the script's directory, with require('express') hooked so that
// every route declared on an app or router is recorded, and listen() of
// every server stubbed so that nothing binds a port; it stops once the app
// has called listen(), or when the app exits or has nothing left to do, or
// after 5 seconds, and in any case within 10 seconds. The app's own code
// runs as it would at startup (opening databases, reading files), which is
// why only the user's own apps should be listed.
//
// Express 4 and 5 are read: app.METHOD, app.all (Method "*"),
// app.route(path) chains, express.Router() and its methods, routers and
// apps mounted with use(prefix, …) at any depth, arrays of paths. Path
// syntax becomes the inventory's: ":id" and ":id(\\d+)" become {id}, an
// optional part (":id?", Express 5's "{/:id}") gives one route with it and
// one without, a wildcard ("*", "*name", "/*splat") becomes {*}. A route
// whose path is a regular expression has a Template of "~" and the
// expression's literal, followed by " under PREFIX" when mounted below
// one: it matches no template. Middleware mounted with use() is not a
// route and is not listed. Secured is nil: the code does not say.
func ListExpress(ctx context.Context, node, script string) ([]Declared, error) {
	if node == "" {
		p, err := exec.LookPath("node")
		if err != nil {
			return nil, ErrNodeMissing
		}
		node = p
	}
	abs, err := filepath.Abs(script)
	if err != nil {
		return nil, fmt.Errorf("listing Express routes of %s: %w", script, err)
	}
	if st, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("listing Express routes: %w", err)
	} else if st.IsDir() {
		return nil, fmt.Errorf("listing Express routes: %s is a directory: give the app's entry script (server.js, app.js…)", script)
	}

	ctx, cancel := context.WithTimeout(ctx, expressTimeout)
	defer cancel()
	res, out, err := runLister(ctx, node, abs)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("listing Express routes of %s: no answer in time (at most %s): the app neither listened nor let Node go on; it was stopped%s", script, expressTimeout, quoteOutput(out))
		}
		return nil, fmt.Errorf("listing Express routes of %s: %w%s", script, err, quoteOutput(out))
	}
	if res.Error != "" {
		return nil, fmt.Errorf("listing Express routes of %s: %s%s", script, res.Error, quoteOutput(out))
	}
	return expressRoutes(res, "express:"+script), nil
}

// expressResult is what express.js writes.
type expressResult struct {
	Error    string         `json:"error"`
	Express  string         `json:"express"`
	Listened bool           `json:"listened"`
	Routes   []expressRoute `json:"routes"`
}

type expressRoute struct {
	Method string        `json:"method"`
	Path   []expressPath `json:"path"`
}

// An expressPath is one mount path or route path: a string, or a regular
// expression's literal.
type expressPath struct {
	S  *string `json:"s"`
	Re *string `json:"re"`
}

// runLister runs express.js on script under node and returns its result
// and the end of the app's own output.
func runLister(ctx context.Context, node, script string) (*expressResult, []byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	out := &tailBuffer{max: maxExpressOutput}
	cmd := exec.CommandContext(ctx, node, "-e", expressLister, script)
	cmd.Dir = filepath.Dir(script)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.ExtraFiles = []*os.File{w} // fd 3
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("starting %s: %w", node, err)
	}
	w.Close()
	var result []byte
	read := make(chan error, 1)
	go func() {
		var err error
		result, err = io.ReadAll(io.LimitReader(r, maxExpressResult+1))
		read <- err
	}()
	waitErr := cmd.Wait()
	r.Close() // a grandchild holding fd 3 open must not keep the reader waiting
	readErr := <-read
	if ctx.Err() != nil {
		return nil, out.Bytes(), ctx.Err()
	}
	if len(result) == 0 {
		if waitErr != nil {
			return nil, out.Bytes(), fmt.Errorf("node failed: %w", waitErr)
		}
		if readErr != nil {
			return nil, out.Bytes(), readErr
		}
		return nil, out.Bytes(), errors.New("node said nothing")
	}
	if len(result) > maxExpressResult {
		return nil, out.Bytes(), fmt.Errorf("more than %d MiB of routes", maxExpressResult>>20)
	}
	var res expressResult
	if err := json.Unmarshal(result, &res); err != nil {
		return nil, out.Bytes(), fmt.Errorf("reading the lister's answer: %w", err)
	}
	return &res, out.Bytes(), nil
}

// quoteOutput formats the end of the app's output for an error message.
func quoteOutput(out []byte) string {
	s := strings.TrimSpace(string(out))
	if s == "" {
		return ""
	}
	return "\nthe app's output ended with:\n" + s
}

// expressRoutes turns the lister's routes into Declared routes, sorted by
// template then method, without duplicates.
func expressRoutes(res *expressResult, source string) []Declared {
	seen := map[[2]string]bool{}
	var out []Declared
	for _, r := range res.Routes {
		for _, t := range expressTemplates(r.Path) {
			k := [2]string{r.Method, t}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, Declared{Method: r.Method, Template: t, Source: source})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Template != out[j].Template {
			return out[i].Template < out[j].Template
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// expressTemplates joins a route's mount paths and path into templates:
// one, or more when optional parts make several.
func expressTemplates(chain []expressPath) []string {
	var prefix strings.Builder
	for i, p := range chain {
		if p.Re != nil {
			t := "~" + *p.Re
			for _, rest := range chain[i+1:] {
				if rest.Re != nil {
					t += " " + *rest.Re
				} else if rest.S != nil {
					t += " " + *rest.S
				}
			}
			if prefix.Len() > 0 {
				t += " under " + prefix.String()
			}
			return []string{t}
		}
		if p.S != nil && *p.S != "/" {
			prefix.WriteString(*p.S)
		}
	}
	return expressPathTemplates(prefix.String())
}

// tailBuffer keeps the last max bytes written to it. It is safe for
// concurrent use (stdout and stderr are copied by two goroutines).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.b.Bytes())
}

// maxVariants bounds how many templates the optional parts of one path
// give.
const maxVariants = 64

// Markers of a parameter and of a wildcard in a path being converted: bytes
// that cannot appear in a path Express matches literally.
const (
	paramMark = '\x00'
	wildMark  = '\x01'
)

// A pathNode is a piece of an Express path: literal text, a parameter
// (text is its name), a wildcard, or an optional group of pieces.
type pathNode struct {
	kind  byte // 'l', 'p', 'w', 'g'
	text  string
	group []pathNode
}

// expressPathTemplates converts an Express path, in the syntax of Express 4
// (path-to-regexp 0.1: ":id", ":id(\\d+)", ":id?", "*") or Express 5
// (path-to-regexp 8: ":id", "{/:id}", "*name", `\` escapes), to templates.
func expressPathTemplates(p string) []string {
	nodes, _ := parsePath(p, 0, false)
	seen := map[string]bool{}
	var out []string
	for _, v := range expandPath(nodes) {
		t := templateOf(v)
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// parsePath reads p from i up to the end, or to the "}" closing a group
// when inGroup, and returns the pieces and where it stopped.
func parsePath(p string, i int, inGroup bool) ([]pathNode, int) {
	var nodes []pathNode
	lit := func(c string) {
		if n := len(nodes); n > 0 && nodes[n-1].kind == 'l' {
			nodes[n-1].text += c
			return
		}
		nodes = append(nodes, pathNode{kind: 'l', text: c})
	}
	for i < len(p) {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			if e := p[i+1]; e != paramMark && e != wildMark {
				lit(p[i+1 : i+2])
			}
			i += 2
		case c == '{':
			g, j := parsePath(p, i+1, true)
			nodes = append(nodes, pathNode{kind: 'g', group: g})
			i = j
		case c == '}' && inGroup:
			return nodes, i + 1
		case c == ':' && i+1 < len(p) && (isNameByte(p[i+1]) || p[i+1] == '"'):
			name, j := readName(p, i+1)
			if j < len(p) && p[j] == '(' {
				j = skipParens(p, j)
			}
			param := pathNode{kind: 'p', text: cleanName(name)}
			switch {
			case j < len(p) && p[j] == '?': // Express 4: optional, with the slash before it
				j++
				g := []pathNode{param}
				if n := len(nodes); n > 0 && nodes[n-1].kind == 'l' && strings.HasSuffix(nodes[n-1].text, "/") {
					nodes[n-1].text = strings.TrimSuffix(nodes[n-1].text, "/")
					if nodes[n-1].text == "" {
						nodes = nodes[:n-1]
					}
					g = []pathNode{{kind: 'l', text: "/"}, param}
				}
				nodes = append(nodes, pathNode{kind: 'g', group: g})
			case j < len(p) && (p[j] == '*' || p[j] == '+'): // Express 4: one or more segments
				j++
				nodes = append(nodes, pathNode{kind: 'w'})
			default:
				nodes = append(nodes, param)
			}
			i = j
		case c == '*':
			_, j := readName(p, i+1)
			nodes = append(nodes, pathNode{kind: 'w'})
			i = j
		case c == '(': // an unnamed capture group (Express 4)
			nodes = append(nodes, pathNode{kind: 'p', text: "0"})
			i = skipParens(p, i)
		case c == paramMark || c == wildMark:
			i++ // never part of a template
		default:
			lit(p[i : i+1])
			i++
		}
	}
	return nodes, i
}

func isNameByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// readName reads a parameter name at i: identifier bytes, or a quoted
// name (Express 5).
func readName(p string, i int) (string, int) {
	if i < len(p) && p[i] == '"' {
		end := strings.IndexByte(p[i+1:], '"')
		if end < 0 {
			return p[i+1:], len(p)
		}
		return p[i+1 : i+1+end], i + end + 2
	}
	j := i
	for j < len(p) && isNameByte(p[j]) {
		j++
	}
	return p[i:j], j
}

// cleanName keeps a parameter name from breaking the template syntax.
func cleanName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch r {
		case '/', '{', '}', paramMark, wildMark:
			return -1
		}
		return r
	}, name)
	if name == "" {
		return "0"
	}
	return name
}

// skipParens returns the index after the parenthesised group starting at
// i, or the end of p if it is not closed.
func skipParens(p string, i int) int {
	depth := 0
	for ; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(p)
}

// expandPath gives the paths a node list stands for, each optional group
// taken and left out, as strings with parameters and wildcards marked;
// at most maxVariants of them.
func expandPath(nodes []pathNode) []string {
	variants := []string{""}
	for _, n := range nodes {
		switch n.kind {
		case 'l':
			for i := range variants {
				variants[i] += n.text
			}
		case 'p':
			for i := range variants {
				variants[i] += string(paramMark) + n.text + string(paramMark)
			}
		case 'w':
			for i := range variants {
				variants[i] += string(wildMark)
			}
		case 'g':
			inner := expandPath(n.group)
			next := make([]string, 0, len(variants)*(len(inner)+1))
			for _, v := range variants {
				next = append(next, v)
				for _, in := range inner {
					if len(next) < maxVariants {
						next = append(next, v+in)
					}
				}
			}
			variants = next
		}
	}
	return variants
}

// templateOf turns a marked path into a template: a segment with a
// wildcard is {*}, a segment with parameters is the first one ({id}), other
// segments stay; empty segments and a trailing slash go.
func templateOf(marked string) string {
	var b strings.Builder
	for _, seg := range strings.Split(marked, "/") {
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		switch {
		case strings.IndexByte(seg, wildMark) >= 0:
			b.WriteString("{*}")
		case strings.IndexByte(seg, paramMark) >= 0:
			name := seg[strings.IndexByte(seg, paramMark)+1:]
			name = name[:strings.IndexByte(name, paramMark)]
			b.WriteString("{" + name + "}")
		default:
			b.WriteString(seg)
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}
