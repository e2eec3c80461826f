package blackbook

import (
	"net/netip"
	"testing"
	"time"
)

func TestIndexCoverAndLayers(t *testing.T) {
	x := newIndex()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	wide := Ban{ID: "wide", Target: mustTarget(t, "10.0.0.0/8"), Expires: now.Add(time.Hour)}
	old := Ban{ID: "old", Target: mustTarget(t, "10.1.2.3"), Expires: now.Add(-time.Minute)} // expired
	x.put(wide)
	x.put(old)
	x.put(old) // again: counted once
	if b, ok := x.banned(ip("10.1.2.3"), clock); !ok || b.ID != "wide" {
		t.Errorf("banned(10.1.2.3) = %+v, %v; want the /8 under the expired address ban", b, ok)
	}
	if b, ok := x.banned(ip("10.255.0.1"), clock); !ok || b.ID != "wide" {
		t.Errorf("banned(10.255.0.1) = %+v, %v", b, ok)
	}
	x.setAllow([]netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")})
	if _, ok := x.banned(ip("10.9.1.1"), clock); ok {
		t.Error("an allowlisted address is banned by a wide ban")
	}
	x.remove(wide.Target, "other-id")
	if _, ok := x.get(wide.Target); !ok {
		t.Error("remove with another id removed the ban")
	}
	x.remove(wide.Target, "wide")
	x.remove(old.Target, "")
	for i, n := range x.cover4 {
		if n != 0 {
			t.Fatalf("cover4[%d] = %d after every ban was removed", i, n)
		}
	}
	if len(x.nets4) != 0 || len(x.all()) != 0 {
		t.Errorf("index not empty: %d sets, %d bans", len(x.nets4), len(x.all()))
	}
}
