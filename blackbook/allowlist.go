package blackbook

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// An AllowEntry is a range of addresses that is never banned.
type AllowEntry struct {
	Prefix     netip.Prefix `json:"prefix"`
	Reason     string       `json:"reason,omitempty"`
	Created    time.Time    `json:"created,omitzero"`
	Configured bool         `json:"configured,omitempty"` // from bulwark.yaml; cannot be removed at run time
}

// Allowlist returns the configured entries, then those added at run time.
func (k *Book) Allowlist(ctx context.Context) ([]AllowEntry, error) {
	var out []AllowEntry
	for _, p := range k.cfg.allowlist() {
		out = append(out, AllowEntry{Prefix: p, Configured: true})
	}
	rows, err := k.db.QueryContext(ctx, `SELECT prefix, reason, created FROM blackbook_allowlist ORDER BY created`)
	if err != nil {
		return nil, fmt.Errorf("listing the allowlist: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e       AllowEntry
			s       string
			created int64
		)
		if err := rows.Scan(&s, &e.Reason, &created); err != nil {
			return nil, fmt.Errorf("listing the allowlist: %w", err)
		}
		if e.Prefix, err = netip.ParsePrefix(s); err != nil {
			continue
		}
		e.Created = fromMS(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Allow adds an address or CIDR to the allowlist and lifts the bans in
// force inside it. It returns the bans lifted.
func (k *Book) Allow(ctx context.Context, cidr, reason string) ([]Ban, error) {
	p, err := clientip.ParsePrefix(cidr)
	if err != nil {
		return nil, fmt.Errorf("%w: allowing %s: %v", ErrBadTarget, clip(cidr, 80), err)
	}
	now := k.now()
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	var lift []Ban
	for _, b := range k.idx.all() {
		if b.Active(now) && b.Target.Prefix().IsValid() && p.Bits() <= b.Target.Prefix().Bits() && p.Contains(b.Target.Prefix().Addr()) {
			lift = append(lift, b)
		}
	}
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("allowing %s: %w", p, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO blackbook_allowlist(prefix, reason, created) VALUES (?, ?, ?)
		ON CONFLICT(prefix) DO UPDATE SET reason = excluded.reason`, p.String(), sanitize(reason, maxReasonBytes), ms(now))
	var seq int64
	if err == nil {
		seq, err = nextSeq(ctx, tx)
	}
	for i := range lift {
		if err == nil {
			err = liftBan(ctx, tx, lift[i].ID, now, "allowlisted", seq)
		}
		if err == nil && k.rdb != nil {
			err = addOutbox(ctx, tx, opUnban, lift[i].ID, now)
		}
		lift[i].Lifted, lift[i].LiftedBy = now.UTC(), "allowlisted"
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return nil, fmt.Errorf("allowing %s: %w", p, err)
	}
	if err := k.reloadAllowlist(ctx); err != nil {
		return nil, fmt.Errorf("allowing %s: %w", p, err)
	}
	for _, b := range lift {
		k.idx.remove(b.Target, b.ID)
		k.announceUnban(ctx, b)
	}
	k.kickRedis()
	k.emit(event.Event{Kind: event.KindEvent, Category: event.CategoryConfiguration, Type: "change",
		Action: "allowlist-add", Outcome: event.OutcomeSuccess, Message: fmt.Sprintf("allowlisted %s: %s", p, reason),
		Labels: map[string]string{"allow_prefix": p.String()}})
	return lift, nil
}

// Disallow removes a runtime entry from the allowlist. Configured entries
// give an error saying to edit bulwark.yaml; unknown ones [ErrNotFound].
func (k *Book) Disallow(ctx context.Context, cidr string) error {
	p, err := clientip.ParsePrefix(cidr)
	if err != nil {
		return fmt.Errorf("%w: removing %s from the allowlist: %v", ErrBadTarget, clip(cidr, 80), err)
	}
	if slices.Contains(k.cfg.allowlist(), p) {
		return fmt.Errorf("removing %s from the allowlist: %w; edit blackbook.allowlist in bulwark.yaml", p, ErrConfigured)
	}
	res, err := k.db.ExecContext(ctx, `DELETE FROM blackbook_allowlist WHERE prefix = ?`, p.String())
	if err != nil {
		return fmt.Errorf("removing %s from the allowlist: %w", p, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("removing %s from the allowlist: %w", p, ErrNotFound)
	}
	if err := k.reloadAllowlist(ctx); err != nil {
		return err
	}
	k.emit(event.Event{Kind: event.KindEvent, Category: event.CategoryConfiguration, Type: "change",
		Action: "allowlist-remove", Outcome: event.OutcomeSuccess, Message: fmt.Sprintf("removed %s from the allowlist", p),
		Labels: map[string]string{"allow_prefix": p.String()}})
	return nil
}

// reloadAllowlist reads the runtime entries and gives the index the union
// with the configured ones.
func (k *Book) reloadAllowlist(ctx context.Context) error {
	rows, err := k.db.QueryContext(ctx, `SELECT prefix FROM blackbook_allowlist`)
	if err != nil {
		return err
	}
	defer rows.Close()
	ps := k.cfg.allowlist()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			ps = append(ps, p)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	k.allowMu.Lock()
	defer k.allowMu.Unlock()
	if !slices.Equal(ps, k.allowDB) {
		k.allowDB = ps
		k.idx.setAllow(ps)
	}
	return nil
}
