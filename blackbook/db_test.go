package blackbook

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenOnTheCallersDB is the Go app that opens its own SQLite database:
// Open refuses it until Migrate made the tables, saying so, and then bans
// are kept in it (a second Book on the same file sees them at start).
func TestOpenOnTheCallersDB(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	_, err = Open(ctx, Config{}, Options{DB: db, Logger: quietLogger()})
	if err == nil || !strings.Contains(err.Error(), "blackbook.Migrate") {
		t.Fatalf("Open on a database without the tables: err = %v, want one that says to call blackbook.Migrate", err)
	}
	for i := 0; i < 2; i++ { // the second time has nothing to do
		if err := Migrate(ctx, db); err != nil {
			t.Fatalf("Migrate (%d): %v", i+1, err)
		}
	}
	k, err := Open(ctx, Config{}, Options{DB: db, Logger: quietLogger()})
	if err != nil {
		t.Fatalf("Open after Migrate: %v", err)
	}
	if _, err := k.Ban(ctx, BanRequest{Target: mustTarget(t, "203.0.113.9"), Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	k.Close()

	// OpenDB finds the file current (the same version table) and the ban
	// there.
	db2 := openDB(t, path)
	t.Cleanup(func() { db2.Close() })
	k2, err := Open(ctx, Config{}, Options{DB: db2, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k2.Close() })
	if _, ok := k2.Banned(ip("203.0.113.9")); !ok {
		t.Error("the ban made through the caller's database is not in force in a Book opened with OpenDB")
	}
}

func TestOpenWithoutDB(t *testing.T) {
	_, err := Open(context.Background(), Config{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "blackbook.OpenDB") {
		t.Errorf("Open without a DB: err = %v, want one naming blackbook.OpenDB", err)
	}
}
