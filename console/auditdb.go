package console

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// An AuditSource gives the last bulwark audit --monitor snapshot of each
// project. An error that wraps [fs.ErrNotExist] means there is nothing to
// read yet; its message tells the user what to run.
type AuditSource interface {
	Snapshots(ctx context.Context) ([]audit.Snapshot, error)
}

// AuditDB is an [AuditSource] over the advisory database file at Path,
// where bulwark audit --monitor keeps its snapshots. The file is opened
// read-only at the first call that finds it, so a database made after the
// gateway started is picked up. It is safe for concurrent use; Close
// closes the file.
type AuditDB struct {
	Path string

	mu    sync.Mutex
	store *sqlite.DB
}

var _ AuditSource = (*AuditDB)(nil)

// absent is an error for a source with nothing to read yet.
type absent string

func (a absent) Error() string        { return string(a) }
func (a absent) Is(target error) bool { return target == fs.ErrNotExist }

// Snapshots reads the snapshots, each finding scored from the same file's
// advisories.
func (a *AuditDB) Snapshots(ctx context.Context) ([]audit.Snapshot, error) {
	store, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	var tables int
	if err := store.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_snapshot'`).Scan(&tables); err != nil {
		return nil, fmt.Errorf("reading the advisory database %s: %w", a.Path, err)
	}
	if tables == 0 {
		return nil, absent(fmt.Sprintf("the advisory database %s has no monitor run yet: run bulwark audit --monitor DIR --db %s", a.Path, a.Path))
	}
	return audit.NewMonitor(store, nil).Snapshots(ctx, osv.New(store))
}

func (a *AuditDB) open(ctx context.Context) (*sqlite.DB, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.store != nil {
		return a.store, nil
	}
	if _, err := os.Stat(a.Path); err != nil {
		return nil, absent(fmt.Sprintf("no advisory database at %s: run bulwark db update (or import), then bulwark audit --monitor DIR --db %s", a.Path, a.Path))
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file:"+a.Path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening the advisory database %s: %w", a.Path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the advisory database %s: %w", a.Path, err)
	}
	a.store = &sqlite.DB{DB: db}
	return a.store, nil
}

// Close closes the file, if it was opened.
func (a *AuditDB) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.store == nil {
		return nil
	}
	err := a.store.Close()
	a.store = nil
	return err
}
