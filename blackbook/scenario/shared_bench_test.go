package scenario

import (
	"context"
	"fmt"
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
func BenchmarkSharedVsLocal(b *testing.B) {
	srv := testutil.StartRedis(b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true})
	defer c.Close()
	evs := make([]event.Event, 4096)
	for i := range evs {
		evs[i] = loginFailure(addrN(i).String(), fmt.Sprintf("user%d", i%61))
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
	b.Run("local", func(b *testing.B) { run(b, Options{}) })
	b.Run("shared", func(b *testing.B) {
		f := fleet.New(c, fleet.Options{Logger: quiet(), Timeout: time.Second})
		defer f.Close()
		run(b, Options{Fleet: f})
		if !f.Up() {
			b.Fatal("redis went down during the benchmark: the figures are local ones")
		}
	})
	b.Run("ping", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := c.Ping(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
