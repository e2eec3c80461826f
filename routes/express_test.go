package routes

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

// express4Dir returns the Express 4 fixture app's directory, after checking
// that node and its npm dependencies are there.
func express4Dir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		testutil.RealPartMissing(t, "node is not on PATH")
	}
	dir := filepath.Join("testdata", "express", "v4")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "express")); err != nil {
		testutil.RealPartMissing(t, "the Express 4 fixture's npm dependencies are not installed: run make deps")
	}
	return dir
}

func listExpress(t *testing.T, script string) []string {
	t.Helper()
	got, err := ListExpress(context.Background(), "", script)
	if err != nil {
		t.Fatalf("ListExpress(%s): %v", script, err)
	}
	for _, d := range got {
		if d.Source != "express:"+script || d.Secured != nil {
			t.Errorf("%s: Source %q, Secured %v; want %q and nil", declaredLine(d), d.Source, d.Secured, "express:"+script)
		}
	}
	return declaredLines(got)
}

// exampleRoutes are the routes examples/express-app/routes/*.js declare
// (Express 5, built by an async factory that server.js awaits before
// listening).
var exampleRoutes = []string{
	"GET / unknown",                              // home.js
	"GET /api/admin/stats unknown",               // admin.js
	"GET /api/admin/users unknown",               // admin.js
	"POST /api/articles unknown",                 // articles.js
	"GET /api/articles/{slug} unknown",           // articles.js
	"PUT /api/articles/{slug} unknown",           // articles.js
	"GET /api/articles/{slug}/comments unknown",  // articles.js
	"POST /api/articles/{slug}/comments unknown", // articles.js
	"GET /api/echo unknown",                      // echo.js
	"GET /api/health unknown",                    // api.js
	"POST /api/login unknown",                    // auth.js
	"GET /api/me unknown",                        // profile.js
	"POST /api/me/email unknown",                 // profile.js
	"POST /api/me/password unknown",              // profile.js
	"GET /api/products unknown",                  // api.js
	"POST /api/products unknown",                 // api.js
	"GET /api/products/{id} unknown",             // api.js
	"POST /api/upload unknown",                   // upload.js
	"GET /download unknown",                      // download.js
	"GET /login unknown",                         // auth.js
	"POST /login unknown",                        // auth.js
	"GET /logout unknown",                        // auth.js
	"POST /logout unknown",                       // auth.js
	"POST /posts unknown",                        // articles.js
	"GET /posts/{slug} unknown",                  // articles.js
	"GET /profile unknown",                       // profile.js
	"POST /profile/email unknown",                // profile.js
	"POST /profile/password unknown",             // profile.js
	"GET /register unknown",                      // auth.js
	"POST /register unknown",                     // auth.js
	"GET /search unknown",                        // search.js
}

func TestListExpressExampleApp(t *testing.T) {
	dir := testutil.ExpressAppDir(t)
	script := filepath.Join(dir, "server.js")
	t.Run("as deployed", func(t *testing.T) {
		t.Setenv("ADMIN_EXPORT", "")
		if diff := cmp.Diff(exampleRoutes, listExpress(t, script)); diff != "" {
			t.Errorf("routes of %s (-want +got):\n%s", script, diff)
		}
	})
	// The app's environment is the one it runs with: ADMIN_EXPORT=1 deploys
	// one more route.
	t.Run("ADMIN_EXPORT=1", func(t *testing.T) {
		t.Setenv("ADMIN_EXPORT", "1")
		got := listExpress(t, script)
		want := append([]string{}, exampleRoutes...)
		want = append(want[:1], append([]string{"GET /api/admin/export unknown"}, want[1:]...)...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("routes of %s with ADMIN_EXPORT=1 (-want +got):\n%s", script, diff)
		}
	})
}

