package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fleetOf returns n engines sharing one real Redis, all on clk.
func fleetOf(t *testing.T, n int, clk *clock, b Banner) ([]*Engine, *testutil.Redis) {
	t.Helper()
	srv := testutil.StartRedis(t)
	var es []*Engine
	for range n {
		c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1,
			DialTimeout: 200 * time.Millisecond})
		f := fleet.New(c, fleet.Options{Logger: quiet(), Timeout: time.Second})
		t.Cleanup(func() { f.Close(); c.Close() })
		es = append(es, newEngine(t, Config{}, Options{Banner: b, Clock: clk.now, Fleet: f}))
	}
	return es, srv
}

// Three engines fed round-robin decide once, on the tenth failure of the
// pair, as one engine would: not on the thirtieth.
func TestSharedBucketsTriggerAsOne(t *testing.T) {
	clk := newClock()
	var b banner
	es, _ := fleetOf(t, 3, clk, &b)
	for i := 1; i <= 9; i++ {
		es[i%3].Handle(loginFailure("203.0.113.9", "alice"))
		clk.add(time.Second)
	}
	if got := by(b.decisions(), LoginUserIP); len(got) != 0 {
		t.Fatalf("after 9 failures over 3 engines: %d decisions, want none", len(got))
	}
	es[1].Handle(loginFailure("203.0.113.9", "alice"))
	if got := by(b.decisions(), LoginUserIP); len(got) != 1 {
		t.Fatalf("after 10 failures over 3 engines: %d decisions, want 1", len(got))
	}
	for i := range 30 {
		es[i%3].Handle(loginFailure("203.0.113.9", "alice"))
	}
	if got := by(b.decisions(), LoginUserIP); len(got) != 1 {
		t.Errorf("30 more failures during the ban, on every engine: %d decisions, want still 1", len(got))
	}
	// Distinct values are shared too: 5 usernames from one address over
	// 3 engines make credential stuffing's count, not 5 per engine.
	for i := range 20 {
		es[i%3].Handle(loginFailure("198.51.100.7", fmt.Sprintf("user%d", i)))
	}
	if got := by(b.decisions(), CredentialStuffing); len(got) != 1 {
		t.Errorf("20 usernames from one address over 3 engines: %d credential-stuffing decisions, want 1", len(got))
	}
}

// With Redis gone each engine counts alone (nothing blocks), and what it
// counted is merged back when Redis returns.
func TestSharedBucketsFallBackAndMerge(t *testing.T) {
	clk := newClock()
	var b banner
	es, srv := fleetOf(t, 2, clk, &b)
	for range 4 {
		es[1].Handle(loginFailure("203.0.113.9", "alice"))
		es[0].Handle(loginFailure("203.0.113.9", "alice"))
	}
	srv.Stop()
	// 8 shared so far, engine 0's the last: it mirrors them and counts
	// the ninth alone.
	es[0].Handle(loginFailure("203.0.113.9", "alice"))
	if es[0].fleet.Up() {
		t.Fatal("the link stayed up with Redis stopped")
	}
	srv.Start(t)
	// Redis is back, empty: engine 0 merges its 9 before counting shared.
	deadline := time.Now().Add(15 * time.Second)
	for !es[0].fleet.Up() || !es[1].fleet.Up() {
		if time.Now().After(deadline) {
			t.Fatal("the engines did not go back to Redis within 15s")
		}
		es[1].Handle(loginFailure("192.0.2.1", "poke")) // takes engine 1's link down too
		time.Sleep(20 * time.Millisecond)
	}
	es[1].Handle(loginFailure("203.0.113.9", "alice"))
	if got := by(b.decisions(), LoginUserIP); len(got) != 1 {
		t.Fatalf("the tenth failure, after an outage and a merge: %d decisions, want 1", len(got))
	}
}

