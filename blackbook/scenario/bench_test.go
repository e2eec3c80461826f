package scenario

import (
	"fmt"
	"testing"

	"github.com/bulwark-sec/bulwark/event"
)

// BenchmarkHandle feeds a mix like a busy gateway's under attack: 404s from
// many addresses, blocked attacks, failed logins and events no scenario
// wants, with the clock advancing 1ms per event.
func BenchmarkHandle(b *testing.B) {
	const addrs = 4096
	mix := make([]event.Event, 0, 4*addrs)
	for i := range addrs {
		a := addrN(i).String()
		mix = append(mix,
			access(a, fmt.Sprintf("/p%d", i%97), 404),
			attack(a, "/search", "sqli", "bw-sqli-001", true),
			loginFailure(a, fmt.Sprintf("user%d", i%61)),
			event.Event{Category: event.CategoryProcess, Action: "app-started"},
		)
	}
	c := newClock()
	e := newEngine(b, Config{Simulate: true}, Options{Clock: c.now, Publish: func(event.Event) {}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.add(1e6)
		e.Handle(mix[i%len(mix)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkHandleUnmatched is the cost for events no scenario selects.
func BenchmarkHandleUnmatched(b *testing.B) {
	e := newEngine(b, Config{Simulate: true}, Options{})
	ev := event.Event{Category: event.CategoryWeb, Type: "access", Status: 200, Path: "/", SourceIP: ip("192.0.2.1")}
	b.ReportAllocs()
	for b.Loop() {
		e.Handle(ev)
	}
}
