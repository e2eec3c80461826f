package fleet

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// follower runs a Stream and collects what it delivers.
type follower struct {
	st      *Stream
	mu      sync.Mutex
	got     []Entry
	last    string
	batches []int
	log     *testutil.SyncBuffer
}

func runStream(t *testing.T, sh *Shared, o StreamOptions) *follower {
	t.Helper()
	f := &follower{log: &testutil.SyncBuffer{}}
	o.Logger = slog.New(slog.NewTextHandler(f.log, nil))
	f.st = sh.NewStream(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.st.Run(ctx, "", func(_ context.Context, es []Entry, last string) error {
			f.mu.Lock()
			f.got = append(f.got, es...)
			f.last = last
			f.batches = append(f.batches, len(es))
			f.mu.Unlock()
			return nil
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return f
}

func (f *follower) events() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, e := range f.got {
		if e.Event != nil {
			ids = append(ids, e.Gateway+"/"+e.Event.ID)
		}
	}
	return ids
}

func ecs(t *testing.T, id string) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(event.Event{ID: id, Time: time.Now(), Kind: event.KindAlert, Category: event.CategoryMalicious,
		Action: "sqli", Path: "/search"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each gateway reads the others' events and samples, in order, never its
// own, whatever the names.
func TestStreamMirrorsOthersNeverOwn(t *testing.T) {
	srv := testutil.StartRedis(t)
	sh := newShared(t, srv.Addr())
	a := runStream(t, sh, StreamOptions{Name: "gw", Instance: "a"})
	b := runStream(t, sh, StreamOptions{Name: "gw", Instance: "b"}) // the same name: told apart by instance
	for i := range 5 {
		a.st.AddEvent(ecs(t, fmt.Sprintf("a%d", i)))
		b.st.AddEvent(ecs(t, fmt.Sprintf("b%d", i)))
	}
	a.st.AddTraffic(Traffic{Time: time.Now(), Requests: 7, Banned: 2})
	testutil.Eventually(t, "each follower has the other's 5 events", func() bool {
		return len(a.events()) == 5 && len(b.events()) == 5
	})
	for i, id := range a.events() {
		if want := fmt.Sprintf("gw/b%d", i); id != want {
			t.Errorf("a's event %d = %s, want %s (b's, in order)", i, id, want)
		}
	}
	for i, id := range b.events() {
		if want := fmt.Sprintf("gw/a%d", i); id != want {
			t.Errorf("b's event %d = %s, want %s (a's, in order)", i, id, want)
		}
	}
	testutil.Eventually(t, "b has a's traffic sample", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.got {
			if e.Traffic != nil && e.Traffic.Requests == 7 && e.Traffic.Banned == 2 {
				return true
			}
		}
		return false
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, e := range a.got {
		if e.Traffic != nil {
			t.Errorf("a read back its own traffic sample %+v", *e.Traffic)
		}
	}
}

// The stream stays within its cap however much is appended, and one read
// delivers at most Batch entries.
func TestStreamIsCappedAndReadInBatches(t *testing.T) {
	srv := testutil.StartRedis(t)
	sh := newShared(t, srv.Addr())
	const maxLen, n = 200, 2000
	a := runStream(t, sh, StreamOptions{Name: "a", Instance: "a", MaxLen: maxLen})
	b := runStream(t, sh, StreamOptions{Name: "b", Instance: "b", MaxLen: maxLen, Batch: 50})
	for i := range n {
		a.st.AddEvent(ecs(t, strconv.Itoa(i)))
	}
	testutil.Eventually(t, "every event appended", func() bool {
		a.st.mu.Lock()
		defer a.st.mu.Unlock()
		return len(a.st.outbox) == 0
	})
	c := sh.Client()
	node, err := c.ConfigGet(t.Context(), "stream-node-max-entries").Result()
	if err != nil {
		t.Fatal(err)
	}
	slack, _ := strconv.Atoi(node["stream-node-max-entries"]) // MAXLEN ~ trims whole nodes
	if l := c.XLen(t.Context(), sh.Key("view", "events")).Val(); l < maxLen || l > int64(maxLen+slack) {
		t.Errorf("after %d events the stream holds %d; want %d to %d (the cap, and at most one node over)", n, l, maxLen, maxLen+slack)
	}
	testutil.Eventually(t, "b has read to the stream's end", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.got) > 0 && b.got[len(b.got)-1].Event.ID == strconv.Itoa(n-1)
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, k := range b.batches {
		if k > 50 {
			t.Errorf("read %d delivered %d entries, want at most the batch of 50", i, k)
		}
	}
}

// A malformed entry written by hand is skipped with a log naming it; the
// follower goes on past it.
func TestStreamSkipsMalformedEntries(t *testing.T) {
	srv := testutil.StartRedis(t)
	sh := newShared(t, srv.Addr())
	b := runStream(t, sh, StreamOptions{Name: "b", Instance: "b"})
	c, key := sh.Client(), sh.Key("view", "events")
	good, _ := json.Marshal(event.Event{ID: "good", Time: time.Now(), Kind: event.KindEvent})
	bad := []map[string]any{
		{"junk": "x"},
		{"g": "a", "i": "a"},
		{"g": "a", "i": "a", "e": "{not json"},
		{"g": "a", "i": "a", "e": `{"event":{"id":""}}`},
		{"g": "a", "i": "a", "e": string(good), "s": `{"t":"2026-01-01T00:00:00Z"}`},
		{"g": "", "i": "a", "e": string(good)},
		{"g": "a", "i": "a", "s": `{"r":-1}`},
		{"g": "a", "i": "a", "e": `{"@timestamp":"2026-01-01T00:00:00Z","event":{"id":"x"},"source":{"ip":"not an ip"}}`},
	}
	var ids []string
	for _, v := range bad {
		id, err := c.XAdd(t.Context(), &redis.XAddArgs{Stream: key, Values: v}).Result()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	c.XAdd(t.Context(), &redis.XAddArgs{Stream: key, Values: []any{"g", "a", "i", "a", "e", string(good)}})
	testutil.Eventually(t, "the good event after the bad ones arrives", func() bool { return len(b.events()) == 1 })
	if got := b.events(); got[0] != "a/good" {
		t.Errorf("delivered %v, want only a/good", got)
	}
	for _, id := range ids {
		if b.log.Count("id="+id) != 1 {
			t.Errorf("the malformed entry %s was not logged once:\n%s", id, b.log)
		}
	}
}

// While Redis is away a gateway keeps its entries; when Redis returns
// (empty, restarted) they are appended and the others read them.
func TestStreamCatchesUpAfterAnOutage(t *testing.T) {
	srv := testutil.StartRedis(t)
	sh := newShared(t, srv.Addr())
	a := runStream(t, sh, StreamOptions{Name: "a", Instance: "a"})
	b := runStream(t, sh, StreamOptions{Name: "b", Instance: "b"})
	a.st.AddEvent(ecs(t, "before"))
	testutil.Eventually(t, "b reads a's first event", func() bool { return len(b.events()) == 1 })
	srv.Stop()
	a.st.AddEvent(ecs(t, "during1"))
	a.st.AddEvent(ecs(t, "during2"))
	time.Sleep(300 * time.Millisecond) // a fails to append at least once
	srv.Start(t)
	testutil.Eventually(t, "b reads what a kept during the outage", func() bool { return len(b.events()) == 3 })
	if got, want := fmt.Sprint(b.events()), "[a/before a/during1 a/during2]"; got != want {
		t.Errorf("b read %s, want %s (none twice, in order)", got, want)
	}
}

// FuzzDecodeEntry: whatever an entry holds, decoding returns an entry or
// an error, never panics, and an accepted event names its gateway.
func FuzzDecodeEntry(f *testing.F) {
	good, _ := json.Marshal(event.Event{ID: "x", Time: time.Unix(1, 0), Kind: event.KindEvent, Observer: "a"})
	f.Add("a", "i", string(good), "")
	f.Add("a", "i", "", `{"t":"2026-01-01T00:00:00Z","r":3,"b":1}`)
	f.Add("", "", "{", "}")
	f.Add("a", "me", string(good), "")
	st := &Stream{o: StreamOptions{Instance: "me"}}
	f.Fuzz(func(t *testing.T, g, i, e, s string) {
		v := map[string]any{}
		for k, x := range map[string]string{"g": g, "i": i, "e": e, "s": s} {
			if x != "" {
				v[k] = x
			}
		}
		en, own, err := st.decodeEntry(redis.XMessage{ID: "1-0", Values: v})
		if err != nil || own {
			return
		}
		if en.Gateway == "" || (en.Event == nil) == (en.Traffic == nil) {
			t.Errorf("accepted %+v: want a gateway and one of an event or a sample", en)
		}
		if en.Event != nil && en.Event.Observer == "" {
			t.Errorf("accepted an event naming no gateway: %+v", en.Event)
		}
	})
}

// BenchmarkStreamMirror: events appended by one gateway until another has
// read them all, through a real redis-server: the fleet view's throughput
// (events/s) and its cost on the appending side (ns/op of AddEvent).
func BenchmarkStreamMirror(b *testing.B) {
	srv := testutil.StartRedis(b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	sh := New(c, Options{Prefix: "bench"})
	b.Cleanup(func() { sh.Close(); c.Close() })
	var mu sync.Mutex
	got := 0
	all := make(chan struct{})
	run := func(o StreamOptions, deliver Deliver) *Stream {
		st := sh.NewStream(o)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); st.Run(ctx, "", deliver) }()
		b.Cleanup(func() { cancel(); <-done })
		return st
	}
	a := run(StreamOptions{Name: "a", Instance: "a", Outbox: b.N + 1}, func(context.Context, []Entry, string) error { return nil })
	run(StreamOptions{Name: "b", Instance: "b"}, func(_ context.Context, es []Entry, _ string) error {
		mu.Lock()
		got += len(es)
		if got == b.N {
			close(all)
		}
		mu.Unlock()
		return nil
	})
	ev, _ := json.Marshal(event.Event{ID: "0123456789ABCDEFGHIJKLMNOP", Time: time.Now(), Kind: event.KindAlert,
		Category: event.CategoryMalicious, Type: "denied", Action: "attack-blocked", Path: "/api/products", Method: "GET",
		Status: 403, RuleID: "bw-sqli-001", Labels: map[string]string{"class": "sqli"}})
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		a.AddEvent(ev)
	}
	added := time.Since(start)
	select {
	case <-all:
	case <-time.After(time.Minute):
		b.Fatalf("b read %d of %d events within a minute", got, b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	b.ReportMetric(float64(added.Nanoseconds())/float64(b.N), "ns-add/op")
}

// While Redis is away the outbox keeps the newest entries only, up to its
// bound, and says how many it dropped.
func TestStreamOutboxIsBounded(t *testing.T) {
	srv := testutil.StartRedis(t)
	sh := newShared(t, srv.Addr())
	srv.Stop()
	a := runStream(t, sh, StreamOptions{Name: "a", Instance: "a", Outbox: 10})
	for i := range 25 {
		a.st.AddEvent(ecs(t, strconv.Itoa(i)))
	}
	srv.Start(t)
	b := runStream(t, sh, StreamOptions{Name: "b", Instance: "b"})
	testutil.Eventually(t, "b reads what a kept", func() bool { return len(b.events()) == 10 })
	if got, want := b.events()[0], "a/15"; got != want {
		t.Errorf("the oldest kept = %s, want %s (the newest 10 of 25)", got, want)
	}
	testutil.Eventually(t, "a logs that it dropped 15", func() bool {
		n := 0
		for _, m := range regexp.MustCompile(`dropped=(\d+)`).FindAllStringSubmatch(a.log.String(), -1) {
			k, _ := strconv.Atoi(m[1])
			n += k
		}
		return n == 15
	})
}

// A gateway that stops appends what its outbox still holds: its last
// events reach the fleet.
func TestStreamAppendsItsOutboxWhenStopped(t *testing.T) {
	srv := testutil.StartRedis(t)
	sh := newShared(t, srv.Addr())
	st := sh.NewStream(StreamOptions{Name: "a", Instance: "a"})
	for i := range 3 {
		st.AddEvent(ecs(t, strconv.Itoa(i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stopped before it could push
	st.Run(ctx, "", func(context.Context, []Entry, string) error { return nil })
	if n := sh.Client().XLen(t.Context(), st.Key()).Val(); n != 3 {
		t.Errorf("after stopping, the stream holds %d entries, want the 3 the outbox held", n)
	}
}
