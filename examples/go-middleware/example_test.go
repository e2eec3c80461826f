package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/headers"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/limit"
)

// client talks to the examples' servers, on loopback, and never waits
// forever.
var client = &http.Client{Timeout: 30 * time.Second}

// get requests path from srv and returns the response, its body read.
func get(srv *httptest.Server, path string) (*http.Response, string) {
	res, err := client.Get(srv.URL + path)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		log.Fatal(err)
	}
	return res, string(body)
}

// Helmet's headers go on every response; HSTS only to HTTPS clients.
func Example_headers() {
	secure, err := headers.New(headers.Config{})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(secure(app()))
	defer srv.Close()

	res, body := get(srv, "/")
	fmt.Print(res.StatusCode, " ", body)
	for _, name := range []string{"X-Content-Type-Options", "X-Frame-Options", "Cross-Origin-Opener-Policy", "Referrer-Policy", "X-Powered-By", "Strict-Transport-Security"} {
		fmt.Printf("%s: %q\n", name, res.Header.Get(name))
	}
	csp := res.Header.Get("Content-Security-Policy")
	fmt.Println("Content-Security-Policy has script-src 'self':", strings.Contains(csp, "script-src 'self'"))
	// Output:
	// 200 hello
	// X-Content-Type-Options: "nosniff"
	// X-Frame-Options: "SAMEORIGIN"
	// Cross-Origin-Opener-Policy: "same-origin"
	// Referrer-Policy: "no-referrer"
	// X-Powered-By: ""
	// Strict-Transport-Security: ""
	// Content-Security-Policy has script-src 'self': true
}

// Inspection refuses an SQL injection with 403 before the application
// sees it, and reports it; the same parameter with a plain id passes.
func Example_inspect() {
	engine, err := inspect.New(inspect.Config{})
	if err != nil {
		log.Fatal(err)
	}
	reached := 0
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached++
		app().ServeHTTP(w, r)
	})
	report := func(r *http.Request, v inspect.Verdict) {
		fmt.Println("reported:", v.Action, "on", r.URL.Path)
	}
	srv := httptest.NewServer(engine.Middleware(inspect.MiddlewareOptions{OnVerdict: report})(counted))
	defer srv.Close()

	res, body := get(srv, "/products?id=42")
	fmt.Print(res.StatusCode, " ", body)
	res, _ = get(srv, "/products?id="+url.QueryEscape("42' OR '1'='1' --"))
	fmt.Println(res.StatusCode)
	fmt.Println("the application saw", reached, "request")
	// Output:
	// 200 product 42
	// reported: block on /products
	// 403
	// the application saw 1 request
}

// The rate limit answers a client over its burst with 429 and says when to
// retry; the application never sees the refused request.
func Example_limit() {
	var limited []string
	limiter, err := limit.New(limit.Config{
		PerIP: limit.Limit{Rate: limit.Rate{N: 3, Per: time.Minute}, Burst: 3},
	}, limit.Options{
		OnLimit: func(r *http.Request, d limit.Decision) { limited = append(limited, d.Limit+" "+d.Key.String()) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer limiter.Close()
	srv := httptest.NewServer(limiter.Middleware()(app()))
	defer srv.Close()

	for range 4 {
		res, _ := get(srv, "/")
		fmt.Printf("%d Retry-After=%q\n", res.StatusCode, res.Header.Get("Retry-After"))
	}
	fmt.Println("limited:", limited)
	// Output:
	// 200 Retry-After=""
	// 200 Retry-After=""
	// 200 Retry-After=""
	// 429 Retry-After="20"
	// limited: [perIP 127.0.0.1/32]
}

// The black book refuses a banned address with 403 from the moment the ban
// is made, and lets it in again once it is lifted. The bans are kept in a
// SQLite file, so they survive a restart.
func Example_blackbook() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "go-middleware")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := blackbook.OpenDB(ctx, filepath.Join(dir, "bans.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	book, err := blackbook.Open(ctx, blackbook.Config{}, blackbook.Options{DB: db})
	if err != nil {
		log.Fatal(err)
	}
	defer book.Close()
	srv := httptest.NewServer(book.Middleware(blackbook.MiddlewareOptions{})(app()))
	defer srv.Close()

	loopback := blackbook.IPTarget(netip.MustParseAddr("127.0.0.1"))
	res, _ := get(srv, "/")
	fmt.Println("before the ban:", res.StatusCode)
	if _, err := book.Ban(ctx, blackbook.BanRequest{Target: loopback, Duration: time.Hour, Reason: "credential stuffing"}); err != nil {
		log.Fatal(err)
	}
	res, body := get(srv, "/")
	fmt.Printf("banned: %d %q\n", res.StatusCode, body)
	if _, err := book.Unban(ctx, loopback, "example"); err != nil {
		log.Fatal(err)
	}
	res, _ = get(srv, "/")
	fmt.Println("after the unban:", res.StatusCode)
	// Output:
	// before the ban: 200
	// banned: 403 "403 Forbidden\n"
	// after the unban: 200
}

// The whole program: the four stages in front of the application, Helmet's
// headers on the refusals too.
func Example_protect() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "go-middleware")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := blackbook.OpenDB(ctx, filepath.Join(dir, "bans.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	p, err := protect(ctx, db, app())
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	srv := httptest.NewServer(p)
	defer srv.Close()

	for _, path := range []string{"/", "/products?id=" + url.QueryEscape("1 UNION SELECT password FROM users--")} {
		res, _ := get(srv, path)
		fmt.Println(res.StatusCode, res.Header.Get("X-Frame-Options"))
	}
	if _, err := p.Book.Ban(ctx, blackbook.BanRequest{Target: blackbook.IPTarget(netip.MustParseAddr("127.0.0.1"))}); err != nil {
		log.Fatal(err)
	}
	res, _ := get(srv, "/")
	fmt.Println(res.StatusCode, res.Header.Get("X-Frame-Options"))
	// Output:
	// 200 SAMEORIGIN
	// 403 SAMEORIGIN
	// 403 SAMEORIGIN
}

// The account watch counts failed logins per user and address: after the
// third failure in a row it refuses that user's logins from that address
// with 429, the right password included, before the application sees them,
// and publishes an event for each step. Its state is kept in a SQLite file.
func Example_accounts() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "go-middleware")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := accounts.OpenDB(ctx, filepath.Join(dir, "accounts.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	watch, err := accounts.New(accounts.Config{
		Routes: []accounts.Route{{
			Kind: accounts.Login, Path: "/login", User: "user", Password: "password",
			Success: accounts.Success{Location: "/profile"},
		}},
		Thresholds: accounts.Thresholds{PairFailures: 3},
		Breach:     accounts.Breach{Mode: "off"}, // no look-ups on the network
	}, accounts.Options{
		DB:      db,
		Publish: func(e event.Event) { fmt.Println("event:", e.Action, e.UserName) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer watch.Close()
	reached := 0
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached++
		if r.PostFormValue("password") != "correct horse" {
			http.Error(w, "wrong user or password", http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
	})
	srv := httptest.NewServer(watch.Middleware()(login))
	defer srv.Close()

	for _, password := range []string{"guess1", "guess2", "guess3", "correct horse"} {
		res, err := client.PostForm(srv.URL+"/login", url.Values{"user": {"alice"}, "password": {password}})
		if err != nil {
			log.Fatal(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	fmt.Println("the application saw", reached, "logins")
	// Output:
	// event: login-failure alice
	// 401
	// event: login-failure alice
	// 401
	// event: login-failure alice
	// event: login-pair-blocked alice
	// 401
	// event: login-blocked alice
	// 429
	// the application saw 3 logins
}
