package osv

import (
	"context"
	"fmt"
)

// Info describes the contents of the database, for `bulwark db info`.
type Info struct {
	Entries     int            // advisories stored
	Withdrawn   int            // of which withdrawn
	ByEcosystem map[string]int // advisories naming a package of each ecosystem
	Sources     []SourceInfo   // downloaded zips
}

// SourceInfo is one downloaded zip and its validators.
type SourceInfo struct {
	URL, ETag, LastModified, Fetched string
}

// Info counts the advisories and lists the sources.
func (db *DB) Info(ctx context.Context) (Info, error) {
	info := Info{ByEcosystem: map[string]int{}}
	err := db.store.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE withdrawn != '') FROM osv_entries`).
		Scan(&info.Entries, &info.Withdrawn)
	if err != nil {
		return info, fmt.Errorf("reading advisory database info: %w", err)
	}
	rows, err := db.store.QueryContext(ctx, `SELECT ecosystem, count(DISTINCT id) FROM osv_affected GROUP BY ecosystem ORDER BY ecosystem`)
	if err != nil {
		return info, fmt.Errorf("reading advisory database info: %w", err)
	}
	for rows.Next() {
		var eco string
		var n int
		if err := rows.Scan(&eco, &n); err != nil {
			rows.Close()
			return info, fmt.Errorf("reading advisory database info: %w", err)
		}
		info.ByEcosystem[eco] = n
	}
	rows.Close()
	rows, err = db.store.QueryContext(ctx, `SELECT url, etag, last_modified, fetched FROM osv_sources ORDER BY url`)
	if err != nil {
		return info, fmt.Errorf("reading advisory database info: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s SourceInfo
		if err := rows.Scan(&s.URL, &s.ETag, &s.LastModified, &s.Fetched); err != nil {
			return info, fmt.Errorf("reading advisory database info: %w", err)
		}
		info.Sources = append(info.Sources, s)
	}
	return info, rows.Err()
}
