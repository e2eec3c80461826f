package limit

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fastClock is the real clock running a million times faster, so a warm
// key stays within its rate however fast the benchmark calls it. It costs
// what time.Now costs, with no shared state between cores.
func fastClock() func() time.Time {
	start := time.Now()
	return func() time.Time { return start.Add(time.Since(start) * 1_000_000) }
}

func benchLimiter(b *testing.B, cfg Config, clock func() time.Time) *Limiter {
	l, err := New(cfg, Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// spreadAddr is the i-th of 2^32 distinct IPv4 addresses, spread over
// every /24 (an odd multiplier is a bijection mod 2^32).
func spreadAddr(i int) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(i)*2654435761)
	return netip.AddrFrom4(b)
}

// BenchmarkAllow is the check of a warm key: the default limits (per IP
// and per network), and the same with a login route group and a global
// limit. refused/op shows the allow path is what is measured.
func BenchmarkAllow(b *testing.B) {
	def := Config{}
	full := Config{
		Global: Limit{Rate: mustRate("1000000/s"), Burst: 1000000},
		Routes: []Route{
			{Name: "login", Methods: []string{"POST"}, Paths: []string{"/login", "/session/*"}, Rate: mustRate("5/m")},
			{Name: "api", Paths: []string{"/api/*"}, Rate: mustRate("100/s")},
		},
		Exempt: []string{"10.0.0.0/8"},
	}
	ip := netip.MustParseAddr("192.0.2.1")
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"default", def}, {"routes+global", full}} {
		b.Run(c.name+"/sequential", func(b *testing.B) {
			l := benchLimiter(b, c.cfg, fastClock())
			refused := 0
			b.ReportAllocs()
			for b.Loop() {
				if !l.Allow(ip, "GET", "/index.html").Allowed {
					refused++
				}
			}
			b.ReportMetric(float64(refused)/float64(b.N), "refused/op")
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			// Each goroutine is its own client (one key per goroutine).
			l := benchLimiter(b, c.cfg, fastClock())
			var next, refused atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ip := spreadAddr(int(next.Add(1)))
				for pb.Next() {
					if !l.Allow(ip, "GET", "/index.html").Allowed {
						refused.Add(1)
					}
				}
			})
			b.ReportMetric(float64(refused.Load())/float64(b.N), "refused/op")
		})
	}
}

// BenchmarkAllowSpray is an attacker spraying addresses: a new client at
// every request, with the default limits and MaxKeys, so the tables fill
// and evict.
func BenchmarkAllowSpray(b *testing.B) {
	b.Run("sequential", func(b *testing.B) {
		l := benchLimiter(b, Config{}, fastClock())
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			l.Allow(spreadAddr(i), "GET", "/")
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		l := benchLimiter(b, Config{}, fastClock())
		var next atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			base := int(next.Add(1)) << 28
			for i := 0; pb.Next(); i++ {
				l.Allow(spreadAddr(base+i), "GET", "/")
			}
		})
	})
}

// heapInUse is the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// spray1M sends one request from each of a million addresses, each in its
// own /24 (so the per-network limit holds a million keys too), within one
// second, and returns the heap the limiter holds afterwards.
func spray1M(l *Limiter) (heapMB float64, keys int) {
	for i := range 1_000_000 {
		l.Allow(spreadAddr(i), "GET", "/")
	}
	for _, r := range l.rules {
		keys += r.table.len()
	}
	return float64(heapInUse()) / (1 << 20), keys
}

// BenchmarkHeap1MClients measures the heap after a million distinct client
// addresses, with the default MaxKeys and with MaxKeys large enough to hold
// them all. Run it with -benchtime=1x.
func BenchmarkHeap1MClients(b *testing.B) {
	for _, c := range []struct {
		name    string
		maxKeys int
	}{{"maxKeys=default", 0}, {"maxKeys=1Mi", 1 << 20}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				base := heapInUse()
				l := benchLimiter(b, Config{MaxKeys: c.maxKeys}, fastClock())
				mb, keys := spray1M(l)
				b.ReportMetric(mb-float64(base)/(1<<20), "heap-MB")
				b.ReportMetric(float64(keys), "keys")
				runtime.KeepAlive(l)
			}
		})
	}
}

// TestHeapBounded1M checks the bound: a million distinct client
// addresses take at most 100 MB of heap with the default configuration.
func TestHeapBounded1M(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap, which -race inflates: make test-go runs it without -race and -short")
	}
	base := heapInUse()
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{}, clk.now)
	mb, keys := spray1M(l)
	used := mb - float64(base)/(1<<20)
	t.Logf("1M distinct addresses: %.1f MB of heap, %d keys held", used, keys)
	if used > 100 {
		t.Errorf("1M distinct addresses took %.1f MB of heap, want at most 100", used)
	}
	for _, r := range l.rules {
		if n := r.table.len(); n > defaultMaxKeys {
			t.Errorf("%s holds %d keys, more than MaxKeys %d", r.name, n, defaultMaxKeys)
		}
	}
	runtime.KeepAlive(l)
}

