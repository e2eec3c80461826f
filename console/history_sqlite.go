package console

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// historyMigrations are the store steps of [SQLiteHistory]: the events,
// with the fields the pages filter by, and the samples. They follow the
// console's login tables in [Migrations].
var historyMigrations = []string{
	`CREATE TABLE console_events (
		seq      INTEGER PRIMARY KEY, -- the recorder's sequence number
		ts       INTEGER NOT NULL,    -- unix milliseconds
		category TEXT NOT NULL,
		type     TEXT NOT NULL,
		action   TEXT NOT NULL,
		class    TEXT NOT NULL,
		rule     TEXT NOT NULL,
		rules    TEXT NOT NULL,
		ip       TEXT NOT NULL,
		net      TEXT NOT NULL,       -- the source's /24 or /48
		user     TEXT NOT NULL,
		path     TEXT NOT NULL,
		body     TEXT NOT NULL        -- the ECS JSON
	)`,
	`CREATE INDEX console_events_ts ON console_events(ts)`,
	`CREATE INDEX console_events_category ON console_events(category, seq)`,
	`CREATE INDEX console_events_ip ON console_events(ip, seq)`,
	`CREATE TABLE console_samples (
		ts          INTEGER PRIMARY KEY, -- unix seconds, end of the step
		requests    INTEGER NOT NULL,
		banned      INTEGER NOT NULL,
		bans_active INTEGER NOT NULL,
		restarts    INTEGER NOT NULL,
		app         TEXT NOT NULL,
		cpu         REAL NOT NULL,
		rss         INTEGER NOT NULL
	)`,
	// Counts kept per 10-second slot as events are kept, and indexes that
	// answer the top lists from the index alone: over 100,000 events, Top
	// took 0.9 s and a day's counts 0.5 s reading the events
	// (BenchmarkHistory).
	`CREATE TABLE console_counts (
		slot INTEGER NOT NULL, -- unix seconds / 10 * 10
		kind TEXT NOT NULL,    -- see kindsOf
		n    INTEGER NOT NULL,
		PRIMARY KEY (slot, kind)
	) WITHOUT ROWID`,
	`CREATE INDEX console_events_top_ip ON console_events(category, ip)`,
	`CREATE INDEX console_events_top_net ON console_events(category, net)`,
	`CREATE INDEX console_events_top_rule ON console_events(category, rule)`,
	`CREATE INDEX console_events_top_path ON console_events(category, path)`,
	// A fleet's console (see [Console.JoinFleet]): this gateway's instance
	// id and its place in the fleet's stream.
	`CREATE TABLE console_fleet (
		key   TEXT PRIMARY KEY, -- "instance" or "cursor"
		value TEXT NOT NULL
	)`,
}

// SQLiteHistory is the [History] kept in the gateway's SQLite store (its
// tables are among [Migrations]). It is safe for concurrent use.
type SQLiteHistory struct{ db *sql.DB }

var _ History = (*SQLiteHistory)(nil)

// NewSQLiteHistory keeps the history in db, whose migrations must include
// "console": [Migrations].
func NewSQLiteHistory(db *sql.DB) *SQLiteHistory { return &SQLiteHistory{db: db} }

