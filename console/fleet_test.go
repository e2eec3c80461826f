package console

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// fleetConsole opens a console on the store at path and joins it to the
// fleet on the Redis at addr as name.
func fleetConsole(t *testing.T, path, addr, name string) *Console {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Migrations{"console": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	sh := fleet.New(rc, fleet.Options{Prefix: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	c, err := New(ctx, Config{}, Options{DB: db, Bus: event.NewBus(nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.JoinFleet(ctx, sh, FleetOptions{Name: name}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); sh.Close(); rc.Close(); db.Close() })
	return c
}

// listed reads GET /v1/events and returns each event as "gateway/id".
func listed(t *testing.T, c *Console) []string {
	t.Helper()
	var out struct{ Events []json.RawMessage }
	getJSON(t, c.Recorder().Handler(), "/v1/events?limit=1000", &out)
	var got []string
	for _, j := range out.Events {
		var e event.Event
		if err := json.Unmarshal(j, &e); err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Observer+"/"+e.ID)
	}
	sort.Strings(got)
	return got
}

func fleetEvent(id string) event.Event {
	return event.Event{ID: id, Time: time.Now(), Kind: event.KindAlert, Category: event.CategoryMalicious,
		Type: "denied", Action: "attack-blocked", Path: "/search", Labels: map[string]string{"class": "sqli"}}
}

// Two gateways' consoles list both gateways' events, each named by its
// gateway, none twice, live streams included; a console restarted goes on
// where it was in the stream.
func TestJoinFleetShowsEveryGatewaysEvents(t *testing.T) {
	srv := testutil.StartRedis(t)
	pathA := filepath.Join(t.TempDir(), "a.db")
	a := fleetConsole(t, pathA, srv.Addr(), "gw-a")
	b := fleetConsole(t, filepath.Join(t.TempDir(), "b.db"), srv.Addr(), "gw-b")

	live := httptest.NewServer(a.Recorder().Handler())
	defer live.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", live.URL+"/v1/events/stream", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	br.ReadString('\n')
	br.ReadString('\n')
	waitWatchers(t, a.Recorder(), 1)

	a.Recorder().Record(fleetEvent("a1"))
	b.Recorder().Record(fleetEvent("b1"))
	b.Recorder().Record(fleetEvent("b2"))
	want := "[gw-a/a1 gw-b/b1 gw-b/b2]"
	for _, c := range []*Console{a, b} {
		testutil.Eventually(t, "both consoles list the three events", func() bool { return fmt.Sprint(listed(t, c)) == want })
	}
	var streamed []string
	for len(streamed) < 3 {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("live stream of a ended after %v: %v", streamed, err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var e event.Event
			json.Unmarshal([]byte(data), &e)
			streamed = append(streamed, e.Observer+"/"+e.ID)
		}
	}
	sort.Strings(streamed)
	if got := fmt.Sprint(streamed); got != want {
		t.Errorf("a's live stream sent %s, want %s", got, want)
	}
	cancel()

	// Restarted, a reads on from where it was: b's newer event once, the
	// older ones not again.
	a.Close()
	b.Recorder().Record(fleetEvent("b3"))
	a2 := fleetConsole(t, pathA, srv.Addr(), "gw-a")
	want = "[gw-a/a1 gw-b/b1 gw-b/b2 gw-b/b3]"
	testutil.Eventually(t, "restarted a lists b's newer event", func() bool { return len(listed(t, a2)) >= 4 })
	time.Sleep(500 * time.Millisecond) // anything read twice would show by now
	if got := fmt.Sprint(listed(t, a2)); got != want {
		t.Errorf("restarted a lists %s, want %s", got, want)
	}
}

// The series count the fleet's traffic, and show this gateway's app only.
func TestJoinFleetSeriesAddOthersTraffic(t *testing.T) {
	srv := testutil.StartRedis(t)
	a := fleetConsole(t, filepath.Join(t.TempDir(), "a.db"), srv.Addr(), "gw-a")
	b := fleetConsole(t, filepath.Join(t.TempDir(), "b.db"), srv.Addr(), "gw-b")
	b.Recorder().SetProbe(func() Probe { return Probe{Requests: 1000, App: "ready"} }) // the base
	b.Recorder().SetProbe(func() Probe { return Probe{Requests: 1070, Banned: 4, App: "ready"} })
	var s Series
	testutil.Eventually(t, "a's series count b's 70 requests", func() bool {
		getJSON(t, a.Recorder().Handler(), "/v1/series", &s)
		return s.Totals["requests"] == 70
	})
	if s.Totals["banned"] != 4 {
		t.Errorf("a's series: %v banned, want b's 4", s.Totals["banned"])
	}
	for i, app := range s.App {
		if app != "" || s.Restarts[i] != nil {
			t.Fatalf("a's series point %d shows app %q restarts %v: b's app, not a's (a supervises none)", i, app, deref(s.Restarts[i]))
		}
	}
}

// copyStore copies the SQLite store at from (and its write-ahead log) to
// to, as cloning a machine's image with the store on it would.
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func instanceOf(t *testing.T, c *Console) string {
	t.Helper()
	inst, err := fleetState(context.Background(), c.db.DB, "instance")
	if err != nil || inst == "" {
		t.Fatalf("instance %q, %v", inst, err)
	}
	return inst
}

// A gateway started from a copy of another's store (an image cloned with
// it) carries the other's instance id: it takes a new one, and the two
// consoles then list each other's events. A restart on its own store keeps
// its id.
func TestJoinFleetCopiedStore(t *testing.T) {
	srv := testutil.StartRedis(t)
	pathA := filepath.Join(t.TempDir(), "a.db")
	a := fleetConsole(t, pathA, srv.Addr(), "gw-a")
	instA := instanceOf(t, a)
	pathB := filepath.Join(t.TempDir(), "b.db")
	copyStore(t, pathA, pathB)
	b := fleetConsole(t, pathB, srv.Addr(), "gw-b")
	if instB := instanceOf(t, b); instB == instA {
		t.Fatalf("the copied store's gateway kept the instance id %s of the gateway it was copied from", instA)
	}
	a.Recorder().Record(fleetEvent("a1"))
	b.Recorder().Record(fleetEvent("b1"))
	want := "[gw-a/a1 gw-b/b1]"
	for _, c := range []*Console{a, b} {
		testutil.Eventually(t, "both consoles list both events", func() bool { return fmt.Sprint(listed(t, c)) == want })
	}
	a.Close()
	a2 := fleetConsole(t, pathA, srv.Addr(), "gw-a")
	if inst := instanceOf(t, a2); inst != instA {
		t.Errorf("restarted on its own store, a took the instance id %s instead of keeping %s", inst, instA)
	}
}
