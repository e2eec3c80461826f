package guard

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/routes"
)

// BenchmarkGatewayRequests is one request through every stage of a
// gateway with its defaults and a black book and account watch, to a
// loopback upstream: a GET with a query and a JSON login POST.
func BenchmarkGatewayRequests(b *testing.B) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer up.Close()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlite.Migrations{"blackbook": blackbook.Migrations, "accounts": accounts.Migrations, "routes": routes.Migrations})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	book, err := blackbook.Open(ctx, blackbook.Config{}, blackbook.Options{DB: db.DB, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	defer book.Close()
	// With the route inventory (the default) and without it, side by side.
	for _, inventory := range []string{"routes", "noroutes"} {
		cfg := Config{Upstream: up.URL, Listen: "127.0.0.1:0"}
		cfg.Limits.Exempt = []string{"127.0.0.0/8"} // as bulwark guard's default
		cfg.Routes.Disable = inventory == "noroutes"
		g, err := New(cfg, Options{Logger: log, Book: book, DB: db})
		if err != nil {
			b.Fatal(err)
		}
		defer g.Close()
		for _, tc := range []struct{ name, method, path, body string }{
			{"GET", "GET", "/search?q=shoes&page=2&sort=price", ""},
			{"LoginPOST", "POST", "/api/login", `{"username":"alice","password":"correct horse battery staple"}`},
		} {
			b.Run(tc.name+"/"+inventory, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
					r.RemoteAddr = "127.0.0.1:5555"
					if tc.body != "" {
						r.Header.Set("Content-Type", "application/json")
					}
					w := httptest.NewRecorder()
					g.ServeHTTP(w, r)
				}
			})
		}
	}
}
