// Package sqlite opens Bulwark's embedded store, one SQLite file through a
// pure-Go driver, in WAL mode, and brings each component's tables up to date
// with versioned migrations. The store holds secrets (the key that signs
// one-time links, password hashes), so its files are the owner's alone.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// A DB is the open store. It is safe for concurrent use.
type DB struct {
	*sql.DB
	path      string
	tightened []string
}

// Migrations maps a component name ("events", "blackbook", …) to its
// migration steps, in order; step i brings the component to version i+1.
// Steps are only ever appended, never edited.
type Migrations map[string][]string

// Open opens (creating if needed) the SQLite file at path and applies the
// migrations not yet applied. Each component's pending steps run in one
// transaction: on an error nothing of that component changes.
//
// A new file is created mode 0600 (SQLite gives its -wal and -shm files the
// same mode); an existing file, -wal or -shm that group or others may use
// loses those permissions, and [DB.Tightened] names it. The folder must
// exist: a mistyped path is an error, not a new tree.
func Open(ctx context.Context, path string, migrations Migrations) (*DB, error) {
	tightened, err := prepare(path)
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	db := &DB{DB: sqldb, path: path, tightened: tightened}
	if err := db.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	if err := db.migrate(ctx, migrations); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrating store %s: %w", path, err)
	}
	return db, nil
}

// prepare creates the store file (0600) if missing, and takes group and
// other permissions off the store's files that have any, returning their
// names.
func prepare(path string) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	var tightened []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return nil, fmt.Errorf("%s is readable by other users and could not be made private (run chmod 600 on it as its owner): %w", p, err)
			}
			tightened = append(tightened, p)
		}
	}
	return tightened, nil
}

// Path is the store file's path as given to Open.
func (db *DB) Path() string { return db.path }

// Tightened returns the store files that Open found open to group or
// others and made private, for the caller to log.
func (db *DB) Tightened() []string { return db.tightened }

const createVersions = `CREATE TABLE IF NOT EXISTS schema_versions (
	component TEXT PRIMARY KEY,
	version   INTEGER NOT NULL
)`

func (db *DB) migrate(ctx context.Context, migrations Migrations) error {
	if _, err := db.ExecContext(ctx, createVersions); err != nil {
		return err
	}
	names := make([]string, 0, len(migrations))
	for name := range migrations {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateComponent(ctx, name, migrations[name]); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) migrateComponent(ctx context.Context, name string, steps []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE component = ?`, name).Scan(&have)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if have > len(steps) {
		return fmt.Errorf("%s: the store is at version %d but this bulwark knows only %d; use a newer bulwark or another store file", name, have, len(steps))
	}
	if have == len(steps) {
		return nil
	}
	for i := have; i < len(steps); i++ {
		if _, err := tx.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("%s: step %d: %w", name, i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_versions(component, version) VALUES (?, ?)
		ON CONFLICT(component) DO UPDATE SET version = excluded.version`, name, len(steps)); err != nil {
		return err
	}
	return tx.Commit()
}

// Version reports the schema version of a component, 0 if it has none.
func (db *DB) Version(ctx context.Context, component string) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE component = ?`, component).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

// Close checkpoints the write-ahead log into the main file and closes the
// store, so a clean shutdown leaves one self-contained file.
func (db *DB) Close() error {
	_, cerr := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if err := db.DB.Close(); err != nil {
		return fmt.Errorf("closing store %s: %w", db.path, err)
	}
	if cerr != nil {
		return fmt.Errorf("checkpointing store %s: %w", db.path, cerr)
	}
	return nil
}
