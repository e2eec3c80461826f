package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// page is what the upstream answers to GET /: a small server-rendered page,
// about 1 KiB, as an Express app would send it.
const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Orders · Acme Shop</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header><nav><a href="/">Acme Shop</a> · <a href="/orders">Orders</a> · <a href="/account">Account</a></nav></header>
<main>
<h1>Your recent orders</h1>
<table>
<thead><tr><th>Order</th><th>Date</th><th>Items</th><th>Total</th><th>Status</th></tr></thead>
<tbody>
<tr><td><a href="/orders/10421">#10421</a></td><td>2024-05-02</td><td>3</td><td>$84.20</td><td>Shipped</td></tr>
<tr><td><a href="/orders/10388">#10388</a></td><td>2024-04-19</td><td>1</td><td>$12.99</td><td>Delivered</td></tr>
<tr><td><a href="/orders/10302">#10302</a></td><td>2024-03-30</td><td>5</td><td>$143.75</td><td>Delivered</td></tr>
</tbody>
</table>
<form method="post" action="/search"><input name="q" placeholder="Search orders"><button>Search</button></form>
</main>
<footer><p>&copy; 2024 Acme Shop · <a href="/privacy">Privacy</a></p></footer>
<script src="/static/app.js" defer></script>
</body>
</html>
`

// The upstream's other routes, used by the comparison with nginx and
// ModSecurity: a search page that takes query parameters (it answers the
// same page as /) and a JSON login that always succeeds.
const (
	searchPath = "/search"
	loginPath  = "/api/login"
)

// loginAnswer is what POST /api/login answers, with a session cookie, as an
// Express API would after a successful login.
const loginAnswer = `{"ok":true,"user":{"id":1042,"email":"alice@example.com","name":"Alice"}}`

// serveLogin reads the whole JSON body, as the app would, and answers a
// successful login.
func serveLogin(w http.ResponseWriter, r *http.Request) {
	if _, err := io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20)); err != nil {
		http.Error(w, "reading the body", http.StatusBadRequest)
		return
	}
	hdr := w.Header()
	hdr.Set("X-Powered-By", "Express")
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(loginAnswer)))
	hdr.Set("Set-Cookie", "sid=s%3Ab1946ac92492d2347c6235b4d2611184; Path=/; HttpOnly")
	w.Write([]byte(loginAnswer))
}

// serveUpstream is the hidden "upstream" subcommand: the application the
// targets are measured in front of. It serves until ctx is done.
func serveUpstream(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("upstream", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:3000", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	length := strconv.Itoa(len(page))
	etag := fmt.Sprintf(`W/"%x-bench"`, len(page))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == loginPath && r.Method == http.MethodPost:
			serveLogin(w, r)
			return
		case r.URL.Path != "/" && r.URL.Path != searchPath:
			http.NotFound(w, r)
			return
		}
		hdr := w.Header()
		hdr.Set("X-Powered-By", "Express")
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Content-Length", length)
		hdr.Set("Etag", etag)
		w.Write([]byte(page))
	})
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	return listenUntilDone(ctx, srv)
}

// listenUntilDone serves srv until ctx is done, then shuts it down.
func listenUntilDone(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", srv.Addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
