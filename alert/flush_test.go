package alert

import (
	"context"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// frozenAlerter is an alerter on a new store whose clock stands still at
// the first alert, so a group's wait never ends by itself, with a recorder
// as its notifier; it is closed when the test ends.
func frozenAlerter(t *testing.T) (*Alerter, *sqlite.DB, *recorder) {
	t.Helper()
	db, _ := tempDB(t)
	rec := newRecorder("rec")
	frozen := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a, err := New(context.Background(), recConfig(), Options{DB: db, Notifiers: map[string]Notifier{"rec": rec},
		Clock: func() time.Time { return frozen }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(context.Background()); db.Close() })
	return a, db, rec
}

// TestFlushSendsBeforeGroupWait: a short-lived command's advisories leave
// before it exits, without waiting the 30s group wait. The alerter's clock
// stands still, so the group wait never ends by itself: only Flush can
// send the group. The context bounds a Flush that waits anyway, which then
// fails by its error rather than by hanging.
func TestFlushSendsBeforeGroupWait(t *testing.T) {
	a, _, rec := frozenAlerter(t)
	for _, pkg := range []string{"lodash@4.17.20", "minimist@1.2.5"} {
		a.Handle(event.Event{Kind: event.KindAlert, Category: event.CategoryVulnerability, Action: "advisory-new",
			RuleID: "GHSA-" + pkg, Labels: map[string]string{"package": pkg}})
	}
	if n := len(rec.all()); n != 0 {
		t.Fatalf("%d notifications before Flush with the clock at the first alert, want 0 (the group waits)", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testutil.EventuallyLimit)
	defer cancel()
	if err := a.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	got := rec.all()
	if len(got) != 1 || got[0].Rule != "advisory" || len(got[0].Alerts) != 2 {
		t.Fatalf("after Flush: %d notifications %+v, want one advisory notification of 2 alerts", len(got), got)
	}
	// Nothing left: a second Flush returns at once with nothing more sent.
	if err := a.Flush(ctx); err != nil || len(rec.all()) != 1 {
		t.Errorf("second Flush: %v, %d notifications", err, len(rec.all()))
	}
}

// Rows left in the outbox for a notifier no longer configured are warned
// about at start; Flush does not wait for them, as no one sends them.
func TestFlushIgnoresOrphanedRows(t *testing.T) {
	db, _ := tempDB(t)
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), `INSERT INTO alert_outbox(notifier, payload, next_attempt, created) VALUES ('gone', '{}', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	a := newAlerter(t, recConfig(), db, newRecorder("rec"))
	defer a.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := a.Flush(ctx); err != nil {
		t.Errorf("Flush with only another notifier's row pending: %v", err)
	}
}

// TestFlushWaitsForTheStore: the loop takes a due group under the lock and
// stores its notification after letting go of it. A Flush that looks in
// between sees no due group and an empty outbox; it must still wait, or a
// short-lived command exits with its notification never stored (CI saw
// bulwark audit --monitor exit 0 with the webhook told nothing). Another
// connection holds the store's write lock, so the loop's store waits for
// as long as the test wants.
func TestFlushWaitsForTheStore(t *testing.T) {
	a, db, rec := frozenAlerter(t)
	a.Handle(event.Event{Kind: event.KindAlert, Category: event.CategoryVulnerability, Action: "advisory-new",
		RuleID: "GHSA-lodash", Labels: map[string]string{"package": "lodash@4.17.20"}})
	tx, err := db.BeginTx(context.Background(), nil) // immediate: the write lock
	if err != nil {
		t.Fatal(err)
	}
	held := true
	defer func() {
		if held {
			tx.Rollback()
		}
	}()
	short, cancel := context.WithTimeout(context.Background(), time.Second) // well under the store's 5s busy timeout
	defer cancel()
	if err := a.Flush(short); err == nil {
		t.Fatalf("Flush returned nil while the notification could not be stored (%d sent); want it to wait and fail with its context", len(rec.all()))
	}
	tx.Rollback()
	held = false
	ctx, cancel2 := context.WithTimeout(context.Background(), testutil.EventuallyLimit)
	defer cancel2()
	if err := a.Flush(ctx); err != nil {
		t.Fatalf("Flush once the store is free: %v", err)
	}
	if got := rec.all(); len(got) != 1 || got[0].Rule != "advisory" {
		t.Errorf("after Flush: %d notifications %+v, want one advisory notification", len(got), got)
	}
}
