package ship

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestFaultReceiverDownAndRestart sends 10,000 events to a TLS syslog
// receiver that goes down for part of the run, while the shipper is closed
// and reopened once on the same spool: after de-duplication by event id
// every event has arrived, once, in the order sent, and none was dropped.
func TestFaultReceiverDownAndRestart(t *testing.T) {
	const total = 10_000
	cert := testutil.SelfSignedTLS(t)
	srvTLS, caFile := cert.Server, cert.CAFile
	recv := newSyslogReceiver(t, srvTLS, FramingOctet)
	cfg := Config{Sinks: []SinkConfig{{
		Name: "papertrail", Type: TypeSyslog, Address: recv.addr,
		TLS:   &TLSConfig{CAFile: caFile, ServerName: "127.0.0.1"},
		Retry: RetryConfig{Initial: 5 * time.Millisecond, Max: 100 * time.Millisecond},
		Spool: SpoolConfig{Interval: 5 * time.Millisecond},
	}}}
	dir := t.TempDir()
	open := func() *Shipper {
		s, err := New(cfg, Options{Dir: dir, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	closeShipper := func(s *Shipper) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		for _, st := range s.Stats() {
			if st.Dropped != 0 {
				t.Errorf("sink %s dropped %d events", st.Name, st.Dropped)
			}
		}
	}
	want := make([]string, total)
	for i := range want {
		want[i] = eventID(i)
	}

	s := open()
	for i := range 2500 {
		s.Handle(testEvent(i))
	}
	testutil.Eventually(t, "the first events to arrive", func() bool { return len(recv.ids()) > 1000 })
	recv.stop() // down, with events still in flight
	for i := 2500; i < 5000; i++ {
		s.Handle(testEvent(i))
	}
	closeShipper(s) // the gateway restarts while the receiver is down
	s = open()
	for i := 5000; i < 7500; i++ {
		s.Handle(testEvent(i))
	}
	recv.start() // back up
	for i := 7500; i < total; i++ {
		s.Handle(testEvent(i))
	}
	testutil.Eventually(t, "all events to arrive", func() bool { return len(uniqueInOrder(recv.ids())) >= total })
	closeShipper(s)

	got := recv.ids()
	if diff := cmp.Diff(want, uniqueInOrder(got)); diff != "" {
		t.Errorf("events after de-duplication (-want +got):\n%s", diff)
	}
	if _, errs := recv.messages(); len(errs) > 0 {
		t.Errorf("%d messages did not parse as RFC 5424, first: %v", len(errs), errs[0])
	}
	t.Logf("%d messages for %d events (%d repeats, dropped by id)", len(got), total, len(got)-total)
}
