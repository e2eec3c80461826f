package blackbook

import (
	"testing"
)

// go test -run '^$' -bench Banned -benchmem ./blackbook/
func BenchmarkBanned(b *testing.B) {
	k, _ := openBook(b, Config{}, Options{})
	loadBans(b, k, 10000, 100)
	a := ip("192.0.2.200")
	b.Run("sequential", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := k.Banned(a); ok {
				b.Fatal("banned")
			}
		}
	})
	// An address in a /16 that holds bans: every map is probed.
	near := ip("10.0.200.1")
	b.Run("sequential-near", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := k.Banned(near); ok {
				b.Fatal("banned")
			}
		}
	})
	b.Run("ipv6", func(b *testing.B) {
		a6 := ip("2001:db8:ff::1")
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := k.Banned(a6); ok {
				b.Fatal("banned")
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, ok := k.Banned(a); ok {
					b.Fatal("banned")
				}
			}
		})
	})
}

func BenchmarkBannedHit(b *testing.B) {
	k, _ := openBook(b, Config{}, Options{})
	loadBans(b, k, 10000, 100)
	for name, s := range map[string]string{"ip": "10.0.3.7", "cidr": "172.20.1.1"} {
		a := ip(s)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := k.Banned(a); !ok {
					b.Fatal("not banned")
				}
			}
		})
	}
	b.Run("parallel", func(b *testing.B) {
		a := ip("10.0.3.7")
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, ok := k.Banned(a); !ok {
					b.Fatal("not banned")
				}
			}
		})
	})
}
