package limit

import (
	"net/netip"
	"testing"
	"testing/synctest"
	"time"
)

// fakeClock is a settable clock for tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestLimiter(t testing.TB, cfg Config, clock func() time.Time) *Limiter {
	t.Helper()
	l, err := New(cfg, Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// onlyPerIP is a config with the per-IP limit alone.
func onlyPerIP(rate string, burst int) Config {
	r, err := ParseRate(rate)
	if err != nil {
		panic(err)
	}
	return Config{PerIP: Limit{Rate: r, Burst: burst}, PerNetwork: Network{Disable: true}}
}

var client = netip.MustParseAddr("192.0.2.10")

// TestGCRA walks one key through a burst, refusals and the steady rate,
// checking each decision and the exact retry-after.
func TestGCRA(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, onlyPerIP("10/s", 3), clk.now) // one request per 100ms, 3 at once
	steps := []struct {
		advance   time.Duration
		allowed   bool
		remaining int
		retry     time.Duration
	}{
		{0, true, 2, 0},
		{0, true, 1, 0},
		{0, true, 0, 0},
		{0, false, 0, 100 * time.Millisecond},
		{40 * time.Millisecond, false, 0, 60 * time.Millisecond},
		{60 * time.Millisecond, true, 0, 0}, // one interval later: exactly one more
		{0, false, 0, 100 * time.Millisecond},
		{100 * time.Millisecond, true, 0, 0}, // steady rate: one per 100ms
		{100 * time.Millisecond, true, 0, 0},
		{99 * time.Millisecond, false, 0, time.Millisecond},
		{time.Millisecond, true, 0, 0},
		{250 * time.Millisecond, true, 1, 0}, // idle 250ms earns back 2.5 requests
		{0, true, 0, 0},
		{0, false, 0, 50 * time.Millisecond},
		{time.Hour, true, 2, 0}, // long idle: a full burst again, never more
	}
	for i, s := range steps {
		clk.advance(s.advance)
		d := l.Allow(client, "GET", "/")
		if d.Allowed != s.allowed || d.RetryAfter != s.retry || (s.allowed && d.Remaining != s.remaining) {
			t.Fatalf("step %d (+%v): Allow = %+v; want allowed %v, remaining %d, retry %v", i, s.advance, d, s.allowed, s.remaining, s.retry)
		}
		if d.Limit != "perIP" || d.Key != netip.MustParsePrefix("192.0.2.10/32") {
			t.Fatalf("step %d: Limit %q, Key %v; want perIP, 192.0.2.10/32", i, d.Limit, d.Key)
		}
	}
}

// TestGCRASteadyRate checks that over a long run a client sending as fast
// as it may gets exactly burst + rate × time.
func TestGCRASteadyRate(t *testing.T) {
	tests := []struct {
		rate  string
		burst int
		every time.Duration
		for_  time.Duration
		want  int
	}{
		{"10/s", 5, time.Millisecond, 10 * time.Second, 5 + 100},
		{"600/m", 1, 10 * time.Millisecond, time.Minute, 1 + 600},
		{"3/s", 3, time.Millisecond, 3 * time.Second, 3 + 9},
		{"5/m", 5, time.Second, time.Hour, 5 + 300},
	}
	for _, tt := range tests {
		t.Run(tt.rate, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
			l := newTestLimiter(t, onlyPerIP(tt.rate, tt.burst), clk.now)
			got := 0
			for elapsed := time.Duration(0); elapsed <= tt.for_; elapsed += tt.every {
				if l.Allow(client, "GET", "/").Allowed {
					got++
				}
				clk.advance(tt.every)
			}
			if got != tt.want {
				t.Errorf("%s burst %d, a request every %v for %v: %d allowed, want %d", tt.rate, tt.burst, tt.every, tt.for_, got, tt.want)
			}
		})
	}
}

// TestSynctestRefill runs the limiter on the real clock inside a bubble,
// with the sweeper goroutine, and checks that time.Sleep refills the burst
// and that the sweeper forgets keys that owe nothing.
func TestSynctestRefill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, err := New(onlyPerIP("2/s", 2), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		for i := range 2 {
			if d := l.Allow(client, "GET", "/"); !d.Allowed {
				t.Fatalf("request %d refused: %+v", i, d)
			}
		}
		d := l.Allow(client, "GET", "/")
		if d.Allowed || d.RetryAfter != 500*time.Millisecond {
			t.Fatalf("third request: %+v, want refused with retry 500ms", d)
		}
		time.Sleep(d.RetryAfter)
		if d := l.Allow(client, "GET", "/"); !d.Allowed {
			t.Fatalf("after waiting RetryAfter: %+v, want allowed", d)
		}
		if n := l.rules[0].table.len(); n != 1 {
			t.Fatalf("%d keys held, want 1", n)
		}
		time.Sleep(sweepEvery + time.Second)
		synctest.Wait()
		if n := l.rules[0].table.len(); n != 0 {
			t.Errorf("%d keys held after a sweep, want 0: the key owed nothing", n)
		}
	})
}
