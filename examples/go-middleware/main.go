// Command go-middleware is a Go web application protected in-process by
// Bulwark's stages, without the gateway: the black book refuses banned
// clients, the rate limit answers a client over it with 429, inspection
// refuses attacks with 403, and every response carries Helmet's headers.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/headers"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/limit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	db, err := blackbook.OpenDB(ctx, "bans.db") // the bans survive a restart
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	p, err := protect(ctx, db, app())
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// app is the application: it greets, and lists products by id.
func app() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	mux.HandleFunc("GET /products", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "product", r.URL.Query().Get("id"))
	})
	return mux
}

// A protected is an application behind the four stages. Close it before
// the database.
type protected struct {
	http.Handler
	Book    *blackbook.Book
	limiter *limit.Limiter
}

// protect puts app behind the stages, in the order Bulwark's gateway uses:
// a request meets the black book first, then the rate limit, then
// inspection; Helmet's headers go on every response, refusals included.
func protect(ctx context.Context, db *sql.DB, app http.Handler) (*protected, error) {
	secure, err := headers.New(headers.Config{}) // Helmet's defaults
	if err != nil {
		return nil, err
	}
	engine, err := inspect.New(inspect.Config{}) // blocks at the default threshold
	if err != nil {
		return nil, err
	}
	limiter, err := limit.New(limit.Config{
		PerIP: limit.Limit{Rate: limit.Rate{N: 60, Per: time.Minute}, Burst: 20},
	}, limit.Options{})
	if err != nil {
		return nil, err
	}
	book, err := blackbook.Open(ctx, blackbook.Config{}, blackbook.Options{DB: db})
	if err != nil {
		limiter.Close()
		return nil, err
	}
	h := engine.Middleware(inspect.MiddlewareOptions{})(app)
	h = limiter.Middleware()(h)
	h = book.Middleware(blackbook.MiddlewareOptions{})(h)
	return &protected{Handler: secure(h), Book: book, limiter: limiter}, nil
}

// Close stops the stages' background work.
func (p *protected) Close() {
	p.Book.Close()
	p.limiter.Close()
}
