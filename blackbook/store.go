package blackbook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// querier is what the store helpers need of a *sql.DB, *sql.Tx or *sql.Conn.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ querier = (*sql.DB)(nil)
	_ querier = (*sql.Tx)(nil)
	_ querier = (*sql.Conn)(nil)
)

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

const banCols = `id, target, reason, source, created, expires, repeat, lifted, lifted_by`

type scanner interface{ Scan(dest ...any) error }

// scanBan reads the banCols of one row, then any extra columns into extra.
// A bad target gives an error wrapping [ErrBadTarget], with extra filled.
func scanBan(s scanner, extra ...any) (Ban, error) {
	var (
		b                        Ban
		target                   string
		created, expires, lifted int64
	)
	dest := append([]any{&b.ID, &target, &b.Reason, &b.Source, &created, &expires, &b.Repeat, &lifted, &b.LiftedBy}, extra...)
	if err := s.Scan(dest...); err != nil {
		return Ban{}, err
	}
	t, err := ParseTarget(target)
	if err != nil {
		return Ban{}, fmt.Errorf("ban %s in the store: %w", b.ID, err)
	}
	b.Target, b.Created, b.Expires, b.Lifted = t, fromMS(created), fromMS(expires), fromMS(lifted)
	return b, nil
}

func queryBans(ctx context.Context, q querier, query string, args ...any) ([]Ban, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ban
	for rows.Next() {
		b, err := scanBan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// loadActive returns the bans in force at now.
func loadActive(ctx context.Context, q querier, now time.Time) ([]Ban, error) {
	return queryBans(ctx, q, `SELECT `+banCols+` FROM blackbook_bans
		WHERE lifted = 0 AND (expires = 0 OR expires > ?)`, ms(now))
}

// currentBan returns the target's unlifted ban, which may have expired.
func currentBan(ctx context.Context, q querier, t Target) (Ban, bool, error) {
	b, err := scanBan(q.QueryRowContext(ctx, `SELECT `+banCols+` FROM blackbook_bans
		WHERE target = ? AND lifted = 0`, t.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return Ban{}, false, nil
	}
	return b, err == nil, err
}

func banByID(ctx context.Context, q querier, id string) (Ban, bool, error) {
	b, err := scanBan(q.QueryRowContext(ctx, `SELECT `+banCols+` FROM blackbook_bans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Ban{}, false, nil
	}
	return b, err == nil, err
}

// nextSeq returns the next change number; call it inside a write transaction.
func nextSeq(ctx context.Context, tx querier) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM blackbook_bans`).Scan(&n)
	return n, err
}

func insertBan(ctx context.Context, tx querier, b Ban, seq int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO blackbook_bans(`+banCols+`, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Target.String(), b.Reason, b.Source, ms(b.Created), ms(b.Expires), b.Repeat, ms(b.Lifted), b.LiftedBy, seq)
	return err
}

func liftBan(ctx context.Context, tx querier, id string, at time.Time, by string, seq int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE blackbook_bans SET lifted = ?, lifted_by = ?, seq = ? WHERE id = ? AND lifted = 0`,
		ms(at), by, seq, id)
	return err
}

func addOutbox(ctx context.Context, tx querier, op, banID string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO blackbook_outbox(op, ban_id, created) VALUES (?, ?, ?)`, op, banID, ms(now))
	return err
}

// liftReason says why a current ban gives way to a new one.
func liftReason(cur Ban, now time.Time) string {
	if !cur.Active(now) {
		return "expired"
	}
	return "replaced"
}
