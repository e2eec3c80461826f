package accounts

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// OpenDB opens (creating if needed, mode 0600) the SQLite file at path as
// bulwark opens its own store — write-ahead log, a 5 s busy timeout,
// immediate transactions, foreign keys on — and brings the accounts
// tables up to date with [Migrate]. The folder must exist. The caller
// closes the database after the Watch.
//
// A Go app that keeps the accounts tables beside its own may open the
// database itself instead: see [Options.DB].
func OpenDB(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sqlite.Open(ctx, path, sqlite.Migrations{component: Migrations})
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return db.DB, nil
}

// Migrate creates the accounts tables in db, a SQLite database, or brings
// them up to date: it applies the steps of [Migrations] not yet applied, in
// one transaction, and records the version in db's schema_versions table
// (the one bulwark's own store keeps, so a file migrated here is current
// for bulwark, and the other way round).
func Migrate(ctx context.Context, db *sql.DB) error {
	if err := sqlite.Apply(ctx, db, sqlite.Migrations{component: Migrations}); err != nil {
		return fmt.Errorf("accounts: migrating the store: %w", err)
	}
	return nil
}

// component names the accounts migrations in schema_versions.
const component = "accounts"

// checkSchema tells a caller who forgot [Migrate] what to do, instead of
// failing later on a missing table.
func checkSchema(ctx context.Context, db *sql.DB) error {
	if err := sqlite.Current(ctx, db, component, Migrations, "accounts.Migrate(ctx, db) on it first, or open it with accounts.OpenDB"); err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	return nil
}
