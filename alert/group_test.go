package alert

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// recConfig routes every rule to one notifier called rec, replaced by a
// recorder in Options.
func recConfig() Config {
	return Config{
		Route:     Route{GroupWait: 30 * time.Second, GroupInterval: 5 * time.Minute, RepeatInterval: time.Hour, ResolveTimeout: 5 * time.Minute},
		Notifiers: map[string]NotifierConfig{"rec": {Type: TypeWebhook, URL: config.Secret("http://127.0.0.1:1/unused")}},
	}
}

func newAlerter(t *testing.T, cfg Config, db *sqlite.DB, rec *recorder) *Alerter {
	t.Helper()
	a, err := New(context.Background(), cfg, Options{DB: db, Notifiers: map[string]Notifier{"rec": rec}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func burst(a *Alerter, ip string, n int) {
	for range n {
		a.Handle(attack(ip))
	}
}

func expectCount(t *testing.T, rec *recorder, want int, when string) []Notification {
	t.Helper()
	got := rec.all()
	if len(got) != want {
		for i, n := range got {
			t.Logf("notification %d: %s %s %+v", i, n.Status, n.Summary, n.Alerts)
		}
		t.Fatalf("%s: %d notifications, want %d", when, len(got), want)
	}
	return got
}

func TestGroupingTimeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, _ := tempDB(t)
		defer db.Close()
		rec := newRecorder("rec")
		a := newAlerter(t, recConfig(), db, rec)
		defer a.Close(context.Background())

		burst(a, "192.0.2.1", 1000)
		time.Sleep(29 * time.Second)
		synctest.Wait()
		expectCount(t, rec, 0, "within group wait")

		time.Sleep(2 * time.Second) // t=31s
		synctest.Wait()
		n := expectCount(t, rec, 1, "after group wait")[0]
		if n.Rule != "malicious-burst" || n.Status != StatusFiring || len(n.Alerts) != 1 ||
			n.Alerts[0].Labels["source.ip"] != "192.0.2.1" || n.Alerts[0].Count != 996 {
			t.Fatalf("first notification = %+v", n)
		}
		if n.Summary != "Attack burst from 192.0.2.1" || n.Alerts[0].Labels["labels.class"] != "sqli" {
			t.Errorf("summary %q, labels %v", n.Summary, n.Alerts[0].Labels)
		}

		// A second IP joins: batched into the group's next flush, which
		// also tells that the first one stopped (no event for 5m).
		time.Sleep(9 * time.Second) // t=40s
		burst(a, "192.0.2.2", 30)
		time.Sleep(289 * time.Second) // t=329s, the flush is at 330s
		synctest.Wait()
		expectCount(t, rec, 1, "within group interval")
		time.Sleep(2 * time.Second)
		synctest.Wait()
		n = expectCount(t, rec, 2, "after group interval")[1]
		if n.Status != StatusFiring || len(n.Firing()) != 1 || len(n.Resolved()) != 1 ||
			n.Firing()[0].Labels["source.ip"] != "192.0.2.2" || n.Resolved()[0].Labels["source.ip"] != "192.0.2.1" {
			t.Fatalf("second notification = %+v", n)
		}

		// Keep .2 firing: nothing new until the repeat interval (1h after
		// 330s, at the flush of 3930s).
		for time.Since(time.Unix(946684800, 0)) < 3800*time.Second {
			burst(a, "192.0.2.2", 20)
			time.Sleep(2 * time.Minute)
		}
		synctest.Wait()
		expectCount(t, rec, 2, "before the repeat interval")
		for range 2 {
			burst(a, "192.0.2.2", 20)
			time.Sleep(2 * time.Minute)
		}
		synctest.Wait()
		n = expectCount(t, rec, 3, "after the repeat interval")[2]
		if n.Status != StatusFiring || len(n.Alerts) != 1 || n.Alerts[0].Labels["source.ip"] != "192.0.2.2" {
			t.Fatalf("repeat = %+v", n)
		}

		// It stops: one resolve notice, then nothing.
		time.Sleep(15 * time.Minute)
		synctest.Wait()
		n = expectCount(t, rec, 4, "after it stopped")[3]
		if n.Status != StatusResolved || len(n.Resolved()) != 1 {
			t.Fatalf("resolve notice = %+v", n)
		}
		time.Sleep(5 * time.Hour)
		synctest.Wait()
		expectCount(t, rec, 4, "long after")
		a.mu.Lock()
		groups := len(a.groups)
		a.mu.Unlock()
		if groups != 0 {
			t.Errorf("%d groups left after resolution, want 0", groups)
		}
	})
}

func TestBelowThresholdNeverFires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, _ := tempDB(t)
		defer db.Close()
		rec := newRecorder("rec")
		a := newAlerter(t, recConfig(), db, rec)
		defer a.Close(context.Background())
		for range 10 { // 4 per minute is under 5 per minute
			burst(a, "192.0.2.3", 4)
			time.Sleep(61 * time.Second)
		}
		synctest.Wait()
		expectCount(t, rec, 0, "under threshold")
	})
}

