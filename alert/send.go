package alert

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// Delivery retries: the n-th failure waits retryBase×2^(n-1), at most
// retryMax; after maxAttempts the notification is given up (about 4.5h of
// trying).
const (
	retryBase   = 10 * time.Second
	retryMax    = 10 * time.Minute
	maxAttempts = 30
	attemptMax  = 2 * time.Minute // bound on one Notify call
)

func backoff(attempts int) time.Duration {
	d := retryBase
	for i := 1; i < attempts && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// send delivers the outbox rows of one notifier as they fall due. It is
// owned by the Alerter and ends with Close.
func (a *Alerter) send(name string, n Notifier, wake chan struct{}) {
	defer a.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		d := time.Hour
		if next, ok := a.deliver(name, n); ok {
			d = max(next.Sub(a.now()), 0)
		}
		timer.Reset(d)
		select {
		case <-a.ctx.Done():
			return
		case <-wake:
		case <-timer.C:
		}
	}
}

// deliver sends every due row and returns when the next one is due.
func (a *Alerter) deliver(name string, n Notifier) (time.Time, bool) {
	for a.ctx.Err() == nil {
		rows, err := a.store.due(a.ctx, name, a.now(), 16)
		if err != nil {
			a.storeFailed(name, err)
			return a.now().Add(storeRetry), true
		}
		if len(rows) == 0 {
			break
		}
		for _, row := range rows {
			if a.ctx.Err() != nil {
				break
			}
			a.deliverOne(name, n, row)
		}
	}
	next, ok, err := a.store.next(a.ctx, name)
	if err != nil {
		a.storeFailed(name, err)
		return a.now().Add(storeRetry), true
	}
	return next, ok
}

func (a *Alerter) storeFailed(name string, err error) {
	if a.ctx.Err() == nil {
		a.log.LogAttrs(a.ctx, slog.LevelError, "alert outbox unreadable", slog.String("notifier", name),
			slog.String("error", err.Error()))
	}
}

func (a *Alerter) deliverOne(name string, n Notifier, row outboxRow) {
	var note Notification
	if err := json.Unmarshal([]byte(row.payload), &note); err != nil {
		a.giveUp(name, row, note, errors.New("unreadable notification in the outbox: "+err.Error()))
		return
	}
	ctx, cancel := context.WithTimeout(a.ctx, attemptMax)
	err := n.Notify(ctx, note)
	cancel()
	if err == nil {
		if err := a.store.done(a.ctx, row.id); err != nil {
			a.storeFailed(name, err) // it will be sent again
		}
		a.log.LogAttrs(a.ctx, slog.LevelInfo, "notification sent", slog.String("notifier", name),
			slog.String("rule", note.Rule), slog.String("notification", note.ID), slog.Int("attempts", row.attempts+1))
		return
	}
	if a.ctx.Err() != nil {
		return // closing: the row stays as it was for the next start
	}
	attempts := row.attempts + 1
	if IsPermanent(err) || attempts >= maxAttempts {
		a.giveUp(name, row, note, err)
		return
	}
	delay := backoff(attempts)
	var ra *retryAfter
	if errors.As(err, &ra) {
		delay = max(delay, min(ra.after, time.Hour))
	}
	if serr := a.store.retry(a.ctx, row.id, attempts, a.now().Add(delay), err.Error()); serr != nil {
		a.storeFailed(name, serr)
	}
	a.log.LogAttrs(a.ctx, slog.LevelWarn, "notification failed; will retry", slog.String("notifier", name),
		slog.String("rule", note.Rule), slog.Int("attempts", attempts), slog.Duration("retry_in", delay),
		slog.String("error", err.Error()))
}

func (a *Alerter) giveUp(name string, row outboxRow, note Notification, err error) {
	if serr := a.store.done(a.ctx, row.id); serr != nil {
		a.storeFailed(name, serr)
	}
	a.log.LogAttrs(a.ctx, slog.LevelError, "notification given up", slog.String("notifier", name),
		slog.String("rule", note.Rule), slog.Int("attempts", row.attempts+1), slog.String("error", err.Error()))
	a.publish(event.Event{Time: a.now(), Kind: event.KindEvent, Type: "error", Action: "notification-failed",
		Outcome: event.OutcomeFailure, Severity: event.SeverityHigh,
		Message:  "notifier " + name + " could not deliver a notification of rule " + note.Rule + ": " + err.Error(),
		RuleName: note.Rule,
		Labels:   map[string]string{"alert_rule": note.Rule, "notifier": name, "attempts": strconv.Itoa(row.attempts + 1)}})
}
