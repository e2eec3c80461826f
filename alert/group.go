package alert

import (
	"bytes"
	"cmp"
	"slices"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// An alertState is one key of a rule over its threshold.
type alertState struct {
	key        string
	labels     map[string]string
	startsAt   time.Time
	lastActive time.Time // last event that kept it over the threshold
	endsAt     time.Time
	count      int
	message    string

	resolved  bool // no event for the resolve timeout
	notified  bool // its firing was told (or silenced by inhibition)
	inhibited bool
}

// A group gathers the alerts of one rule that share their groupBy values;
// each notification is about one group.
type group struct {
	rule         *Rule
	key          string
	labels       map[string]string
	alerts       map[string]*alertState
	nextFlush    time.Time
	lastNotified time.Time // zero: never
	unstored     bool      // flushed by the loop, its plan not yet stored
}

// A plan is what one flush of a group decided: the notification to store
// and send (if any), and the marks to apply once it is stored.
type plan struct {
	g        *group
	n        *Notification
	told     []*alertState // firing alerts told in n
	resolved []*alertState // resolved alerts told in n, or to forget
	state    *groupState   // to store; nil with remove
	remove   bool          // the group is empty: forget it
}

// flush decides what the group's notification at now says. isInhibited
// reports whether another rule's firing alert silences an alert. It is
// called with the alerter's lock held and changes only resolution and
// inhibition marks; the rest is applied by apply once stored.
func (g *group) flush(now time.Time, isInhibited func(*Rule, *alertState) bool) plan {
	p := plan{g: g}
	var firing, fresh []*alertState
	for _, a := range g.alerts {
		if !a.resolved && !now.Before(a.lastActive.Add(g.rule.Route.ResolveTimeout)) {
			a.resolved, a.endsAt = true, a.lastActive.Add(g.rule.Route.ResolveTimeout)
		}
		switch {
		case a.resolved:
			p.resolved = append(p.resolved, a)
		case a.inhibited:
		case !a.notified && isInhibited(g.rule, a):
			a.inhibited, a.notified = true, true
		default:
			firing = append(firing, a)
			if !a.notified {
				fresh = append(fresh, a)
			}
		}
	}
	var toldResolved []*alertState
	for _, a := range p.resolved {
		switch {
		case a.inhibited:
		case !a.notified: // it fired and stopped between two flushes: still news
			toldResolved = append(toldResolved, a)
		case g.rule.SendResolved:
			toldResolved = append(toldResolved, a)
		}
	}
	repeat := len(firing) > 0 && !g.lastNotified.IsZero() && now.Sub(g.lastNotified) >= g.rule.Route.RepeatInterval
	if len(fresh) > 0 || len(toldResolved) > 0 || repeat {
		p.n = g.notification(now, firing, toldResolved)
		p.told = firing
	}
	p.remove = len(p.resolved) == len(g.alerts)
	if !p.remove && p.n != nil {
		p.state = g.stateAfter(now, firing)
	}
	return p
}

// apply marks what p told, once stored, and forgets resolved alerts. It is
// called with the alerter's lock held.
func (p plan) apply(now time.Time) {
	if p.n != nil {
		p.g.lastNotified = now
	}
	for _, a := range p.told {
		a.notified = true
	}
	for _, a := range p.resolved {
		if a.resolved { // else an event made it fire again meanwhile
			delete(p.g.alerts, a.key)
		}
	}
}

func (g *group) notification(now time.Time, firing, resolved []*alertState) *Notification {
	n := &Notification{ID: event.NewID(), Rule: g.rule.Name, Status: StatusResolved,
		Severity: g.rule.Severity.String(), GroupLabels: g.labels, Time: now}
	if len(firing) > 0 {
		n.Status = StatusFiring
	}
	all := append(slices.Clone(firing), resolved...)
	slices.SortFunc(all, func(a, b *alertState) int {
		return cmp.Or(a.startsAt.Compare(b.startsAt), cmp.Compare(a.key, b.key))
	})
	for _, a := range all {
		al := Alert{Status: StatusFiring, Labels: a.labels, StartsAt: a.startsAt, Count: a.count, Message: a.message}
		if a.resolved {
			al.Status, al.EndsAt = StatusResolved, a.endsAt
		}
		n.Alerts = append(n.Alerts, al)
	}
	var b bytes.Buffer
	if err := g.rule.summary.Execute(&b, n); err != nil {
		b.Reset()
		b.WriteString(g.rule.Name + ": " + err.Error())
	}
	n.Summary = b.String()
	b.Reset()
	if err := g.rule.description.Execute(&b, n); err == nil {
		n.Description = b.String()
	}
	return n
}

// sharedEqual reports whether two alerts agree on every countBy field
// their rules share, and share at least one.
func sharedEqual(r *Rule, a *alertState, o *Rule, b *alertState) bool {
	shared := false
	for _, f := range r.CountBy {
		if slices.Contains(o.CountBy, f) {
			if a.labels[f] != b.labels[f] {
				return false
			}
			shared = true
		}
	}
	return shared
}
