package osv

import (
	"context"
	"fmt"

	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// Migrations creates the advisory tables. Steps are only ever appended.
//
// osv_entries holds one row per advisory with the fields a report needs
// without decoding, and the whole record as deflate-compressed JSON.
// osv_affected is the index: (ecosystem, name) → advisory ids, so that a
// lookup reads only the advisories of the packages asked for.
// osv_documents keeps other published data read with advisories.
// osv_sources remembers, per downloaded URL, the validators for
// conditional requests.
var Migrations = []string{
	`CREATE TABLE osv_entries (
		id        TEXT PRIMARY KEY,
		modified  TEXT NOT NULL,
		withdrawn TEXT NOT NULL DEFAULT '',
		aliases   TEXT NOT NULL DEFAULT '',
		summary   TEXT NOT NULL DEFAULT '',
		hash      BLOB NOT NULL,
		raw       BLOB NOT NULL
	) WITHOUT ROWID`,
	`CREATE TABLE osv_affected (
		ecosystem TEXT NOT NULL,
		name      TEXT NOT NULL,
		id        TEXT NOT NULL REFERENCES osv_entries(id) ON DELETE CASCADE,
		PRIMARY KEY (ecosystem, name, id)
	) WITHOUT ROWID`,
	`CREATE INDEX osv_affected_id ON osv_affected(id)`,
	`CREATE TABLE osv_sources (
		url           TEXT PRIMARY KEY,
		etag          TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		fetched       TEXT NOT NULL DEFAULT ''
	)`,
	// osv_documents holds data that comes with advisories but is not one
	// (the Node.js release schedule), by name.
	`CREATE TABLE osv_documents (
		name TEXT PRIMARY KEY,
		data BLOB NOT NULL
	) WITHOUT ROWID`,
}

// A DB is the local advisory database, over a store opened with
// [Migrations]. It is safe for concurrent use.
type DB struct {
	store *sqlite.DB
}

// New returns the advisory database kept in store, which must have been
// opened with sqlite.Migrations{"osv": osv.Migrations}.
func New(store *sqlite.DB) *DB { return &DB{store: store} }

// Open opens (creating if needed) an advisory database in its own SQLite
// file. Close it with [DB.Close].
func Open(ctx context.Context, path string) (*DB, error) {
	store, err := sqlite.Open(ctx, path, sqlite.Migrations{"osv": Migrations})
	if err != nil {
		return nil, fmt.Errorf("opening advisory database: %w", err)
	}
	return New(store), nil
}

// Close closes the underlying store.
func (db *DB) Close() error { return db.store.Close() }
