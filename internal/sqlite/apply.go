package sqlite

import (
	"context"
	"database/sql"
)

// Apply brings the components' tables in a database the caller opened up to
// date, as [Open] does, recording versions in the same schema_versions
// table: a file migrated by either is current for the other. Each
// component's pending steps run in one transaction.
func Apply(ctx context.Context, db *sql.DB, migrations Migrations) error {
	return (&DB{DB: db}).migrate(ctx, migrations)
}