// Append implements [History].
func (h *SQLiteHistory) Append(ctx context.Context, evs []Stored) error {
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("keeping console events: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO console_events
		(seq, ts, category, type, action, class, rule, rules, ip, net, user, path, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("keeping console events: %w", err)
	}
	defer st.Close()
	counts := map[SlotCount]int{}
	for _, e := range evs {
		if _, err := st.ExecContext(ctx, int64(e.Seq), e.Time.UnixMilli(), e.Category, e.Type, e.Action, e.Class,
			e.Rule, e.Rules, e.IP, e.Net, e.User, e.Path, string(e.JSON)); err != nil {
			return fmt.Errorf("keeping console events: %w", err)
		}
		for _, k := range kindsOf(e) {
			counts[SlotCount{Slot: e.Time.Unix() / countSlot * countSlot, Kind: k}]++
		}
	}
	for c, n := range counts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO console_counts(slot, kind, n) VALUES (?, ?, ?)
			ON CONFLICT(slot, kind) DO UPDATE SET n = n + excluded.n`, c.Slot, c.Kind, n); err != nil {
			return fmt.Errorf("keeping console counts: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("keeping console events: %w", err)
	}
	return nil
}

// LastSeq implements [History].
func (h *SQLiteHistory) LastSeq(ctx context.Context) (uint64, error) {
	var n sql.NullInt64
	if err := h.db.QueryRowContext(ctx, `SELECT max(seq) FROM console_events`).Scan(&n); err != nil {
		return 0, fmt.Errorf("reading console events: %w", err)
	}
	return uint64(n.Int64), nil
}

// where is the SQL condition and arguments of f.
func where(f Filter) (string, []any) {
	conds, args := []string{"1"}, []any{}
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if f.Category != "" {
		add("category = ?", string(f.Category))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Class != "" {
		add("class = ?", f.Class)
	}
	if f.Rule != "" {
		add("(rule = ? OR instr(',' || rules || ',', ?) > 0)", f.Rule, ","+f.Rule+",")
	}
	if f.IP.IsValid() {
		add("ip = ?", f.IP.Unmap().String())
	}
	if f.Net.IsValid() {
		add("net = ?", f.Net.String())
	}
	if f.User != "" {
		add("user = ?", f.User)
	}
	if f.Path != "" {
		add("instr(path, ?) > 0", f.Path)
	}
	if !f.Since.IsZero() {
		add("ts >= ?", f.Since.UnixMilli())
	}
	if f.After > 0 {
		add("seq > ?", int64(f.After))
	}
	return strings.Join(conds, " AND "), args
}

// Events implements [History].
func (h *SQLiteHistory) Events(ctx context.Context, f Filter) ([]Stored, error) {
	cond, args := where(f)
	q := `SELECT seq, body FROM console_events WHERE ` + cond + ` ORDER BY seq DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := h.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading console events: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var s Stored
		var seq int64
		var body string
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, fmt.Errorf("reading console events: %w", err)
		}
		s.Seq, s.JSON = uint64(seq), []byte(body)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Top implements [History].
func (h *SQLiteHistory) Top(ctx context.Context, f Filter, n int) (Tops, error) {
	cond, args := where(f)
	var t Tops
	for _, c := range []struct {
		col string
		out *[]Count
	}{{"ip", &t.IPs}, {"net", &t.Nets}, {"rule", &t.Rules}, {"path", &t.Paths}} {
		rows, err := h.db.QueryContext(ctx, `SELECT `+c.col+`, count(*) AS n FROM console_events
			WHERE `+cond+` AND `+c.col+` != '' GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?`, append(args, n)...)
		if err != nil {
			return t, fmt.Errorf("counting console events: %w", err)
		}
		*c.out = []Count{}
		for rows.Next() {
			var k Count
			if err := rows.Scan(&k.Key, &k.Count); err != nil {
				rows.Close()
				return t, fmt.Errorf("counting console events: %w", err)
			}
			*c.out = append(*c.out, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t, fmt.Errorf("counting console events: %w", err)
		}
	}
	return t, nil
}

// Counts implements [History].
func (h *SQLiteHistory) Counts(ctx context.Context, from time.Time, step time.Duration) ([]SlotCount, error) {
	secs := int64(step / time.Second)
	rows, err := h.db.QueryContext(ctx, `SELECT slot / ? * ?, kind, sum(n) FROM console_counts
		WHERE slot >= ? GROUP BY 1, 2`, secs, secs, from.Unix()/countSlot*countSlot)
	if err != nil {
		return nil, fmt.Errorf("counting console events: %w", err)
	}
	defer rows.Close()
	var out []SlotCount
	for rows.Next() {
		var c SlotCount
		if err := rows.Scan(&c.Slot, &c.Kind, &c.N); err != nil {
			return nil, fmt.Errorf("counting console events: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// countSlot is the span of a row of console_counts, in seconds: the
// series' finest step.
const countSlot = int64(step / time.Second)

// AddSample implements [History].
func (h *SQLiteHistory) AddSample(ctx context.Context, s Sample) error {
	// Two samples in one second add up; one of another gateway of the
	// fleet (Restarts -1) adds its traffic and leaves the rest alone.
	_, err := h.db.ExecContext(ctx, `INSERT INTO console_samples
		(ts, requests, banned, bans_active, restarts, app, cpu, rss) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(ts) DO UPDATE SET requests = requests + excluded.requests, banned = banned + excluded.banned,
		bans_active = iif(excluded.restarts < 0, bans_active, excluded.bans_active),
		restarts = iif(excluded.restarts < 0, restarts, excluded.restarts),
		app = iif(excluded.restarts < 0, app, excluded.app),
		cpu = max(cpu, excluded.cpu), rss = iif(excluded.restarts < 0, rss, excluded.rss)`,
		s.Time.Unix(), int64(s.Requests), int64(s.Banned), s.BansActive, s.Restarts, s.App, s.CPU, s.RSS)
	if err != nil {
		return fmt.Errorf("keeping a console sample: %w", err)
	}
	return nil
}

// Samples implements [History].
func (h *SQLiteHistory) Samples(ctx context.Context, from time.Time) ([]Sample, error) {
	rows, err := h.db.QueryContext(ctx, `SELECT ts, requests, banned, bans_active, restarts, app, cpu, rss
		FROM console_samples WHERE ts >= ? ORDER BY ts`, from.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading console samples: %w", err)
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var s Sample
		var ts, req, banned int64
		if err := rows.Scan(&ts, &req, &banned, &s.BansActive, &s.Restarts, &s.App, &s.CPU, &s.RSS); err != nil {
			return nil, fmt.Errorf("reading console samples: %w", err)
		}
		s.Time, s.Requests, s.Banned = time.Unix(ts, 0), uint64(req), uint64(banned)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Prune implements [History].
func (h *SQLiteHistory) Prune(ctx context.Context, before time.Time, max int) error {
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM console_events WHERE ts < ?`, []any{before.UnixMilli()}},
		{`DELETE FROM console_events WHERE seq <= (SELECT max(seq) FROM console_events) - ?`, []any{max}},
		{`DELETE FROM console_samples WHERE ts < ?`, []any{before.Unix()}},
		{`DELETE FROM console_counts WHERE slot < ?`, []any{before.Unix()}},
	} {
		if _, err := h.db.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("pruning the console's history: %w", err)
		}
	}
	return nil
}
