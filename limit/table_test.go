package limit

import (
	"encoding/binary"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// sprayAddr is the i-th address of a spray over 10.0.0.0/8 and beyond.
func sprayAddr(i int) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], 0x0a000000+uint32(i))
	return netip.AddrFrom4(b)
}

// TestEvictionBoundsKeys sprays distinct addresses and checks that no limit
// ever holds more than MaxKeys keys, and that a client being refused stays
// refused through the spray: eviction forgives those who owe least.
func TestEvictionBoundsKeys(t *testing.T) {
	const maxKeys, spray = 4096, 200_000
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{
		PerIP:      Limit{Rate: mustRate("1/m"), Burst: 3},
		PerNetwork: Network{Rate: mustRate("100000/s"), Burst: 100000, IPv4Prefix: 32},
		MaxKeys:    maxKeys,
	}, clk.now)
	abuser := netip.MustParseAddr("203.0.113.66")
	drain(l, abuser, "GET", "/", 10)
	for i := range spray {
		if d := l.Allow(sprayAddr(i), "GET", "/"); !d.Allowed {
			t.Fatalf("spray request %d from a new address refused: %+v", i, d)
		}
		clk.advance(time.Microsecond)
		if i%1000 == 0 {
			for _, r := range l.rules {
				if n := r.table.len(); n > maxKeys {
					t.Fatalf("after %d addresses, %s holds %d keys, more than MaxKeys %d", i, r.name, n, maxKeys)
				}
			}
			if d := l.Allow(abuser, "GET", "/"); d.Allowed {
				t.Fatalf("after %d sprayed addresses the refused client was forgiven", i)
			}
		}
	}
	for _, r := range l.rules {
		if n := r.table.len(); n > maxKeys || n < maxKeys/2 {
			t.Errorf("%s holds %d keys after the spray, want between %d and %d", r.name, n, maxKeys/2, maxKeys)
		}
	}
}

// TestSweepShrinks checks that a sweep after a spray gives the maps'
// memory back.
func TestSweepShrinks(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap, which -race inflates: make test-go runs it without -race and -short")
	}
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{PerNetwork: Network{Disable: true}}, clk.now)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	before := heap()
	for i := range 200_000 {
		l.Allow(sprayAddr(i), "GET", "/")
	}
	during := heap()
	clk.advance(time.Minute)
	l.rules[0].table.sweep(clk.now().UnixNano())
	after := heap()
	t.Logf("heap in use: %d MB before, %d MB with 200k keys, %d MB after the sweep", before>>20, during>>20, after>>20)
	if n := l.rules[0].table.len(); n != 0 {
		t.Errorf("%d keys after the sweep, want 0", n)
	}
	if after > before+(during-before)/4 {
		t.Errorf("heap %d bytes after the sweep, %d before the spray and %d during: maps were not rebuilt", after, before, during)
	}
}