// A lone event costs one script run, however many scenarios it counts in
// (a failed login pours into five, a success resets one), and is sent at
// once: one round trip to Redis, not one per bucket.
func TestSharedOneScriptRunPerEvent(t *testing.T) {
	clk := newClock()
	var b banner
	es, srv := fleetOf(t, 1, clk, &b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer c.Close()
	ctx := t.Context()
	es[0].Handle(loginFailure("192.0.2.1", "warm")) // loads the script
	if err := c.ConfigResetStat(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		es[0].Handle(loginFailure("203.0.113.9", fmt.Sprintf("user%d", i)))
		clk.add(time.Second)
	}
	es[0].Handle(loginSuccess("203.0.113.9", "user5"))
	if got := runs(t, c); got != 7 {
		t.Errorf("7 lone events: %d script runs in Redis, want 7 (one per event)", got)
	}
	if !es[0].fleet.Up() {
		t.Fatal("the link went down: the events were counted locally")
	}
}

// A burst of K events queued on the bus behind a busy engine costs at most
// ceil(K/MaxBatch) script runs, and decides what one engine counting
// alone decides on the same events.
func TestSharedOneScriptRunPerBatch(t *testing.T) {
	clk := newClock()
	var shared banner
	es, srv := fleetOf(t, 1, clk, &shared)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer c.Close()
	es[0].Handle(loginFailure("192.0.2.1", "warm")) // loads the script
	if err := c.ConfigResetStat(t.Context()).Err(); err != nil {
		t.Fatal(err)
	}
	var burst []event.Event
	for i := range 2*MaxBatch + MaxBatch/3 {
		// 25 addresses guessing 2 passwords each for one user, then one
		// address trying 25 usernames, then guesses for one pair.
		switch {
		case i < 50:
			burst = append(burst, loginFailure(fmt.Sprintf("198.51.100.%d", i%25+1), "bob"))
		case i < 75:
			burst = append(burst, loginFailure("192.0.2.77", fmt.Sprintf("user%d", i)))
		default:
			burst = append(burst, loginFailure("203.0.113.9", "alice"))
		}
	}
	bus := event.NewBus(nil)
	entered, release := make(chan struct{}), make(chan struct{})
	bus.SubscribeBatch("scenarios", 0, MaxBatch, func(evs []event.Event) {
		if evs[0].Action == "gate" {
			close(entered)
			<-release
			evs = evs[1:]
		}
		es[0].HandleBatch(evs)
	})
	bus.Publish(event.Event{Action: "gate"})
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the engine's subscriber did not start within 5s")
	}
	for _, ev := range burst {
		bus.Publish(ev)
	}
	close(release)
	bus.Close()
	if got, most := runs(t, c), (len(burst)+MaxBatch-1)/MaxBatch; got > most {
		t.Errorf("a burst of %d queued events: %d script runs in Redis, want at most %d (one per batch of %d)", len(burst), got, most, MaxBatch)
	}
	if !es[0].fleet.Up() {
		t.Fatal("the link went down: the events were counted locally")
	}
	var alone banner
	local := newEngine(t, Config{}, Options{Banner: &alone, Clock: clk.now})
	local.HandleBatch(burst)
	for _, name := range []string{LoginUserIP, CredentialStuffing, LoginIP, LoginUserSlow} {
		got, want := by(shared.decisions(), name), by(alone.decisions(), name)
		if len(got) != len(want) || len(want) == 0 {
			t.Errorf("%s: %d decisions counting shared in batches, %d counting alone (want equal, not 0)", name, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Reason != want[i].Reason || !slices.Equal(got[i].Evidence, want[i].Evidence) {
				t.Errorf("%s: shared decision %q %q, alone %q %q: want the same count and evidence", name,
					got[i].Reason, got[i].Evidence, want[i].Reason, want[i].Evidence)
			}
		}
	}
}

// A batch pouring many events into one bucket reads and writes it once:
// a burst of MaxBatch failures for one pair from one address (five
// buckets, credential stuffing's with a value seen before) costs Redis
// five reads, not five per event, and still decides on the tenth.
func TestSharedBurstFromOneAttackerReadsEachBucketOnce(t *testing.T) {
	clk := newClock()
	var b banner
	es, srv := fleetOf(t, 1, clk, &b)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer c.Close()
	es[0].Handle(loginFailure("192.0.2.1", "warm")) // loads the script
	if err := c.ConfigResetStat(t.Context()).Err(); err != nil {
		t.Fatal(err)
	}
	burst := make([]event.Event, MaxBatch)
	for i := range burst {
		burst[i] = loginFailure("203.0.113.9", "alice")
	}
	es[0].HandleBatch(burst)
	stats, err := c.Info(t.Context(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	if got := commandCalls(stats, "hmget"); got != 5 {
		t.Errorf("a burst of %d events into 5 buckets: %d bucket reads in Redis, want 5", MaxBatch, got)
	}
	got := by(b.decisions(), LoginUserIP)
	if len(got) != 1 || !strings.HasPrefix(got[0].Reason, "10 ") {
		t.Errorf("the burst's login-user-ip decisions: %v, want one on the 10th failure", got)
	}
}

// commandCalls reads the calls of one command in INFO commandstats.
func commandCalls(stats, cmd string) int {
	for _, line := range strings.Split(stats, "\n") {
		if rest, ok := strings.CutPrefix(line, "cmdstat_"+cmd+":calls="); ok {
			n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
			return n
		}
	}
	return 0
}

// An event that fills a bucket is decided in the batch that carries it,
// and three engines fed batches round-robin decide at the count one
// engine does.
func TestSharedBatchesTriggerAsOne(t *testing.T) {
	clk := newClock()
	var b banner
	es, _ := fleetOf(t, 3, clk, &b)
	fail := loginFailure("203.0.113.9", "alice")
	for i := range 3 {
		es[i].HandleBatch([]event.Event{fail, fail, fail})
		clk.add(time.Second)
	}
	if got := by(b.decisions(), LoginUserIP); len(got) != 0 {
		t.Fatalf("after 9 failures in 3 batches over 3 engines: %d decisions, want none", len(got))
	}
	es[1].HandleBatch([]event.Event{fail, loginFailure("192.0.2.1", "carol"), fail})
	got := by(b.decisions(), LoginUserIP)
	if len(got) != 1 {
		t.Fatalf("a batch carrying the 10th failure: %d decisions when it returned, want 1", len(got))
	}
	if !strings.Contains(got[0].Reason, "10") {
		t.Errorf("decision reason %q, want it to count 10 failures", got[0].Reason)
	}
}

// A batch Redis does not answer is counted here, event by event, from
// where the fleet's count stood: the tenth failure, in a batch sent as
// Redis died, is still decided.
func TestSharedBatchFallsBackWhole(t *testing.T) {
	clk := newClock()
	var b banner
	es, srv := fleetOf(t, 2, clk, &b)
	fail := loginFailure("203.0.113.9", "alice")
	es[1].HandleBatch([]event.Event{fail, fail, fail, fail, fail, fail})
	es[0].HandleBatch([]event.Event{fail, fail})
	srv.Stop()
	es[0].HandleBatch([]event.Event{loginFailure("192.0.2.1", "carol"), fail, fail})
	if es[0].fleet.Up() {
		t.Fatal("the link stayed up with Redis stopped")
	}
	if got := by(b.decisions(), LoginUserIP); len(got) != 1 || !strings.HasPrefix(got[0].Reason, "10 ") {
		t.Errorf("the 10th failure of the pair, in a batch Redis did not take: decisions %v, want one on the 10th", got)
	}
}

// A bucket counting distinct values keeps at most MaxDistinct of them in
// Redis, however many an attacker sprays: memory stays bounded, and the
// count goes on.
func TestSharedDistinctValuesBounded(t *testing.T) {
	srv := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1})
	f := fleet.New(c, fleet.Options{Logger: quiet(), Timeout: time.Second})
	t.Cleanup(func() { f.Close(); c.Close() })
	clk := newClock()
	var b banner
	e := newEngine(t, Config{Scenarios: map[string]Override{CredentialStuffing: {Capacity: 1000, MaxDistinct: 5}}},
		Options{Banner: &b, Clock: clk.now, Fleet: f})
	var batch []event.Event
	for i := range 60 {
		ev := loginFailure("192.0.2.77", fmt.Sprintf("user%d", i))
		if i < 30 {
			e.Handle(ev)
		} else {
			batch = append(batch, ev)
		}
	}
	e.HandleBatch(batch)
	if !f.Up() {
		t.Fatal("the link went down: the values were counted locally")
	}
	var s *compiled
	for _, x := range e.scenarios {
		if x.Name == CredentialStuffing {
			s = x
		}
	}
	key := e.redisKey(s, bucketKey{scenario: s.index, ip: ip("192.0.2.77")})
	fields, err := c.HKeys(t.Context(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	values := 0
	for _, f := range fields {
		if strings.HasPrefix(f, "d:") {
			values++
		}
	}
	if values != 5 {
		t.Errorf("60 user names sprayed, maxDistinct 5: %d kept in Redis, want 5", values)
	}
	if n, err := c.HGet(t.Context(), key, "count").Int(); err != nil || n != 60 {
		t.Errorf("the bucket's count in Redis: %d (%v), want 60", n, err)
	}
}

// runs reads the script runs Redis counted since its stats were reset.
func runs(t *testing.T, c *redis.Client) int {
	t.Helper()
	stats, err := c.Info(t.Context(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	return scriptRuns(stats)
}

// scriptRuns sums the calls of EVAL and EVALSHA in INFO commandstats.
func scriptRuns(stats string) int {
	n := 0
	for _, line := range strings.Split(stats, "\n") {
		if strings.HasPrefix(line, "cmdstat_eval:") || strings.HasPrefix(line, "cmdstat_evalsha:") {
			var calls int
			if _, err := fmt.Sscanf(line[strings.Index(line, "calls="):], "calls=%d", &calls); err == nil {
				n += calls
			}
		}
	}
	return n
}