// BenchmarkAllowRedis is the check of one request with the default limits
// (per IP and per network) shared through a local redis-server, next to
// the same check counted locally and one PING (the scale of a loopback
// round trip). "grouped" is the Limiter as it runs (group commit: a lone
// check goes at once, concurrent ones share one script run); "alone" sends each
// check in its own round trip, as before group commit. The parallel runs
// keep 16 requests in flight per -cpu (RunParallel with SetParallelism
// 16), as a gateway serving many connections does. trips/op is round trips
// to Redis per request; refused/op shows the allow path is measured. The
// flood runs send one client's requests past its limit: refused/op near
// 1, and through Redis refused from the local copy of its counts.
func BenchmarkAllowRedis(b *testing.B) {
	srv := testutil.StartRedis(b)
	for _, mode := range []string{"local", "grouped"} {
		b.Run(mode+"/flood", func(b *testing.B) {
			l, rt := benchRedisLimiter(b, srv, mode)
			l.clock = time.Now // the local run's fast clock would pay the debt off
			ip := spreadAddr(1 << 20)
			refused := 0
			b.ReportAllocs()
			for b.Loop() {
				if !l.Allow(ip, "GET", "/").Allowed {
					refused++
				}
			}
			reportRedis(b, l, rt, refused)
		})
	}
	for _, mode := range []string{"local", "alone", "grouped"} {
		b.Run(mode+"/sequential", func(b *testing.B) {
			l, rt := benchRedisLimiter(b, srv, mode)
			refused := 0
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if !l.Allow(spreadAddr(i%4096), "GET", "/").Allowed {
					refused++
				}
				i++
			}
			reportRedis(b, l, rt, refused)
		})
		b.Run(mode+"/parallel", func(b *testing.B) {
			l, rt := benchRedisLimiter(b, srv, mode)
			var next, refused atomic.Int64
			b.SetParallelism(16)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				base := int(next.Add(1)) << 12
				for i := 0; pb.Next(); i++ {
					if !l.Allow(spreadAddr(base+i%4096), "GET", "/").Allowed {
						refused.Add(1)
					}
				}
			})
			reportRedis(b, l, rt, int(refused.Load()))
		})
	}
	ping := func(b *testing.B, c *redis.Client) {
		if err := c.Ping(context.Background()).Err(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("ping/sequential", func(b *testing.B) {
		c := redisClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			ping(b, c)
		}
	})
	b.Run("ping/parallel", func(b *testing.B) {
		c := redisClient(b, srv)
		b.SetParallelism(16)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				ping(b, c)
			}
		})
	})
}

// benchRedisLimiter is a Limiter with the default limits: local, or shared
// through srv with each check alone or grouped, with its round trips
// counted.
func benchRedisLimiter(b *testing.B, srv *testutil.Redis, mode string) (*Limiter, *trips) {
	opts := Options{RedisTimeout: 10 * time.Second} // a loaded machine is not an outage here
	var rt *trips
	if mode == "local" {
		opts.Clock = fastClock()
	} else {
		opts.Redis, rt = countedClient(b, srv, nil)
		if err := opts.Redis.ConfigResetStat(context.Background()).Err(); err != nil {
			b.Fatal(err)
		}
	}
	l, err := New(Config{}, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	if mode == "alone" {
		l.shared.batch = nil
	}
	return l, rt
}

// scriptMicros reads the µs Redis spent running scripts since its stats
// were reset.
func scriptMicros(b *testing.B, c redis.UniversalClient) int {
	stats, err := c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(stats, "\n") {
		if !strings.HasPrefix(line, "cmdstat_eval:") && !strings.HasPrefix(line, "cmdstat_evalsha:") {
			continue
		}
		if i := strings.Index(line, ",usec="); i >= 0 {
			var us int
			if _, err := fmt.Sscanf(line[i:], ",usec=%d", &us); err == nil {
				n += us
			}
		}
	}
	return n
}

// reportRedis reports refused/op and, when shared, trips/op and
// redis-µs/op (the time Redis spent running the scripts per request).
func reportRedis(b *testing.B, l *Limiter, rt *trips, refused int) {
	b.ReportMetric(float64(refused)/float64(b.N), "refused/op")
	if rt == nil {
		return
	}
	b.ReportMetric(float64(rt.total())/float64(b.N), "trips/op")
	b.ReportMetric(float64(scriptMicros(b, l.shared.client))/float64(b.N), "redis-µs/op")
	if !l.shared.up.Load() {
		b.Fatal("Redis went down during the benchmark: the figure is of the local fallback")
	}
}
