package alert

import (
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// extraLabels are event labels copied into a new alert's labels when set,
// so notifications can say what kind of attack or scenario it was.
var extraLabels = []string{"class", "scenario", "ban_source"}

// Handle evaluates e against every rule. It is an [event.Handler] for the
// bus: it does no I/O, takes one short lock, and returns at once; the
// grouping loop does the rest. Events the alerter published itself are
// ignored.
func (a *Alerter) Handle(e event.Event) {
	if e.Labels["alert_rule"] != "" {
		return
	}
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	for _, rs := range a.rules {
		counted, immediate := rs.rule.selects(&e)
		if !counted && !immediate {
			continue
		}
		key := keyString(&e, rs.rule.CountBy)
		if counted && !rs.counter.add(key, fieldOf(&e, rs.rule.Distinct), now) {
			continue
		}
		a.fire(rs, &e, key, now)
	}
}

// fire records that key of rs's rule is over its threshold at now.
func (a *Alerter) fire(rs *ruleState, e *event.Event, key string, now time.Time) {
	r := rs.rule
	gkey := keyString(e, r.GroupBy)
	id := r.Name + "\x00" + gkey
	g := a.groups[id]
	if g == nil {
		if rs.alerts >= a.maxKeys {
			return
		}
		g = &group{rule: r, key: gkey, labels: labelsOf(e, r.GroupBy), alerts: map[string]*alertState{},
			nextFlush: now.Add(r.Route.GroupWait)}
		a.groups[id] = g
		poke(a.wake)
	}
	al := g.alerts[key]
	if al == nil {
		if rs.alerts >= a.maxKeys {
			return
		}
		labels := labelsOf(e, r.CountBy)
		for _, l := range extraLabels {
			if v := e.Labels[l]; v != "" {
				if labels == nil {
					labels = map[string]string{}
				}
				if _, ok := labels["labels."+l]; !ok {
					labels["labels."+l] = v
				}
			}
		}
		al = &alertState{key: key, labels: labels, startsAt: now}
		g.alerts[key] = al
		rs.alerts++
	}
	al.resolved = false
	al.lastActive = now
	al.count++
	al.message = e.Message
}

// keyString joins the values of fields in e into one map key.
func keyString(e *event.Event, fields []string) string {
	switch len(fields) {
	case 0:
		return ""
	case 1:
		return fieldOf(e, fields[0])
	}
	k := ""
	for i, f := range fields {
		if i > 0 {
			k += "\x00"
		}
		k += fieldOf(e, f)
	}
	return k
}

// labelsOf returns the values of fields in e by name; nil for none.
func labelsOf(e *event.Event, fields []string) map[string]string {
	if len(fields) == 0 {
		return nil
	}
	m := make(map[string]string, len(fields))
	for _, f := range fields {
		m[f] = fieldOf(e, f)
	}
	return m
}
