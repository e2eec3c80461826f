package alert

import (
	"context"
	"fmt"
	"time"
)

// Flush notifies every waiting group now, as if its group wait had passed,
// and waits until the outbox is delivered or ctx ends. It is for
// short-lived commands (bulwark audit --monitor) that publish their events,
// close the bus, and must not exit before their notifications leave; a
// gateway never needs it. Notifications still pending when ctx ends stay in
// the outbox for the next Alerter on the store.
func (a *Alerter) Flush(ctx context.Context) error {
	a.mu.Lock()
	now := a.now()
	for _, g := range a.groups {
		if g.nextFlush.After(now) {
			g.nextFlush = now
		}
	}
	a.mu.Unlock()
	poke(a.wake)
	for {
		due := a.dueGroups(now)
		pending, err := a.store.pending(ctx)
		if err != nil {
			return err
		}
		n := 0
		for name, c := range pending {
			if _, ok := a.notifiers[name]; ok { // no one sends the rows of a notifier gone from the config
				n += c
			}
		}
		if n == 0 && !due {
			return nil
		}
		select {
		case <-ctx.Done():
			if due {
				return fmt.Errorf("alerts: notifications not yet stored, and %d stored but not delivered: %w", n, ctx.Err())
			}
			return fmt.Errorf("alerts: %d notification(s) not delivered yet: %w", n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// dueGroups reports whether a group is still due at or before t, that is
// not yet flushed by the loop, or flushed but its notification not yet in
// the outbox (the loop stores it after letting go of the lock, or failed
// to and will try again).
func (a *Alerter) dueGroups(t time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, g := range a.groups {
		if g.unstored || !g.nextFlush.After(t) {
			return true
		}
	}
	return false
}
