package scenario

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// BenchmarkSharedVsLocal is the cost of one failed login (it pours into
// the five login scenarios) counted in memory, counted through a real
// Redis on loopback, and, for scale, one PING round trip to that Redis.
// local and shared handle lone events, one at a time as the bus passes
// them when it is idle, each from another address (a spray);
// burst-local and burst-shared drain a full queue of the same, MaxBatch
// events a call; attack-local and attack-shared drain a queue of events
// from 16 addresses taking turns on 4 users. The shared runs also report redis-µs/op, the
// time Redis spent running the scripts (INFO commandstats) apart from the
// round trip, and runs/op, the script runs per event.
func BenchmarkSharedVsLocal(b *testing.B) {
	srv := testutil.StartRedis(b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true})
	defer c.Close()
	// spray: every event from another address; attack: 16 addresses
	// taking turns on 4 users, as a small botnet stuffing credentials.
	evs := make([]event.Event, 4096)
	attack := make([]event.Event, 4096)
	for i := range evs {
		evs[i] = loginFailure(addrN(i).String(), fmt.Sprintf("user%d", i%61))
		attack[i] = loginFailure(addrN(i%16).String(), fmt.Sprintf("user%d", i%4))
	}
	run := func(b *testing.B, o Options) {
		clk := newClock()
		o.Clock = clk.now
		e := newEngine(b, Config{Simulate: true}, o)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			clk.add(time.Millisecond)
			e.Handle(evs[i%len(evs)])
		}
	}
	// drain is the engine draining a queue that never empties (the bus
	// hands it MaxBatch events at a time): b.N events, so ns/op is the
	// cost of one event and 1e9/(ns/op) the events per second one engine
	// keeps up with.
	drain := func(b *testing.B, o Options, evs []event.Event) {
		clk := newClock()
		o.Clock = clk.now
		e := newEngine(b, Config{Simulate: true}, o)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i += MaxBatch {
			clk.add(time.Millisecond)
			j := i % len(evs)
			e.HandleBatch(evs[j:min(j+MaxBatch, j+b.N-i, len(evs))])
		}
	}
	burst := func(evs []event.Event) func(b *testing.B, o Options) {
		return func(b *testing.B, o Options) { drain(b, o, evs) }
	}
	shared := func(run func(*testing.B, Options)) func(*testing.B) {
		return func(b *testing.B) {
			f := fleet.New(c, fleet.Options{Logger: quiet(), Timeout: time.Second})
			defer f.Close()
			if err := c.FlushAll(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
			if err := c.ConfigResetStat(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
			run(b, Options{Fleet: f})
			b.StopTimer()
			stats, err := c.Info(context.Background(), "commandstats").Result()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(scriptMicros(stats))/float64(b.N), "redis-µs/op")
			b.ReportMetric(float64(scriptRuns(stats))/float64(b.N), "runs/op")
			if !f.Up() {
				b.Fatal("redis went down during the benchmark: the figures are local ones")
			}
		}
	}
	b.Run("local", func(b *testing.B) { run(b, Options{}) })
	b.Run("shared", shared(run))
	b.Run("burst-local", func(b *testing.B) { burst(evs)(b, Options{}) })
	b.Run("burst-shared", shared(burst(evs)))
	b.Run("attack-local", func(b *testing.B) { burst(attack)(b, Options{}) })
	b.Run("attack-shared", shared(burst(attack)))
	b.Run("ping", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := c.Ping(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// scriptMicros sums the µs Redis spent in EVAL and EVALSHA, from INFO
// commandstats.
func scriptMicros(stats string) int {
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
