package console

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"
)

// BenchmarkHistory measures the pages' queries over a full history of
// 100,000 events (the default bound) from 5,000 addresses.
func BenchmarkHistory(b *testing.B) {
	ctx := context.Background()
	h, _ := newHistory(b)
	const n = 100000
	batch := make([]Stored, 0, 1000)
	for i := range n {
		e := attack(i%60, fmt.Sprintf("203.0.%d.%d", i%20, i%250+1), []string{"sqli", "xss", "traversal"}[i%3], "bw-sqli-001", "/search")
		e.Time = t0.Add(time.Duration(i) * time.Second)
		st, _ := storedOf(uint64(i+1), e)
		if batch = append(batch, st); len(batch) == cap(batch) {
			if err := h.Append(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	for _, q := range []string{"category=malicious&limit=200", "category=malicious&ip=203.0.7.8&limit=200"} {
		f, _ := parseFilter(mustQuery(q))
		b.Run("Events/"+q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Events(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	f, _ := parseFilter(mustQuery("category=malicious"))
	f.Limit = 0
	b.Run("Top", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.Top(ctx, f, 10); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Counts/24h", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.Counts(ctx, t0.Add(n*time.Second-24*time.Hour), 5*time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Append/256", func(b *testing.B) {
		b.ReportAllocs()
		seq := uint64(n)
		for b.Loop() {
			evs := make([]Stored, 256)
			for i := range evs {
				seq++
				evs[i], _ = storedOf(seq, attack(1, "198.51.100.1", "xss", "bw-xss-001", "/c"))
			}
			if err := h.Append(ctx, evs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mustQuery(s string) url.Values {
	q, err := url.ParseQuery(s)
	if err != nil {
		panic(err)
	}
	return q
}