func TestListExpress4(t *testing.T) {
	dir := express4Dir(t)
	// The port the app would listen on is taken: had it really listened, it
	// would have failed with EADDRINUSE.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	t.Setenv("PORT", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	script := filepath.Join(dir, "server.js")
	want := []string{
		"GET / unknown",
		"GET /about unknown", // an array of paths
		"GET /about-us unknown",
		"GET /admin/dashboard unknown", // a sub-app
		"POST /admin/reindex unknown",
		"GET /api/status unknown", // routers nested three deep
		"GET /api/v1/users/{userId} unknown",
		"GET /api/v1/users/{userId}/orders unknown",
		"POST /api/v1/users/{userId}/orders unknown",
		"GET /api/v1/users/{userId}/orders/{orderId} unknown",
		"GET /books unknown", // app.route() chains
		"POST /books unknown",
		"DELETE /books/{isbn} unknown",
		"GET /books/{isbn} unknown",
		"PUT /books/{isbn} unknown",
		"GET /files/{*} unknown",  // a wildcard
		"GET /items/{id} unknown", // a parameter with its own regexp
		"GET /members unknown",    // a router mounted on two prefixes
		"GET /members/{name} unknown",
		"PATCH /members/{name} unknown",
		"* /ping unknown",           // app.all
		"GET /posts/{year} unknown", // an optional parameter: with and without
		"GET /posts/{year}/{month} unknown",
		"GET /users unknown",
		"GET /users/{name} unknown",
		"PATCH /users/{name} unknown",
		`GET ~/^\/legacy\/.*\.php$/ unknown`, // a regexp path
	}
	if diff := cmp.Diff(want, listExpress(t, script)); diff != "" {
		t.Errorf("routes of %s (-want +got):\n%s", script, diff)
	}
}

// TestListExpress5Syntax declares routes in Express 5's own path syntax,
// which real Express 5 accepts (it throws on what it does not).
func TestListExpress5Syntax(t *testing.T) {
	dir := testutil.ExpressAppDir(t)
	t.Setenv("NODE_PATH", filepath.Join(dir, "node_modules"))
	script := filepath.Join(t.TempDir(), "app.js")
	src := `'use strict';
const express = require('express');
const ok = (req, res) => res.send('ok');
const app = express();
app.get('/files/*filepath', ok);
app.get('/posts/:year{/:month}', ok);
app.get('/avatar{.:ext}', ok);
app.get('/a\\{b\\}', ok);
app.route('/notes/:id').get(ok).delete(ok);
const r = express.Router();
r.get('/:slug', ok);
r.all('/', ok);
app.use('/blog', r);
app.use('/re', express.Router().get(/^\/x-(\d+)$/, ok));
module.exports = app;
`
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /avatar unknown", // an optional group, left out
		"GET /a{b} unknown",   // escaped braces are text
		"* /blog unknown",
		"GET /blog/{slug} unknown",
		"GET /files/{*} unknown",
		"DELETE /notes/{id} unknown",
		"GET /notes/{id} unknown",
		"GET /posts/{year} unknown",
		"GET /posts/{year}/{month} unknown",
		"GET /{ext} unknown", // the optional group taken: a segment mixing text and a parameter is one parameter
		`GET ~/^\/x-(\d+)$/ under /re unknown`,
	}
	if diff := cmp.Diff(want, listExpress(t, script)); diff != "" {
		t.Errorf("routes of %s (-want +got):\n%s", script, diff)
	}
}

// TestListExpressESM lists an app written as an ES module, importing
// express and its Router by name.
func TestListExpressESM(t *testing.T) {
	app := testutil.ExpressAppDir(t)
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(app, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "server.mjs")
	src := `import express, { Router } from 'express';
const ok = (req, res) => res.send('ok');
const app = express();
const api = Router();
api.get('/things/:id', ok);
app.use('/api', api);
app.post('/login', ok);
await new Promise((resolve) => setTimeout(resolve, 10));
app.listen(3000);
`
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /api/things/{id} unknown", "POST /login unknown"}
	if diff := cmp.Diff(want, listExpress(t, script)); diff != "" {
		t.Errorf("routes of %s (-want +got):\n%s", script, diff)
	}
}

func TestListExpressErrors(t *testing.T) {
	dir := express4Dir(t)
	tests := []struct {
		script string
		want   []string // each must be in the error
	}{
		{filepath.Join(dir, "throws.js"), []string{"Error: DATABASE_URL is not set", "throws.js:8"}},
		{filepath.Join(dir, "exits.js"), []string{"exited with code 2 before it listened", "cannot connect to the database"}},
		{filepath.Join("testdata", "express", "plain.js"), []string{"did not load express"}},
		{filepath.Join("testdata", "express", "missing.js"), []string{"no such file"}},
		{dir, []string{"is a directory", "entry script"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.script), func(t *testing.T) {
			got, err := ListExpress(context.Background(), "", tt.script)
			if err == nil {
				t.Fatalf("ListExpress(%s) = %v, want an error", tt.script, declaredLines(got))
			}
			for _, w := range append([]string{tt.script}, tt.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ListExpress(%s) error %q does not say %q", tt.script, err, w)
				}
			}
			if strings.Contains(err.Error(), "[eval]") {
				t.Errorf("ListExpress(%s) error quotes the lister's own frames: %q", tt.script, err)
			}
		})
	}
}

