package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// Apply brings the components' tables in a database the caller opened up to
// date, as [Open] does, recording versions in the same schema_versions
// table: a file migrated by either is current for the other. Each
// component's pending steps run in one transaction.
func Apply(ctx context.Context, db *sql.DB, migrations Migrations) error {
	return (&DB{DB: db}).migrate(ctx, migrations)
}

// Current reports an error naming what to call when component's tables in
// a database the caller opened are behind its migrations: a Go app that
// forgot to migrate is told so at once, not by a missing table later.
func Current(ctx context.Context, db *sql.DB, component string, steps []string, migrate string) error {
	var tables, have int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'`).Scan(&tables)
	if err == nil && tables > 0 {
		have, err = (&DB{DB: db}).Version(ctx, component)
	}
	if err != nil {
		return fmt.Errorf("reading the store's schema version: %w", err)
	}
	if have < len(steps) {
		return fmt.Errorf("the store's %s tables are at version %d of %d: call %s", component, have, len(steps), migrate)
	}
	return nil
}
