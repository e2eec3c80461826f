package console

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoginLimiterCountsBeforeTheCheck(t *testing.T) {
	l := newLoginLimiter(5, time.Minute)
	now := time.Now()
	ip := netip.MustParseAddr("203.0.113.7")
	var passed atomic.Int32
	var wg sync.WaitGroup
	for range 50 { // a burst in parallel: each is counted as it is let through
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.attempt(ip, now) == 0 {
				passed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := passed.Load(); n != 5 {
		t.Errorf("a burst of 50 parallel attempts let %d through, want 5", n)
	}
	if l.attempt(ip, now.Add(time.Minute)) != 0 {
		t.Error("still refused after the window")
	}
}

func TestLoginLimiterIPv6ByNetwork(t *testing.T) {
	l := newLoginLimiter(5, time.Minute)
	now := time.Now()
	for i := range 5 {
		if l.attempt(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i + 1)}), now) != 0 {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if l.attempt(netip.MustParseAddr("2001:db8::ffff"), now) == 0 {
		t.Error("a sixth address of the same /64 was let through: one host owns a /64")
	}
	if l.attempt(netip.MustParseAddr("2001:db8:0:1::1"), now) != 0 {
		t.Error("another /64 was refused")
	}
}

// TestLoginLimiterFloodKeepsCounts: a table full of other clients makes
// room by dropping the oldest, not by forgetting everyone — the limited
// attacker among them included.
func TestLoginLimiterFloodKeepsCounts(t *testing.T) {
	l := newLoginLimiter(5, time.Minute)
	now := time.Now()
	for i := range maxTracked - 1 {
		l.attempt(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), now)
	}
	attacker := netip.MustParseAddr("203.0.113.7")
	later := now.Add(time.Second)
	for range 5 {
		l.attempt(attacker, later)
	}
	l.attempt(netip.MustParseAddr("198.51.100.1"), later) // the table is full: room is made
	if l.attempt(attacker, later) == 0 {
		t.Error("after the table filled up, the attacker's failures were forgotten")
	}
	if len(l.fails) > maxTracked {
		t.Errorf("tracks %d clients, want at most %d", len(l.fails), maxTracked)
	}
}
