package ship

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// discardSink takes every batch at once.
type discardSink struct{}

func (discardSink) Send(context.Context, []Record) error { return nil }
func (discardSink) Close() error                         { return nil }

// BenchmarkHandle measures the event path: filter, encode once, append to
// each sink's spool (group commit and delivery run alongside).
func BenchmarkHandle(b *testing.B) {
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("sinks=%d", n), func(b *testing.B) {
			cfg := Config{}
			sinks := map[string]Sink{}
			for i := range n {
				name := fmt.Sprintf("s%d", i)
				cfg.Sinks = append(cfg.Sinks, SinkConfig{Name: name, Type: TypeStdout})
				sinks[name] = discardSink{}
			}
			s, err := New(cfg, Options{Dir: b.TempDir(), Sinks: sinks})
			if err != nil {
				b.Fatal(err)
			}
			e := testEvent(1)
			b.ReportAllocs()
			for b.Loop() {
				s.Handle(e)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.StopTimer()
			s.Close(context.Background())
		})
	}
}

// BenchmarkDeliveryJSONLines measures events/s from Handle to a loopback
// json_lines receiver that decodes every line.
func BenchmarkDeliveryJSONLines(b *testing.B) {
	recv := newLinesReceiver(b, nil)
	s, err := New(Config{Sinks: []SinkConfig{{Name: "ls", Type: TypeLogstashTCP, Address: recv.addr}}}, Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Handle(testEvent(i))
		i++
	}
	testutil.Eventually(b, "delivery", func() bool { return len(recv.ids()) >= i })
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRequestLatency serves requests that each publish an event,
// with no sink, and with a shipper whose sink is down while 50,000 other
// events a second go through the bus into its spool.
func BenchmarkRequestLatency(b *testing.B) {
	for _, mode := range []string{"no-sink", "saturated-sink"} {
		b.Run(mode, func(b *testing.B) {
			bus := event.NewBus(nil)
			var s *Shipper
			stopFlood := make(chan struct{})
			var flood sync.WaitGroup
			if mode == "saturated-sink" {
				var err error
				s, err = New(Config{Sinks: []SinkConfig{{Name: "down", Type: TypeStdout, Retry: RetryConfig{Initial: time.Second}}}},
					Options{Dir: b.TempDir(), Sinks: map[string]Sink{"down": &downSink{err: errors.New("down")}}})
				if err != nil {
					b.Fatal(err)
				}
				bus.Subscribe("ship", 0, s.Handle)
				flood.Go(func() { // 50,000 events/s: 50 a millisecond
					e := testEvent(2)
					tick := time.NewTicker(time.Millisecond)
					defer tick.Stop()
					for {
						select {
						case <-stopFlood:
							return
						case <-tick.C:
							for range 50 {
								bus.Publish(e)
							}
						}
					}
				})
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				bus.Publish(event.Event{Category: event.CategoryWeb, Action: "request", Path: r.URL.Path})
				io.WriteString(w, "ok")
			}))
			client := &http.Client{Timeout: 10 * time.Second}
			var lat []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				resp, err := client.Get(srv.URL + "/x")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			close(stopFlood)
			flood.Wait()
			srv.Close()
			bus.Close()
			if s != nil {
				st := s.Stats()[0]
				b.ReportMetric(float64(st.Spooled)/b.Elapsed().Seconds(), "spooled/s")
				s.Close(context.Background())
			}
		})
	}
}
