package osv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A Record is one advisory as OSV JSON, with the name of where it was
// read for error messages.
type Record struct {
	Name string // "schedule.json", "https://…/index.json#138"
	Data []byte
}

// ImportRecords stores advisories built elsewhere (converted from another
// format) together with named documents, in one transaction: either all
// are stored, or, when one record is not a valid OSV advisory, nothing
// changes and the error names it. As with [DB.Import], re-importing is
// idempotent.
func (db *DB) ImportRecords(ctx context.Context, records []Record, docs map[string][]byte) (ImportStats, error) {
	var stats ImportStats
	err := db.inTx(ctx, func(w *writer) error {
		for _, r := range records {
			if err := w.add(ctx, r.Name, r.Data); err != nil {
				return err
			}
		}
		for name, data := range docs {
			if _, err := w.tx.ExecContext(ctx, `INSERT INTO osv_documents(name, data) VALUES (?, ?)
				ON CONFLICT(name) DO UPDATE SET data = excluded.data`, name, data); err != nil {
				return fmt.Errorf("importing %s: %w", name, err)
			}
		}
		stats = w.stats
		return nil
	})
	return stats, err
}

// Document returns the document stored under name by [DB.ImportRecords],
// or nil when there is none.
func (db *DB) Document(ctx context.Context, name string) ([]byte, error) {
	var data []byte
	err := db.store.QueryRowContext(ctx, `SELECT data FROM osv_documents WHERE name = ?`, name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s from the advisory database: %w", name, err)
	}
	return data, nil
}
