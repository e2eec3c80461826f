package blackbook

import (
	"net/netip"
	"sort"
	"sync"
	"time"
)

// An index holds the bans in force in memory, so that a lookup costs a few
// map probes and allocates nothing: one map for single addresses, one per
// distinct prefix length in use for CIDR bans, one for users. It is safe for
// concurrent use.
type index struct {
	mu    sync.RWMutex
	ips   map[[16]byte]*Ban
	nets  []*netSet // most specific first
	users map[string]*Ban
	allow []netip.Prefix // never banned, whatever a ban says
}

// A netSet holds the CIDR bans of one family and prefix length, keyed by
// the masked address.
type netSet struct {
	v4   bool
	bits int // of the address's own family
	mask [16]byte
	m    map[[16]byte]*Ban
}

func newIndex() *index {
	return &index{ips: make(map[[16]byte]*Ban), users: make(map[string]*Ban)}
}

// banned returns the ban in force for a, if any. now is called only when a
// ban matches, so the common path reads no clock.
func (x *index) banned(a netip.Addr, now func() time.Time) (Ban, bool) {
	if !a.IsValid() {
		return Ban{}, false
	}
	a = a.Unmap()
	k := a.As16()
	is4 := a.Is4()
	x.mu.RLock()
	defer x.mu.RUnlock()
	if b := x.ips[k]; b != nil && x.enforced(b, a, now) {
		return *b, true
	}
	for _, n := range x.nets {
		if n.v4 != is4 {
			continue
		}
		var mk [16]byte
		for i := range mk {
			mk[i] = k[i] & n.mask[i]
		}
		if b := n.m[mk]; b != nil && x.enforced(b, a, now) {
			return *b, true
		}
	}
	return Ban{}, false
}

// enforced reports whether b, which matches a, is in force; x.mu is held.
func (x *index) enforced(b *Ban, a netip.Addr, now func() time.Time) bool {
	if !b.Expires.IsZero() && !now().Before(b.Expires) {
		return false
	}
	for _, p := range x.allow {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

func (x *index) bannedUser(name string, now func() time.Time) (Ban, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	b := x.users[name]
	if b == nil || (!b.Expires.IsZero() && !now().Before(b.Expires)) {
		return Ban{}, false
	}
	return *b, true
}

// get returns the ban held for t, expired or not.
func (x *index) get(t Target) (Ban, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if b := x.lookup(t); b != nil {
		return *b, true
	}
	return Ban{}, false
}

func (x *index) lookup(t Target) *Ban {
	switch t.Kind() {
	case KindUser:
		return x.users[t.user]
	case KindIP:
		return x.ips[t.prefix.Addr().As16()]
	case KindCIDR:
		if n := x.set(t.prefix, false); n != nil {
			return n.m[t.prefix.Addr().As16()]
		}
	}
	return nil
}

// put holds b as the ban of its target, replacing any other.
func (x *index) put(b Ban) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.putLocked(b)
}

func (x *index) putLocked(b Ban) {
	t := b.Target
	switch t.Kind() {
	case KindUser:
		x.users[t.user] = &b
	case KindIP:
		x.ips[t.prefix.Addr().As16()] = &b
	case KindCIDR:
		x.set(t.prefix, true).m[t.prefix.Addr().As16()] = &b
	}
}

// remove drops the ban of t if its id is id, or whatever it is if id is "".
func (x *index) remove(t Target, id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeLocked(t, id)
}

func (x *index) removeLocked(t Target, id string) {
	b := x.lookup(t)
	if b == nil || (id != "" && b.ID != id) {
		return
	}
	switch t.Kind() {
	case KindUser:
		delete(x.users, t.user)
	case KindIP:
		delete(x.ips, t.prefix.Addr().As16())
	case KindCIDR:
		n := x.set(t.prefix, false)
		delete(n.m, t.prefix.Addr().As16())
		if len(n.m) == 0 {
			x.nets = deleteSet(x.nets, n)
		}
	}
}

func deleteSet(sets []*netSet, n *netSet) []*netSet {
	out := sets[:0]
	for _, s := range sets {
		if s != n {
			out = append(out, s)
		}
	}
	return out
}

// set returns the netSet for p's family and length, creating it if asked.
func (x *index) set(p netip.Prefix, create bool) *netSet {
	v4 := p.Addr().Is4()
	for _, n := range x.nets {
		if n.v4 == v4 && n.bits == p.Bits() {
			return n
		}
	}
	if !create {
		return nil
	}
	n := &netSet{v4: v4, bits: p.Bits(), m: make(map[[16]byte]*Ban)}
	bits := p.Bits()
	if v4 {
		bits += 96
	}
	for i := range n.mask {
		switch {
		case bits >= 8:
			n.mask[i] = 0xff
			bits -= 8
		case bits > 0:
			n.mask[i] = ^byte(0xff >> bits)
			bits = 0
		}
	}
	x.nets = append(x.nets, n)
	sort.SliceStable(x.nets, func(i, j int) bool { return x.nets[i].bits > x.nets[j].bits })
	return n
}

// setAllow replaces the allowlist.
func (x *index) setAllow(ps []netip.Prefix) {
	x.mu.Lock()
	x.allow = ps
	x.mu.Unlock()
}

// allowed reports whether t lies inside the allowlist.
func (x *index) allowed(t Target) bool {
	if !t.prefix.IsValid() {
		return false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, p := range x.allow {
		if p.Bits() <= t.prefix.Bits() && p.Contains(t.prefix.Addr()) {
			return true
		}
	}
	return false
}

// all returns every ban held.
func (x *index) all() []Ban {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]Ban, 0, len(x.ips)+len(x.users))
	for _, b := range x.ips {
		out = append(out, *b)
	}
	for _, n := range x.nets {
		for _, b := range n.m {
			out = append(out, *b)
		}
	}
	for _, b := range x.users {
		out = append(out, *b)
	}
	return out
}

// sweep drops the bans expired at now and returns how many.
func (x *index) sweep(now time.Time) int {
	var gone []Ban
	for _, b := range x.all() {
		if !b.Active(now) {
			gone = append(gone, b)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, b := range gone {
		x.removeLocked(b.Target, b.ID)
	}
	return len(gone)
}
