package ship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// A fullDiskCase makes the file system under a spool full and frees it.
type fullDiskCase struct {
	name string
	// setup returns the spool directory, options to add, and fill and
	// free; it skips the test where the case cannot be made.
	setup func(t *testing.T) (dir string, opts func(*Options), fill, free func())
	// exact: no event can be written during the outage, so the drops are
	// known to the event.
	exact bool
}

var fullDiskCases = []fullDiskCase{
	{name: "tmpfs", setup: func(t *testing.T) (string, func(*Options), func(), func()) {
		dir := t.TempDir()
		if !mountTmpfs(t, dir, "1m") {
			testutil.RealPartMissing(t, "cannot mount a tmpfs here (run as root, as CI does); the injected case covers the same in part")
		}
		filler := filepath.Join(dir, "filler")
		fill := func() {
			f, err := os.OpenFile(filler, os.O_WRONLY|os.O_CREATE, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			page := make([]byte, 4096)
			for {
				if _, err := f.Write(page); err != nil {
					if !errors.Is(err, syscall.ENOSPC) {
						t.Fatalf("filling the tmpfs: %v", err)
					}
					return
				}
			}
		}
		free := func() {
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
		}
		return dir, func(*Options) {}, fill, free
	}},
	{name: "injected", exact: true, setup: func(t *testing.T) (string, func(*Options), func(), func()) {
		d := &fullDisk{}
		return t.TempDir(), func(o *Options) { o.openFile = d.open },
			func() { d.full.Store(true) }, func() { d.full.Store(false) }
	}},
}

// TestShipperFullDiskHoldsBoundedAndDeliversOnce runs a shipper into a
// real TLS syslog receiver while the spool's disk is full for 2s: the
// trouble is logged once at its start and once at its end, at most
// spool.maxHeld events wait in memory, every other one is counted as
// dropped (stats, the Prometheus counter, the recovery log, one
// ship-dropped event), and once the disk has room every held event reaches
// the receiver exactly once, in order.
func TestShipperFullDiskHoldsBoundedAndDeliversOnce(t *testing.T) {
	for _, tc := range fullDiskCases {
		t.Run(tc.name, func(t *testing.T) { testFullDisk(t, tc) })
	}
}

func testFullDisk(t *testing.T, tc fullDiskCase) {
	const (
		maxHeld = 500
		before  = 200  // delivered before the outage
		during  = 1500 // handled during it: 15 every 20ms for 2s
		after   = 100  // handled once the spool writes again
		total   = before + during + after
	)
	dir, withOpts, fill, free := tc.setup(t)
	cert := testutil.SelfSignedTLS(t)
	recv := newSyslogReceiver(t, cert.Server, FramingOctet)
	var logs logBuffer
	reg := prometheus.NewRegistry()
	var mu sync.Mutex
	var published []event.Event
	opts := Options{
		Dir: dir, Registerer: reg,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Publish: func(e event.Event) {
			mu.Lock()
			defer mu.Unlock()
			published = append(published, e)
		},
	}
	withOpts(&opts)
	s, err := New(Config{Sinks: []SinkConfig{{
		Name: "papertrail", Type: TypeSyslog, Address: recv.addr,
		TLS:   &TLSConfig{CAFile: cert.CAFile, ServerName: "127.0.0.1"},
		Retry: RetryConfig{Initial: 5 * time.Millisecond, Max: 100 * time.Millisecond},
		Spool: SpoolConfig{Interval: 50 * time.Millisecond, MaxHeld: maxHeld},
	}}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	stats := func() SinkStats { return s.Stats()[0] }

	n := 0
	for ; n < before; n++ {
		s.Handle(testEvent(n))
	}
	testutil.Eventually(t, "the events before the outage to arrive", func() bool { return len(recv.ids()) >= before })

	fill()
	for range during / 15 {
		for range 15 {
			s.Handle(testEvent(n))
			n++
		}
		if h := stats().Held; h > maxHeld {
			t.Fatalf("%d events held in memory, bound %d", h, maxHeld)
		}
		time.Sleep(20 * time.Millisecond)
	}
	outage := stats()
	free()
	testutil.Eventually(t, "the spool to write again", func() bool { return len(logs.lines(logWritesAgain)) > 0 })
	for ; n < total; n++ {
		s.Handle(testEvent(n))
	}
	dropped := stats().Dropped
	testutil.Eventually(t, "the held events to arrive", func() bool { return uint64(len(recv.ids()))+dropped >= total })
	checkCounter(t, reg, "bulwark_ship_events_dropped_total", float64(dropped))
	checkCounter(t, reg, "bulwark_ship_spool_write_failures_total", float64(stats().WriteFailures))
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}

	st := stats()
	if st.Dropped != dropped || st.Dropped == 0 {
		t.Errorf("dropped %d after recovery, %d at the end; want the same, above 0", dropped, st.Dropped)
	}
	if tc.exact && st.Dropped != during-maxHeld {
		t.Errorf("dropped %d, want exactly %d (the outage's events beyond the %d held)", st.Dropped, during-maxHeld, maxHeld)
	}
	// Without backoff, a try every 50ms makes about 40.
	if outage.WriteFailures < 3 || outage.WriteFailures > 8 {
		t.Errorf("%d failed writes in a 2s outage, want 3 to 8 (backoff from 50ms)", outage.WriteFailures)
	}

	got := recv.ids()
	if uint64(len(got))+st.Dropped != total {
		t.Errorf("%d events arrived and %d were counted as dropped, of %d", len(got), st.Dropped, total)
	}
	if u := uniqueInOrder(got); len(u) != len(got) {
		t.Errorf("%d events arrived more than once", len(got)-len(u))
	}
	if !slices.IsSorted(got) {
		t.Errorf("events arrived out of order")
	}
	if tc.exact {
		var want []string
		for i := range before + maxHeld {
			want = append(want, eventID(i))
		}
		for i := before + during; i < total; i++ {
			want = append(want, eventID(i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("arrived %d events, want the first %d and the last %d: the held ones kept, the newer dropped", len(got), before+maxHeld, after)
		}
	}

	for msg, want := range map[string]int{logCannotWrite: 1, logDropping: 1, logWritesAgain: 1} {
		if n := len(logs.lines(msg)); n != want {
			t.Errorf("%q logged %d times, want %d:\n%s", msg, n, want, logs.String())
		}
	}
	if len(logs.lines(logWritesAgain, fmt.Sprintf("dropped=%d", st.Dropped))) != 1 {
		t.Errorf("the recovery log does not give dropped=%d:\n%s", st.Dropped, logs.lines(logWritesAgain))
	}
	mu.Lock()
	var reports int
	for _, e := range published {
		if e.Action == "ship-dropped" && e.Labels["reason"] == "held" {
			reports++
		}
	}
	mu.Unlock()
	if reports != 1 {
		t.Errorf("%d ship-dropped events for the held bound, want 1", reports)
	}
	t.Logf("%d arrived, %d dropped, %d failed writes; outage stats %+v", len(got), st.Dropped, st.WriteFailures, outage)
}

// checkCounter fails unless reg has the metric with value want.
func checkCounter(t *testing.T, reg *prometheus.Registry, name string, want float64) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			if got := mf.GetMetric()[0].GetCounter().GetValue(); got != want {
				t.Errorf("%s = %v, want %v", name, got, want)
			}
			return
		}
	}
	t.Errorf("%s not registered", name)
}