func TestInhibition(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, _ := tempDB(t)
		defer db.Close()
		rec := newRecorder("rec")
		a := newAlerter(t, recConfig(), db, rec)
		defer a.Close(context.Background())
		ban := attack("192.0.2.9")
		ban.Action, ban.Kind = "ban", ""
		a.Handle(ban)             // ban first: its group waits 1m
		burst(a, "192.0.2.9", 25) // the burst that caused it fires malicious-burst
		other := ban
		other.SourceIP = attack("192.0.2.10").SourceIP
		a.Handle(other) // a ban of an IP not attacking is told
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		got := expectCount(t, rec, 2, "ban and burst")
		for _, n := range got {
			if n.Rule == "ban" && (len(n.Alerts) != 1 || n.Alerts[0].Labels["source.ip"] != "192.0.2.10") {
				t.Errorf("ban notification = %+v, want only 192.0.2.10", n.Alerts)
			}
		}
	})
}

func TestRestartDoesNotRepage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, path := tempDB(t)
		rec := newRecorder("rec")
		a := newAlerter(t, recConfig(), db, rec)
		burst(a, "192.0.2.4", 50)
		time.Sleep(31 * time.Second)
		synctest.Wait()
		expectCount(t, rec, 1, "first start")
		a.Close(context.Background())
		db.Close()

		db = openDB(t, path)
		defer db.Close()
		rec2 := newRecorder("rec")
		a = newAlerter(t, recConfig(), db, rec2)
		defer a.Close(context.Background())
		for range 5 { // still attacking, for 10m
			burst(a, "192.0.2.4", 50)
			time.Sleep(2 * time.Minute)
		}
		synctest.Wait()
		expectCount(t, rec2, 0, "after restart within the repeat interval")
		time.Sleep(time.Minute) // not at the instant of a flush
		burst(a, "192.0.2.4", 50)
		burst(a, "192.0.2.5", 50) // a new IP is news
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		n := expectCount(t, rec2, 1, "new IP after restart")[0]
		if len(n.Firing()) != 2 {
			t.Errorf("notification after restart = %+v, want both IPs firing", n.Alerts)
		}
	})
}

func TestOutboxSurvivesRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, path := tempDB(t)
		down := newRecorder("rec")
		down.fail = func(int) error { return errors.New("connection refused") }
		a := newAlerter(t, recConfig(), db, down)
		burst(a, "192.0.2.6", 50)
		time.Sleep(35 * time.Second) // stored at 30s, first attempt failed
		synctest.Wait()
		a.Close(context.Background())
		db.Close()
		if down.call == 0 {
			t.Fatal("no delivery was attempted before the restart")
		}

		db = openDB(t, path)
		defer db.Close()
		up := newRecorder("rec")
		a = newAlerter(t, recConfig(), db, up)
		defer a.Close(context.Background())
		time.Sleep(time.Minute)
		synctest.Wait()
		got := expectCount(t, up, 1, "after restart")
		if got[0].Rule != "malicious-burst" || got[0].Status != StatusFiring {
			t.Errorf("resent %+v", got[0])
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		// Then only the resolve notice: the attack stopped.
		got = expectCount(t, up, 2, "an hour later")
		if got[1].ID == got[0].ID || got[1].Status != StatusResolved {
			t.Errorf("second delivery %s %s, want a resolve notice", got[1].ID, got[1].Status)
		}
		var rows int
		db.QueryRow(`SELECT COUNT(*) FROM alert_outbox`).Scan(&rows)
		if rows != 0 {
			t.Errorf("outbox holds %d rows after delivery, want 0", rows)
		}
	})
}

func TestPermanentFailureIsDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, _ := tempDB(t)
		defer db.Close()
		rec := newRecorder("rec")
		rec.fail = func(n int) error {
			if n == 0 {
				return errors.New("timeout")
			}
			return Permanent(errors.New("401 bad credentials"))
		}
		a := newAlerter(t, recConfig(), db, rec)
		defer a.Close(context.Background())
		burst(a, "192.0.2.7", 50)
		time.Sleep(3 * time.Minute)
		synctest.Wait()
		if rec.call != 2 {
			t.Errorf("%d attempts, want 2 (a retry, then a permanent failure)", rec.call)
		}
		var rows int
		db.QueryRow(`SELECT COUNT(*) FROM alert_outbox`).Scan(&rows)
		if rows != 0 {
			t.Errorf("outbox holds %d rows, want 0", rows)
		}
	})
}

// An alert that fires and stops between two flushes is still told.
func TestShortAlertBetweenFlushes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, _ := tempDB(t)
		defer db.Close()
		rec := newRecorder("rec")
		cfg := recConfig()
		cfg.Route.ResolveTimeout = time.Minute
		a := newAlerter(t, cfg, db, rec)
		defer a.Close(context.Background())
		burst(a, "192.0.2.11", 20)
		time.Sleep(31 * time.Second)
		burst(a, "192.0.2.11", 20) // keeps the group open
		burst(a, "192.0.2.12", 20)
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		got := expectCount(t, rec, 2, "short alert")
		if len(got[1].Alerts) < 1 || got[1].Values("source.ip") == "" || !containsIP(got[1], "192.0.2.12") {
			t.Errorf("second notification %+v does not tell 192.0.2.12", got[1].Alerts)
		}
	})
}

func containsIP(n Notification, ip string) bool {
	for _, a := range n.Alerts {
		if a.Labels["source.ip"] == ip {
			return true
		}
	}
	return false
}
