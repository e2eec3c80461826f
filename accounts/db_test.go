package accounts

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewOnTheCallersDB is the Go app that opens its own SQLite database:
// New refuses it until Migrate made the tables, saying so, and then a
// pair blocked by one Watch is still blocked in a Watch built on the file
// opened again with OpenDB (the same version table, the same rows).
func TestNewOnTheCallersDB(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := Config{Preset: "express-example", Breach: Breach{Mode: "off"}}
	clock := newClock()

	_, err = New(cfg, Options{DB: db, Clock: clock.Now, ClientIP: testIP})
	if err == nil || !strings.Contains(err.Error(), "accounts.Migrate") {
		t.Fatalf("New on a database without the tables: err = %v, want one that says to call accounts.Migrate", err)
	}
	for i := range 2 { // the second time has nothing to do
		if err := Migrate(ctx, db); err != nil {
			t.Fatalf("Migrate (%d): %v", i+1, err)
		}
	}
	w, err := New(cfg, Options{DB: db, Clock: clock.Now, ClientIP: testIP})
	if err != nil {
		t.Fatalf("New after Migrate: %v", err)
	}
	h := w.Middleware()(&fakeApp{})
	for i := range 10 {
		formLogin(t, h, "198.51.100.4", "alice", "guess"+string(rune('a'+i)))
	}
	w.Close()

	db2, err := OpenDB(ctx, path)
	if err != nil {
		t.Fatalf("OpenDB on the file Migrate made: %v", err)
	}
	t.Cleanup(func() { db2.Close() })
	w2, err := New(cfg, Options{DB: db2, Clock: clock.Now, ClientIP: testIP})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w2.Close() })
	if rr := formLogin(t, w2.Middleware()(&fakeApp{}), "198.51.100.4", "alice", "correct horse battery staple"); rr.Code != http.StatusTooManyRequests {
		t.Errorf("alice from the blocked address, in a Watch on the reopened file = %d, want 429", rr.Code)
	}
}

func TestNewWithoutDB(t *testing.T) {
	_, err := New(Config{Breach: Breach{Mode: "off"}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "accounts.OpenDB") {
		t.Errorf("New without a DB: err = %v, want one naming accounts.OpenDB", err)
	}
}
