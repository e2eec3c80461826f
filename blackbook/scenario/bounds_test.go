package scenario

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// addrN returns the n-th address of 10.0.0.0/8 (or of 2001:db8::/32 above
// 2^24).
func addrN(n int) netip.Addr {
	if n < 1<<24 {
		return netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), byte(n)})
	}
	var b [16]byte
	b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
	b[12], b[13], b[14], b[15] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return netip.AddrFrom16(b)
}

func TestBucketsBoundedUnderManyAddresses(t *testing.T) {
	n, max := 1_000_000, 50_000
	if testing.Short() {
		n, max = 100_000, 10_000
	}
	c := newClock()
	var b banner
	e := newEngine(t, Config{MaxBuckets: max}, Options{Banner: &b, Clock: c.now})

	// A slow brute force in progress: its login-ip-slow bucket is half full.
	slow := "198.51.100.23"
	for range 25 {
		e.Handle(loginFailure(slow, "admin"))
	}

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ev := access("10.0.0.1", "/wp-login.php", 404)
	for i := range n {
		ev.SourceIP = addrN(i)
		e.Handle(ev)
		if i%1000 == 0 {
			c.add(time.Millisecond) // a flood: all within about 1s
			if got := e.Stats().Buckets; got > max {
				t.Fatalf("after %d addresses: %d buckets, want at most %d", i, got, max)
			}
		}
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	s := e.Stats()
	if s.Buckets > max || s.Evicted == 0 {
		t.Errorf("stats = %+v, want at most %d buckets and some evicted", s, max)
	}
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d addresses: %d buckets, %d evicted, heap grew %d KiB (%d B per bucket)", n, s.Buckets, s.Evicted, grown>>10, grown/int64(max))
	if perBucket := grown / int64(max); perBucket > 1024 {
		t.Errorf("heap grew %d B per bucket, want under 1 KiB", perBucket)
	}

	// The slow attack's bucket outlived the flood (fuller buckets are kept):
	// its remaining failures still bring a decision.
	for range 30 {
		e.Handle(loginFailure(slow, "admin"))
	}
	if got := by(b.decisions(), LoginIPSlow); len(got) != 1 {
		t.Errorf("slow brute force after the flood: %d login-ip-slow decisions, want 1", len(got))
	}
}

func TestDrainedBucketsDroppedFirst(t *testing.T) {
	c := newClock()
	var b banner
	e := newEngine(t, Config{MaxBuckets: 100}, Options{Banner: &b, Clock: c.now})
	ev := event.Event{Category: event.CategoryWeb, Type: "access", Status: 404, Path: "/x"}
	for i := range 100 {
		ev.SourceIP = addrN(i)
		e.Handle(ev)
	}
	c.add(time.Minute) // all drained (probing leaks a unit in 3s)
	for i := 100; i < 150; i++ {
		ev.SourceIP = addrN(i)
		e.Handle(ev)
	}
	if s := e.Stats(); s.Evicted != 0 || s.Buckets != 50 {
		t.Errorf("stats = %+v, want 50 buckets and none evicted (drained ones make room)", s)
	}
}
