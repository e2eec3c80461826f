package routes

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Migrations are the inventory's store steps.
var Migrations = []string{
	`CREATE TABLE routes_seen (
		method    TEXT NOT NULL,
		template  TEXT NOT NULL,
		data      TEXT NOT NULL,    -- the Route as JSON
		last_seen INTEGER NOT NULL, -- unix seconds
		PRIMARY KEY (method, template)
	)`,
	`CREATE TABLE routes_meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	)`,
}

// Load reads the routes kept in db into inv, which should be new, with its
// declared surface set: a kept route that a declared template matches is
// counted under it.
func (inv *Inventory) Load(ctx context.Context, db *sql.DB) error {
	var started int64
	err := db.QueryRowContext(ctx, `SELECT value FROM routes_meta WHERE key = 'started'`).Scan(&started)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("routes: reading the store: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT method, template, data FROM routes_seen`)
	if err != nil {
		return fmt.Errorf("routes: reading the store: %w", err)
	}
	defer rows.Close()
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if started != 0 {
		inv.started = time.Unix(started, 0)
	}
	for rows.Next() {
		var method, tmpl, data string
		if err := rows.Scan(&method, &tmpl, &data); err != nil {
			return fmt.Errorf("routes: reading the store: %w", err)
		}
		var r Route
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return fmt.Errorf("routes: stored route %s %s: %w", method, tmpl, err)
		}
		r.Method, r.Template = method, tmpl
		inv.put(&r)
	}
	return rows.Err()
}

// put adds a stored route. The caller holds the lock.
func (inv *Inventory) put(r *Route) {
	if tmpl, ok := inv.declared.match(r.Method, split(r.Template)); ok {
		k := routeKey{r.Method, tmpl}
		if d := inv.byDecl[k]; d != nil {
			d.merge(r)
			return
		}
		r.Template = tmpl
		inv.byDecl[k] = r
		return
	}
	n := inv.tree.restore(r.Template)
	if n == nil {
		inv.overflow += r.Requests
		return
	}
	if n.routes == nil {
		n.routes = make(map[string]*Route)
	}
	if d := n.routes[r.Method]; d != nil {
		d.merge(r)
		return
	}
	n.routes[r.Method] = r
}

// Save writes the inventory to db in one transaction, after forgetting
// the routes not seen within retention. It writes nothing when nothing
// changed since the last Save.
func (inv *Inventory) Save(ctx context.Context, db *sql.DB, retention time.Duration) (err error) {
	inv.mu.Lock()
	if retention > 0 {
		inv.forget(inv.opts.Now().Add(-retention))
	}
	if !inv.dirty {
		inv.mu.Unlock()
		return nil
	}
	inv.dirty = false
	started := inv.started
	inv.mu.Unlock()
	defer func() {
		if err != nil { // written next time
			inv.mu.Lock()
			inv.dirty = true
			inv.mu.Unlock()
		}
	}()
	rs := inv.Routes()

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("routes: saving: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM routes_seen`); err != nil {
		return fmt.Errorf("routes: saving: %w", err)
	}
	for _, r := range rs {
		data, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("routes: saving %s %s: %w", r.Method, r.Template, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO routes_seen(method, template, data, last_seen) VALUES (?, ?, ?, ?)`,
			r.Method, r.Template, string(data), r.LastSeen.Unix()); err != nil {
			return fmt.Errorf("routes: saving: %w", err)
		}
	}
	if !started.IsZero() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO routes_meta(key, value) VALUES ('started', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, started.Unix()); err != nil {
			return fmt.Errorf("routes: saving: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("routes: saving: %w", err)
	}
	return nil
}

// ReadStore returns the routes kept in db and when learning started,
// for the report of a gateway that is not running.
func ReadStore(ctx context.Context, db *sql.DB) ([]Route, time.Time, error) {
	inv := New(Options{})
	if err := inv.Load(ctx, db); err != nil {
		return nil, time.Time{}, err
	}
	return inv.Routes(), inv.Stats().Started, nil
}