// TestListExpressNeverListens: an app that waits forever without listening
// is listed after a bounded wait, with the routes it declared.
func TestListExpressNeverListens(t *testing.T) {
	script := filepath.Join(express4Dir(t), "never-listens.js")
	if diff := cmp.Diff([]string{"GET /health unknown"}, listExpress(t, script)); diff != "" {
		t.Errorf("routes of %s (-want +got):\n%s", script, diff)
	}
}

// TestListExpressHung: an app stuck in a loop at startup is stopped when
// the time is up, and the error says so.
func TestListExpressHung(t *testing.T) {
	dir := express4Dir(t)
	script := filepath.Join(t.TempDir(), "hung.js")
	src := "const express = require(" + strconv.Quote(filepath.Join(mustAbs(t, dir), "node_modules", "express")) + ");\nexpress().get('/', () => {});\nfor (;;) {}\n"
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	got, err := ListExpress(ctx, "", script)
	if err == nil || !strings.Contains(err.Error(), "no answer in time") || !strings.Contains(err.Error(), script) {
		t.Fatalf("ListExpress(%s) = %v, %v; want an error saying it did not answer in time", script, declaredLines(got), err)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestListExpressNodeMissing(t *testing.T) {
	script := filepath.Join("testdata", "express", "plain.js")
	t.Setenv("PATH", t.TempDir())
	if _, err := ListExpress(context.Background(), "", script); !errors.Is(err, ErrNodeMissing) {
		t.Errorf("ListExpress with no node on PATH: error %v, want ErrNodeMissing", err)
	}
	bad := filepath.Join(t.TempDir(), "node")
	if _, err := ListExpress(context.Background(), bad, script); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("ListExpress(node=%s): error %v, want one naming it", bad, err)
	}
}

func TestExpressPathTemplates(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"", []string{"/"}},
		{"/", []string{"/"}},
		{"/api/users/", []string{"/api/users"}},
		{"//api//users", []string{"/api/users"}},
		{"/users/:id", []string{"/users/{id}"}},
		{"/users/:user_id/posts/:postId", []string{"/users/{user_id}/posts/{postId}"}},
		{`/items/:id(\d+)`, []string{"/items/{id}"}},
		{`/items/:id(\d+/x)/more`, []string{"/items/{id}/more"}}, // a slash inside the regexp is not a segment
		{"/posts/:year/:month?", []string{"/posts/{year}", "/posts/{year}/{month}"}},
		{"/:lang?/docs", []string{"/docs", "/{lang}/docs"}},
		{"/posts/:year{/:month}", []string{"/posts/{year}", "/posts/{year}/{month}"}},
		{"/a{/b{/c}}", []string{"/a", "/a/b", "/a/b/c"}},
		{"/files/*", []string{"/files/{*}"}},
		{"/files/*filepath", []string{"/files/{*}"}},
		{"/*splat", []string{"/{*}"}},
		{"/files/:path*", []string{"/files/{*}"}},
		{"/files/:path+", []string{"/files/{*}"}},
		{"/file.:ext", []string{"/{ext}"}},
		{`/:"quoted name"`, []string{"/{quoted name}"}},
		{`/a\:b`, []string{"/a:b"}},
		{`/(\d+)`, []string{"/{0}"}},
		{"/time:", []string{"/time:"}}, // a colon not starting a name is text
	}
	for _, tt := range tests {
		if got := expressPathTemplates(tt.path); !cmp.Equal(got, tt.want) {
			t.Errorf("expressPathTemplates(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestExpressPathTemplatesBounded(t *testing.T) {
	p := strings.Repeat("/:x?", 20) // 2^20 combinations
	if got := expressPathTemplates(p); len(got) > maxVariants {
		t.Errorf("expressPathTemplates(%q) gave %d templates, want at most %d", p, len(got), maxVariants)
	}
}

func FuzzExpressPathTemplates(f *testing.F) {
	for _, s := range []string{"/users/:id", "/posts/:year{/:month}", `/items/:id(\d+)`, "/files/*", "/a{/b{/c}}", `/:"q"`, "/x\\", "{", "(", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := expressPathTemplates(p)
		if len(got) == 0 || len(got) > maxVariants {
			t.Fatalf("expressPathTemplates(%q) gave %d templates", p, len(got))
		}
		for _, tmpl := range got {
			if !strings.HasPrefix(tmpl, "/") || strings.ContainsAny(tmpl, "\x00\x01") || strings.Contains(tmpl, "//") {
				t.Fatalf("expressPathTemplates(%q) = %q: not a template", p, tmpl)
			}
		}
	})
}
