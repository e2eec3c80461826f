package guard

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/internal/testutil"
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
	// Requests/s of one gateway with its rate limits counted locally and
	// shared through a real redis-server, many requests in flight (16 per
	// -cpu), each from one of 4096 client addresses outside the exempt
	// loopback, so every request is counted. trips/op is round trips to
	// Redis per request (group commit puts concurrent checks in one).
	srv := testutil.StartRedis(b)
	for _, limits := range []string{"local", "redis"} {
		cfg := Config{Upstream: up.URL, Listen: "127.0.0.1:0"}
		cfg.Limits.Exempt = []string{"127.0.0.0/8"}
		opts := Options{Logger: log, Book: book, DB: db}
		var rt *scriptTrips
		if limits == "redis" {
			c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
			defer c.Close()
			rt = &scriptTrips{}
			c.AddHook(rt)
			opts.Redis = c
		}
		g, err := New(cfg, opts)
		if err != nil {
			b.Fatal(err)
		}
		defer g.Close()
		for _, tc := range []struct{ name, method, path, body string }{
			{"GET", "GET", "/search?q=shoes&page=2&sort=price", ""},
			{"LoginPOST", "POST", "/api/login", `{"username":"alice","password":"correct horse battery staple"}`},
		} {
			b.Run(tc.name+"/parallel/limits="+limits, func(b *testing.B) {
				var next, refused atomic.Int64
				if rt != nil {
					rt.n.Store(0)
				}
				b.SetParallelism(16)
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					base := int(next.Add(1)) << 8
					for i := 0; pb.Next(); i++ {
						r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
						n := (base + i%256) % 4096
						r.RemoteAddr = fmt.Sprintf("198.18.%d.%d:5555", n>>8, n&255)
						if tc.body != "" {
							r.Header.Set("Content-Type", "application/json")
						}
						w := httptest.NewRecorder()
						g.ServeHTTP(w, r)
						if w.Code != http.StatusOK {
							refused.Add(1)
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
				b.ReportMetric(float64(refused.Load())/float64(b.N), "not-ok/op")
				if rt != nil {
					b.ReportMetric(float64(rt.n.Load())/float64(b.N), "trips/op")
				}
			})
		}
	}
}

// scriptTrips counts round trips to Redis that carry scripts: one per
// script sent alone, one per pipeline of them.
type scriptTrips struct{ n atomic.Int64 }

func (c *scriptTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *scriptTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if strings.HasPrefix(cmd.Name(), "eval") {
			c.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c *scriptTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && strings.HasPrefix(cmds[0].Name(), "eval") {
			c.n.Add(1)
		}
		return next(ctx, cmds)
	}
}
