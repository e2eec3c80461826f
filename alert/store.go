package alert

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// Migrations create the alert tables: the outbox of notifications not yet
// delivered, and the state of notified groups. Open the store with
// sqlite.Migrations{"alert": alert.Migrations}.
var Migrations = []string{
	`CREATE TABLE alert_outbox (
		id           INTEGER PRIMARY KEY AUTOINCREMENT,
		notifier     TEXT    NOT NULL,
		payload      TEXT    NOT NULL, -- Notification JSON; holds no secret
		attempts     INTEGER NOT NULL DEFAULT 0,
		next_attempt INTEGER NOT NULL, -- unix ms
		created      INTEGER NOT NULL, -- unix ms
		last_error   TEXT    NOT NULL DEFAULT ''
	)`,
	`CREATE INDEX alert_outbox_due ON alert_outbox(notifier, next_attempt)`,
	`CREATE TABLE alert_groups (
		rule          TEXT    NOT NULL,
		group_key     TEXT    NOT NULL,
		last_notified INTEGER NOT NULL, -- unix ms
		state         TEXT    NOT NULL, -- groupState JSON
		PRIMARY KEY (rule, group_key)
	)`,
}

// groupState is what survives a restart of a notified group: which alerts
// were told and when, so they are not told again within the repeat
// interval.
type groupState struct {
	Rule         string            `json:"rule"`
	Key          string            `json:"key"`
	Labels       map[string]string `json:"labels,omitempty"`
	LastNotified time.Time         `json:"lastNotified"`
	Alerts       []storedAlert     `json:"alerts"`
}

type storedAlert struct {
	Key      string            `json:"key"`
	Labels   map[string]string `json:"labels,omitempty"`
	StartsAt time.Time         `json:"startsAt"`
	Count    int               `json:"count"`
}

func (g *group) stateAfter(now time.Time, firing []*alertState) *groupState {
	s := &groupState{Rule: g.rule.Name, Key: g.key, Labels: g.labels, LastNotified: now}
	for _, a := range firing {
		s.Alerts = append(s.Alerts, storedAlert{Key: a.key, Labels: a.labels, StartsAt: a.startsAt, Count: a.count})
	}
	return s
}

// A store keeps the outbox and group states in the SQLite store.
type store struct{ db *sqlite.DB }

func ms(t time.Time) int64 { return t.UnixMilli() }

// save stores, in one transaction, the plan's notification for each
// notifier and the group's new state.
func (s store) save(ctx context.Context, p plan, notifiers []string, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storing notification: %w", err)
	}
	defer tx.Rollback()
	if p.n != nil && len(notifiers) > 0 {
		payload, err := json.Marshal(p.n)
		if err != nil {
			return fmt.Errorf("encoding notification: %w", err)
		}
		for _, name := range notifiers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO alert_outbox(notifier, payload, next_attempt, created) VALUES (?, ?, ?, ?)`,
				name, string(payload), ms(now), ms(now)); err != nil {
				return fmt.Errorf("storing notification: %w", err)
			}
		}
	}
	switch {
	case p.remove:
		_, err = tx.ExecContext(ctx, `DELETE FROM alert_groups WHERE rule = ? AND group_key = ?`, p.g.rule.Name, p.g.key)
	case p.state != nil:
		var st []byte
		if st, err = json.Marshal(p.state); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO alert_groups(rule, group_key, last_notified, state) VALUES (?, ?, ?, ?)
				ON CONFLICT(rule, group_key) DO UPDATE SET last_notified = excluded.last_notified, state = excluded.state`,
				p.state.Rule, p.state.Key, ms(p.state.LastNotified), string(st))
		}
	}
	if err != nil {
		return fmt.Errorf("storing alert state: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storing notification: %w", err)
	}
	return nil
}

// groups returns the stored group states notified since after, and
// deletes older ones.
func (s store) groups(ctx context.Context, after time.Time) ([]groupState, error) {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM alert_groups WHERE last_notified < ?`, ms(after)); err != nil {
		return nil, fmt.Errorf("reading alert state: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT state FROM alert_groups`)
	if err != nil {
		return nil, fmt.Errorf("reading alert state: %w", err)
	}
	defer rows.Close()
	var out []groupState
	for rows.Next() {
		var st string
		var g groupState
		if err := rows.Scan(&st); err != nil {
			return nil, fmt.Errorf("reading alert state: %w", err)
		}
		if json.Unmarshal([]byte(st), &g) == nil {
			out = append(out, g)
		}
	}
	return out, rows.Err()
}

type outboxRow struct {
	id       int64
	payload  string
	attempts int
}

// due returns up to limit rows of notifier due at now, oldest first.
func (s store) due(ctx context.Context, notifier string, now time.Time, limit int) ([]outboxRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, payload, attempts FROM alert_outbox
		WHERE notifier = ? AND next_attempt <= ? ORDER BY id LIMIT ?`, notifier, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("reading outbox: %w", err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.id, &r.payload, &r.attempts); err != nil {
			return nil, fmt.Errorf("reading outbox: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// next returns when notifier's next row is due; ok is false when none is
// pending.
func (s store) next(ctx context.Context, notifier string) (t time.Time, ok bool, err error) {
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(next_attempt) FROM alert_outbox WHERE notifier = ?`, notifier).Scan(&n); err != nil {
		return time.Time{}, false, fmt.Errorf("reading outbox: %w", err)
	}
	if !n.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(n.Int64), true, nil
}

// done removes a delivered (or abandoned) row.
func (s store) done(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM alert_outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("updating outbox: %w", err)
	}
	return nil
}

// retry records a failed attempt and when to try again.
func (s store) retry(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE alert_outbox SET attempts = ?, next_attempt = ?, last_error = ? WHERE id = ?`,
		attempts, ms(next), lastErr, id); err != nil {
		return fmt.Errorf("updating outbox: %w", err)
	}
	return nil
}

// pending counts the rows waiting per notifier.
func (s store) pending(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT notifier, COUNT(*) FROM alert_outbox GROUP BY notifier`)
	if err != nil {
		return nil, fmt.Errorf("reading outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, fmt.Errorf("reading outbox: %w", err)
		}
		out[name] = n
	}
	return out, rows.Err()
}
