package blackbook

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"
)

// A watcher notices changes other processes (or the Redis loop) make to the
// store and brings the index up to date: it polls PRAGMA data_version, which
// costs no table read, and on a change reads only the ban rows changed since
// it last looked. It also sweeps expired bans out of the index.
type watcher struct {
	k       *Book
	conn    *sql.Conn // data_version is per connection: keep one
	version int64
	seq     int64 // highest change seen
}

// sweepEvery is how many polls pass between sweeps of expired bans.
const sweepEvery = 20

func (k *Book) newWatcher(ctx context.Context) (*watcher, error) {
	conn, err := k.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &watcher{k: k, conn: conn}
	if err := w.load(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

// load reads every ban in force; the index is empty.
func (w *watcher) load(ctx context.Context) error {
	if err := w.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&w.version); err != nil {
		return err
	}
	if err := w.conn.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM blackbook_bans`).Scan(&w.seq); err != nil {
		return err
	}
	bans, err := loadActive(ctx, w.conn, w.k.now())
	if err != nil {
		return err
	}
	for _, b := range bans {
		w.k.idx.put(b)
	}
	return nil
}

func (w *watcher) run(ctx context.Context) {
	defer w.conn.Close()
	t := time.NewTicker(w.k.cfg.PollInterval)
	defer t.Stop()
	failing := false
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := w.poll(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && !failing:
			failing = true
			w.k.log.LogAttrs(ctx, slog.LevelError, "black book: cannot read changes from the store; enforcing the bans known",
				slog.String("error", err.Error()))
		case err == nil && failing:
			failing = false
			w.k.log.LogAttrs(ctx, slog.LevelInfo, "black book: reading changes from the store again")
		}
		if n%sweepEvery == 0 {
			w.k.idx.sweep(w.k.now())
		}
	}
}

// poll applies the changes made since the last poll, if any.
func (w *watcher) poll(ctx context.Context) error {
	var v int64
	if err := w.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return err
	}
	if v == w.version {
		return nil
	}
	if err := w.k.reloadAllowlist(ctx); err != nil {
		return err
	}
	w.k.writeMu.Lock()
	defer w.k.writeMu.Unlock()
	rows, err := w.conn.QueryContext(ctx, `SELECT `+banCols+`, seq FROM blackbook_bans WHERE seq > ? ORDER BY seq`, w.seq)
	if err != nil {
		return err
	}
	defer rows.Close()
	now := w.k.now()
	seq := w.seq
	for rows.Next() {
		b, err := scanBan(rows, &seq)
		if errors.Is(err, ErrBadTarget) {
			w.k.log.LogAttrs(ctx, slog.LevelWarn, "black book: skipping a ban with a bad target in the store",
				slog.String("error", err.Error())) // err names the ban
			continue
		}
		if err != nil {
			return err
		}
		if b.Active(now) {
			w.k.idx.put(b)
		} else {
			w.k.idx.remove(b.Target, b.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.seq, w.version = seq, v
	return nil
}
