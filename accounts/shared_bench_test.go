package accounts

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// trips counts the round trips a Redis client makes: one per command
// sent alone, one per pipeline.
type trips struct{ n atomic.Int64 }

func (c *trips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *trips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.n.Add(1); return next(ctx, cmd) }
}
func (c *trips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { c.n.Add(1); return next(ctx, cmds) }
}

// sharedWatch returns a watch sharing the real Redis srv, and the counter
// of its round trips to it.
func sharedWatch(tb testing.TB, srv *testutil.Redis, clock *fakeClock) (*Watch, *trips) {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1})
	rt := &trips{}
	c.AddHook(rt)
	f := fleet.New(c, fleet.Options{Prefix: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Timeout: time.Second})
	w, err := New(Config{Preset: "express-example", Key: "one-key-for-the-whole-fleet-0123456789", Breach: Breach{Mode: "off"}},
		Options{DB: openDB(tb), Mailer: &recorder{}, Bans: &recorder{}, Clock: clock.Now, ClientIP: testIP, Fleet: f})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.Close(); f.Close(); c.Close() })
	return w, rt
}

// login posts a form login through h.
func login(h http.Handler, ip, user, pass string) int {
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {user}, "password": {pass}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Test-IP", ip)
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr.Code
}

// scriptMicros reads the µs Redis spent running scripts since its stats
// were reset.
func scriptMicros(tb testing.TB, c *redis.Client) int {
	stats, err := c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(stats, "\n") {
		if strings.HasPrefix(line, "cmdstat_eval:") || strings.HasPrefix(line, "cmdstat_evalsha:") {
			if i := strings.Index(line, ",usec="); i >= 0 {
				var us int
				if _, err := fmt.Sscanf(line[i:], ",usec=%d", &us); err == nil {
					n += us
				}
			}
		}
	}
	return n
}

// BenchmarkLoginSharedVsLocal is what the account watch adds to one login
// through its middleware (a successful one: counts, session, known
// devices; a failed one: the pair's block, counts), counted alone and
// through a real Redis on loopback, with one PING for the scale of a
// round trip. The shared runs report trips/op, the round trips to Redis
// per login, and redis-µs/op, the time Redis spent running the scripts.
func BenchmarkLoginSharedVsLocal(b *testing.B) {
	srv := testutil.StartRedis(b)
	for _, shared := range []bool{false, true} {
		for _, ok := range []bool{true, false} {
			name := map[bool]string{false: "local", true: "shared"}[shared] + map[bool]string{true: "-success", false: "-failure"}[ok]
			b.Run(name, func(b *testing.B) {
				clock := newClock()
				var w *Watch
				var rt *trips
				admin := redis.NewClient(&redis.Options{Addr: srv.Addr()})
				defer admin.Close()
				if shared {
					w, rt = sharedWatch(b, srv, clock)
					if err := admin.ConfigResetStat(context.Background()).Err(); err != nil {
						b.Fatal(err)
					}
				} else {
					w, _ = newTestWatch(b, Config{Preset: "express-example"}, clock)
				}
				h := w.Middleware()(&fakeApp{})
				pass := "wrong"
				if ok {
					pass = "correct horse battery staple"
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					// Many users and addresses, so that no pair is blocked.
					ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
					if code := login(h, ip, fmt.Sprintf("user%d", i%5000), pass); code == http.StatusForbidden || code == http.StatusTooManyRequests {
						b.Fatalf("login %d refused (%d): the figures would not be a login's", i, code)
					}
				}
				b.StopTimer()
				if rt != nil {
					b.ReportMetric(float64(rt.n.Load())/float64(b.N), "trips/op")
					b.ReportMetric(float64(scriptMicros(b, admin))/float64(b.N), "redis-µs/op")
					if !w.fleet.Up() {
						b.Fatal("redis went down during the benchmark: the figures are local ones")
					}
				}
			})
		}
	}
	b.Run("ping", func(b *testing.B) {
		c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
		defer c.Close()
		b.ReportAllocs()
		for range b.N {
			if err := c.Ping(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
