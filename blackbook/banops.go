package blackbook

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// Ban bans a target. The ban is durable in the store before Ban returns,
// then enforced here, then (with Redis) shared. Without Exact, its length is
// escalated for repeat offenders, and a ban in force that outlasts it is
// kept and returned instead. An allowlisted target gives [ErrAllowlisted].
func (k *Book) Ban(ctx context.Context, req BanRequest) (Ban, error) {
	if k.closed.Load() {
		return Ban{}, ErrClosed
	}
	t := req.Target
	if t.IsZero() {
		return Ban{}, fmt.Errorf("%w: no target given", ErrBadTarget)
	}
	if req.Duration < 0 {
		return Ban{}, fmt.Errorf("banning %s: duration must be positive, got %s", t, config.FormatDuration(req.Duration))
	}
	if k.idx.allowed(t) {
		return Ban{}, fmt.Errorf("banning %s: %w; remove it from the allowlist first", t, ErrAllowlisted)
	}
	now := k.now()
	base := req.Duration
	if base == 0 {
		base = k.cfg.DefaultDuration
	}
	source := sanitize(req.Source, maxLabelBytes)
	if source == "" {
		source = "api"
	}

	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return Ban{}, fmt.Errorf("banning %s: %w", t, err)
	}
	defer tx.Rollback()
	var repeat int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM blackbook_bans WHERE target = ? AND created > ?`,
		t.String(), ms(now.Add(-k.cfg.Escalation.Window))).Scan(&repeat); err != nil {
		return Ban{}, fmt.Errorf("banning %s: %w", t, err)
	}
	d, permanent := base, req.Permanent
	if !req.Exact && !permanent {
		d, permanent = k.cfg.Escalation.escalate(base, repeat)
	}
	b := Ban{ID: event.NewID(), Target: t, Reason: sanitize(req.Reason, maxReasonBytes), Source: source,
		Created: now.UTC(), Repeat: repeat}
	if !permanent {
		b.Expires = now.Add(d).UTC()
	}
	cur, hasCur, err := currentBan(ctx, tx, t)
	if err != nil {
		return Ban{}, fmt.Errorf("banning %s: %w", t, err)
	}
	if hasCur && cur.Active(now) && !req.Exact && outlasts(cur, b) {
		return cur, nil
	}
	seq, err := nextSeq(ctx, tx)
	if err == nil && hasCur {
		err = liftBan(ctx, tx, cur.ID, now, liftReason(cur, now), seq)
	}
	if err == nil {
		err = insertBan(ctx, tx, b, seq+1)
	}
	if err == nil && k.rdb != nil {
		err = addOutbox(ctx, tx, opBan, b.ID, now)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return Ban{}, fmt.Errorf("banning %s: %w", t, err)
	}
	k.idx.put(b)
	k.kickRedis()
	k.announceBan(ctx, b)
	return b, nil
}

// outlasts reports whether cur stays in force at least as long as b.
func outlasts(cur, b Ban) bool {
	return cur.Permanent() || (!b.Permanent() && !cur.Expires.Before(b.Expires))
}

// Unban lifts the ban in force for t, giving why. It returns the lifted
// ban, or [ErrNotBanned].
func (k *Book) Unban(ctx context.Context, t Target, why string) (Ban, error) {
	if k.closed.Load() {
		return Ban{}, ErrClosed
	}
	now := k.now()
	why = sanitize(why, maxReasonBytes)
	if why == "" {
		why = "unbanned"
	}
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return Ban{}, fmt.Errorf("unbanning %s: %w", t, err)
	}
	defer tx.Rollback()
	cur, ok, err := currentBan(ctx, tx, t)
	if err != nil {
		return Ban{}, fmt.Errorf("unbanning %s: %w", t, err)
	}
	if !ok || !cur.Active(now) {
		return Ban{}, fmt.Errorf("unbanning %s: %w", t, ErrNotBanned)
	}
	seq, err := nextSeq(ctx, tx)
	if err == nil {
		err = liftBan(ctx, tx, cur.ID, now, why, seq)
	}
	if err == nil && k.rdb != nil {
		err = addOutbox(ctx, tx, opUnban, cur.ID, now)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return Ban{}, fmt.Errorf("unbanning %s: %w", t, err)
	}
	cur.Lifted, cur.LiftedBy = now.UTC(), why
	k.idx.remove(t, cur.ID)
	k.kickRedis()
	k.announceUnban(ctx, cur)
	return cur, nil
}

func (k *Book) announceBan(ctx context.Context, b Ban) {
	length := "permanently"
	sev := event.SeverityHigh
	if !b.Permanent() {
		length = "for " + config.FormatDuration(b.Expires.Sub(b.Created).Round(time.Second))
		sev = event.SeverityMedium
	}
	k.log.LogAttrs(ctx, slog.LevelWarn, "ban", slog.String("target", b.Target.String()),
		slog.String("source", b.Source), slog.Time("expires", b.Expires), slog.Int("repeat", b.Repeat),
		slog.String("reason", b.Reason))
	k.emit(banEvent(b, event.KindAlert, "ban", sev,
		fmt.Sprintf("banned %s %s (repeat %d, by %s): %s", b.Target, length, b.Repeat, b.Source, b.Reason)))
}

func (k *Book) announceUnban(ctx context.Context, b Ban) {
	k.log.LogAttrs(ctx, slog.LevelInfo, "unban", slog.String("target", b.Target.String()),
		slog.String("why", b.LiftedBy))
	k.emit(banEvent(b, event.KindEvent, "unban", event.SeverityLow,
		fmt.Sprintf("unbanned %s: %s", b.Target, b.LiftedBy)))
}

// banEvent describes a ban: an address ban is network access denied, a user
// ban a change to the user's access.
func banEvent(b Ban, kind event.Kind, action string, sev event.Severity, msg string) event.Event {
	e := event.Event{
		Kind: kind, Category: event.CategoryNetwork, Type: "denied", Action: action,
		Outcome: event.OutcomeSuccess, Severity: sev, Message: msg, RuleName: b.Source,
		Labels: map[string]string{
			"ban_id": b.ID, "ban_target": b.Target.String(), "ban_source": b.Source,
			"ban_repeat": strconv.Itoa(b.Repeat),
		},
	}
	if action == "unban" {
		e.Type = "allowed"
	}
	switch b.Target.Kind() {
	case KindIP:
		e.SourceIP = b.Target.Prefix().Addr()
	case KindUser:
		e.Category, e.Type, e.UserName = event.CategoryIAM, "change", b.Target.User()
	}
	if !b.Expires.IsZero() {
		e.Labels["ban_expires"] = b.Expires.Format(time.RFC3339)
	}
	return e
}
