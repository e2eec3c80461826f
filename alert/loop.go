package alert

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// storeRetry is how long a flush waits after the store failed.
const storeRetry = 10 * time.Second

// loop flushes groups when their time comes. It is owned by the Alerter
// and ends with Close.
func (a *Alerter) loop() {
	defer a.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		d := time.Hour
		if next := a.tick(); !next.IsZero() {
			d = max(next.Sub(a.now()), 0)
		}
		timer.Reset(d)
		select {
		case <-a.ctx.Done():
			return
		case <-a.wake:
		case <-timer.C:
		}
	}
}

// tick flushes the groups that are due, stores what they notify, and
// returns when the next group is due (zero if there is none).
func (a *Alerter) tick() time.Time {
	now := a.now()
	var plans []plan
	a.mu.Lock()
	for _, g := range a.groups {
		if !now.Before(g.nextFlush) {
			plans = append(plans, g.flush(now, a.inhibited))
			g.nextFlush = now.Add(g.rule.Route.GroupInterval)
			g.unstored = true
		}
	}
	a.mu.Unlock()
	for _, p := range plans {
		a.commit(p, now)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var next time.Time
	for _, g := range a.groups {
		if next.IsZero() || g.nextFlush.Before(next) {
			next = g.nextFlush
		}
	}
	return next
}

// commit stores p (outbox rows and group state in one transaction) and
// only then marks its alerts as told and wakes the senders.
func (a *Alerter) commit(p plan, now time.Time) {
	r := p.g.rule
	if p.n != nil || p.remove || p.state != nil {
		if err := a.store.save(a.ctx, p, r.Notify, now); err != nil {
			a.log.LogAttrs(a.ctx, slog.LevelError, "alert not stored; retrying",
				slog.String("rule", r.Name), slog.String("error", err.Error()))
			a.mu.Lock()
			p.g.nextFlush = now.Add(storeRetry)
			a.mu.Unlock()
			return
		}
	}
	a.mu.Lock()
	p.g.unstored = false
	before := len(p.g.alerts)
	p.apply(now)
	if rs := a.stateOf(r); rs != nil {
		rs.alerts -= before - len(p.g.alerts)
	}
	if len(p.g.alerts) == 0 {
		delete(a.groups, r.Name+"\x00"+p.g.key)
	}
	a.mu.Unlock()
	if p.n == nil {
		return
	}
	for _, name := range r.Notify {
		if c, ok := a.senders[name]; ok {
			poke(c)
		}
	}
	a.log.LogAttrs(a.ctx, slog.LevelInfo, "alert", slog.String("rule", r.Name), slog.String("status", p.n.Status),
		slog.Int("alerts", len(p.n.Alerts)), slog.String("summary", p.n.Summary))
	a.publish(event.Event{Time: now, Kind: event.KindAlert, Type: "info", Action: "alert-" + p.n.Status,
		Severity: r.Severity, Message: p.n.Summary, RuleName: r.Name,
		Labels: map[string]string{"alert_rule": r.Name, "alerts": strconv.Itoa(len(p.n.Alerts)), "notification": p.n.ID}})
}

// inhibited reports whether a firing alert of a rule named in r's
// InhibitedBy agrees with al on their shared countBy fields. It is called
// with the lock held.
func (a *Alerter) inhibited(r *Rule, al *alertState) bool {
	for _, by := range r.InhibitedBy {
		o := a.byName[by]
		if o == nil {
			continue
		}
		for _, g := range a.groups {
			if g.rule != o {
				continue
			}
			for _, b := range g.alerts {
				if !b.resolved && !b.inhibited && sharedEqual(r, al, o, b) {
					return true
				}
			}
		}
	}
	return false
}
