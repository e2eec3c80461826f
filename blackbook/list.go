package blackbook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// A Filter chooses bans for List. The zero Filter lists the newest bans,
// in force or not.
type Filter struct {
	Active bool      // only bans in force
	Target Target    // only this target's, if not zero
	Source string    // only bans from this source, if not empty
	Since  time.Time // only bans made at or after, if not zero
	// Limit bounds the bans returned, newest first. If zero, 1000; at most
	// 100000.
	Limit int
}

const (
	defaultLimit = 1000
	maxLimit     = 100000
)

func limit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// List returns the bans f chooses, newest first.
func (k *Book) List(ctx context.Context, f Filter) ([]Ban, error) {
	var (
		where []string
		args  []any
	)
	if f.Active {
		where = append(where, "lifted = 0 AND (expires = 0 OR expires > ?)")
		args = append(args, ms(k.now()))
	}
	if !f.Target.IsZero() {
		where = append(where, "target = ?")
		args = append(args, f.Target.String())
	}
	if f.Source != "" {
		where = append(where, "source = ?")
		args = append(args, f.Source)
	}
	if !f.Since.IsZero() {
		where = append(where, "created >= ?")
		args = append(args, ms(f.Since))
	}
	q := `SELECT ` + banCols + ` FROM blackbook_bans`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created DESC, rowid DESC LIMIT ?"
	bans, err := queryBans(ctx, k.db, q, append(args, limit(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("listing bans: %w", err)
	}
	return bans, nil
}

// A Dossier is what the black book holds on one target.
type Dossier struct {
	Target   Target    `json:"target"`
	Current  *Ban      `json:"current,omitempty"`  // the ban in force, if any
	History  []Ban     `json:"history"`            // every ban, newest first
	Offender *Offender `json:"offender,omitempty"` // for an address with offences
}

// Show returns the target's dossier, or [ErrNotFound] when the black book
// knows nothing of it.
func (k *Book) Show(ctx context.Context, t Target) (Dossier, error) {
	d := Dossier{Target: t}
	var err error
	d.History, err = k.List(ctx, Filter{Target: t, Limit: maxLimit})
	if err != nil {
		return Dossier{}, err
	}
	now := k.now()
	for i := range d.History {
		if d.History[i].Active(now) {
			d.Current = &d.History[i]
			break
		}
	}
	if t.Kind() == KindIP {
		o, err := k.Offender(ctx, t.Prefix().Addr())
		if err == nil {
			o.Bans = nil // already in History
			d.Offender = &o
		} else if !errors.Is(err, ErrNotFound) {
			return Dossier{}, err
		}
	}
	if len(d.History) == 0 && d.Offender == nil {
		return Dossier{}, fmt.Errorf("showing %s: %w", t, ErrNotFound)
	}
	return d, nil
}

// An OffenderFilter chooses offenders for Offenders.
type OffenderFilter struct {
	Since time.Time // only those seen at or after, if not zero
	// Limit bounds the offenders returned, most recently seen first. If
	// zero, 1000; at most 100000.
	Limit int
}

// Offenders returns the offenders f chooses, most recently seen first,
// with their counts, users and evidence (not their bans: see Offender).
func (k *Book) Offenders(ctx context.Context, f OffenderFilter) ([]Offender, error) {
	rows, err := k.db.QueryContext(ctx, `SELECT ip, first_seen, last_seen FROM blackbook_offenders
		WHERE last_seen >= ? ORDER BY last_seen DESC, ip LIMIT ?`, ms(f.Since), limit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("listing offenders: %w", err)
	}
	var out []Offender
	for rows.Next() {
		var (
			ip          string
			first, last int64
		)
		if err := rows.Scan(&ip, &first, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("listing offenders: %w", err)
		}
		a, err := netip.ParseAddr(ip)
		if err != nil {
			continue
		}
		out = append(out, Offender{IP: a, FirstSeen: fromMS(first), LastSeen: fromMS(last)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing offenders: %w", err)
	}
	for i := range out {
		if err := k.offenderDetails(ctx, k.db, &out[i]); err != nil {
			return nil, fmt.Errorf("listing offenders: %w", err)
		}
	}
	return out, nil
}

// Offender returns what the black book holds on one address, its ban
// history included, or [ErrNotFound].
func (k *Book) Offender(ctx context.Context, ip netip.Addr) (Offender, error) {
	ip = ip.Unmap().WithZone("")
	o := Offender{IP: ip}
	var first, last int64
	err := k.db.QueryRowContext(ctx, `SELECT first_seen, last_seen FROM blackbook_offenders WHERE ip = ?`,
		ip.String()).Scan(&first, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return Offender{}, fmt.Errorf("showing offender %s: %w", ip, ErrNotFound)
	}
	if err != nil {
		return Offender{}, fmt.Errorf("showing offender %s: %w", ip, err)
	}
	o.FirstSeen, o.LastSeen = fromMS(first), fromMS(last)
	if err := k.offenderDetails(ctx, k.db, &o); err != nil {
		return Offender{}, fmt.Errorf("showing offender %s: %w", ip, err)
	}
	if o.Bans, err = k.List(ctx, Filter{Target: IPTarget(ip), Limit: maxLimit}); err != nil {
		return Offender{}, err
	}
	return o, nil
}

// offenderDetails fills o's counts, users and evidence.
func (k *Book) offenderDetails(ctx context.Context, q querier, o *Offender) error {
	ip := o.IP.String()
	o.Counts = make(map[string]int64)
	rows, err := q.QueryContext(ctx, `SELECT class, n FROM blackbook_offender_counts WHERE ip = ?`, ip)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		var n int64
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return err
		}
		o.Counts[c] = n
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT user FROM blackbook_offender_users WHERE ip = ? ORDER BY last_seen DESC, user`, ip)
	if err != nil {
		return err
	}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return err
		}
		o.Users = append(o.Users, u)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT time, class, rule_id, sample FROM blackbook_evidence
		WHERE ip = ? ORDER BY time DESC, id DESC`, ip)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e Evidence
		var at int64
		if err := rows.Scan(&at, &e.Class, &e.RuleID, &e.Sample); err != nil {
			return err
		}
		e.Time = fromMS(at)
		o.Evidence = append(o.Evidence, e)
	}
	return rows.Err()
}
