package blackbook

import (
	"net/netip"
	"slices"
	"sync"
	"time"
)

// An index holds the bans in force in memory, so that a lookup costs a few
// map probes and allocates nothing. IPv4 and IPv6 are kept apart: one map for
// single addresses, one per distinct prefix length in use for CIDR bans, one
// for users. For IPv4 a count of bans per /16 lets the common case, an
// address in a /16 with no ban at all, be answered with one array read. It is
// safe for concurrent use.
type index struct {
	mu     sync.RWMutex
	ips4   map[uint32]*Ban
	ips6   map[[16]byte]*Ban
	nets4  []*netSet4 // most specific first
	nets6  []*netSet6
	cover4 []uint32 // bans touching each IPv4 /16, indexed by its top 16 bits
	users  map[string]*Ban
	allow  []netip.Prefix // never banned, whatever a ban says
}

// A netSet4 holds the IPv4 CIDR bans of one prefix length, keyed by the
// masked address.
type netSet4 struct {
	bits int
	mask uint32
	m    map[uint32]*Ban
}

// A netSet6 is the same for IPv6.
type netSet6 struct {
	bits int
	mask [16]byte
	m    map[[16]byte]*Ban
}

func newIndex() *index {
	return &index{
		ips4: make(map[uint32]*Ban), ips6: make(map[[16]byte]*Ban),
		cover4: make([]uint32, 1<<16), users: make(map[string]*Ban),
	}
}

func v4key(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func mask4(bits int) uint32 { return ^uint32(0) << (32 - bits) }

func mask6(bits int) (m [16]byte) {
	for i := range m {
		switch {
		case bits >= 8:
			m[i] = 0xff
			bits -= 8
		case bits > 0:
			m[i] = ^byte(0xff >> bits)
			bits = 0
		}
	}
	return m
}

// banned returns the ban in force for a, if any. now is called only when a
// ban matches, so the common path reads no clock.
func (x *index) banned(a netip.Addr, now func() time.Time) (Ban, bool) {
	if !a.IsValid() {
		return Ban{}, false
	}
	a = a.Unmap()
	x.mu.RLock()
	defer x.mu.RUnlock()
	var b *Ban
	if a.Is4() {
		b = x.match4(v4key(a))
	} else {
		b = x.match6(a.As16())
	}
	if b != nil && x.enforced(b, a, now) {
		return *b, true
	}
	if b != nil {
		// The most specific match is not in force (expired, or the address
		// is allowlisted): look at every match.
		for _, c := range x.matches(a) {
			if x.enforced(c, a, now) {
				return *c, true
			}
		}
	}
	return Ban{}, false
}

func (x *index) match4(k uint32) *Ban {
	if x.cover4[k>>16] == 0 {
		return nil
	}
	if b := x.ips4[k]; b != nil {
		return b
	}
	for _, n := range x.nets4 {
		if b := n.m[k&n.mask]; b != nil {
			return b
		}
	}
	return nil
}

func (x *index) match6(k [16]byte) *Ban {
	if b := x.ips6[k]; b != nil {
		return b
	}
	for _, n := range x.nets6 {
		var mk [16]byte
		for i := range mk {
			mk[i] = k[i] & n.mask[i]
		}
		if b := n.m[mk]; b != nil {
			return b
		}
	}
	return nil
}

// matches returns every ban matching a, most specific first; x.mu is held.
func (x *index) matches(a netip.Addr) []*Ban {
	var out []*Ban
	if a.Is4() {
		k := v4key(a)
		if b := x.ips4[k]; b != nil {
			out = append(out, b)
		}
		for _, n := range x.nets4 {
			if b := n.m[k&n.mask]; b != nil {
				out = append(out, b)
			}
		}
		return out
	}
	k := a.As16()
	if b := x.ips6[k]; b != nil {
		out = append(out, b)
	}
	for _, n := range x.nets6 {
		var mk [16]byte
		for i := range mk {
			mk[i] = k[i] & n.mask[i]
		}
		if b := n.m[mk]; b != nil {
			out = append(out, b)
		}
	}
	return out
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
	p := t.prefix
	switch {
	case t.Kind() == KindUser:
		return x.users[t.user]
	case !p.IsValid():
		return nil
	case p.Addr().Is4() && p.IsSingleIP():
		return x.ips4[v4key(p.Addr())]
	case p.IsSingleIP():
		return x.ips6[p.Addr().As16()]
	case p.Addr().Is4():
		if n := x.set4(p.Bits(), false); n != nil {
			return n.m[v4key(p.Addr())]
		}
	default:
		if n := x.set6(p.Bits(), false); n != nil {
			return n.m[p.Addr().As16()]
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
	p := t.prefix
	if t.Kind() == KindUser {
		x.users[t.user] = &b
		return
	}
	if !p.IsValid() {
		return
	}
	if p.Addr().Is4() && x.lookup(t) == nil {
		x.cover(p, 1)
	}
	switch {
	case p.Addr().Is4() && p.IsSingleIP():
		x.ips4[v4key(p.Addr())] = &b
	case p.IsSingleIP():
		x.ips6[p.Addr().As16()] = &b
	case p.Addr().Is4():
		x.set4(p.Bits(), true).m[v4key(p.Addr())] = &b
	default:
		x.set6(p.Bits(), true).m[p.Addr().As16()] = &b
	}
}

// cover adds d to the count of every /16 that the IPv4 prefix p touches.
func (x *index) cover(p netip.Prefix, d int) {
	k := v4key(p.Addr()) >> 16
	n := uint32(1)
	if p.Bits() < 16 {
		n = 1 << (16 - p.Bits())
	}
	for i := uint32(0); i < n; i++ {
		x.cover4[k+i] += uint32(d)
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
	p := t.prefix
	switch {
	case t.Kind() == KindUser:
		delete(x.users, t.user)
		return
	case p.Addr().Is4() && p.IsSingleIP():
		delete(x.ips4, v4key(p.Addr()))
	case p.IsSingleIP():
		delete(x.ips6, p.Addr().As16())
	case p.Addr().Is4():
		n := x.set4(p.Bits(), false)
		delete(n.m, v4key(p.Addr()))
		if len(n.m) == 0 {
			x.nets4 = slices.DeleteFunc(x.nets4, func(s *netSet4) bool { return s == n })
		}
	default:
		n := x.set6(p.Bits(), false)
		delete(n.m, p.Addr().As16())
		if len(n.m) == 0 {
			x.nets6 = slices.DeleteFunc(x.nets6, func(s *netSet6) bool { return s == n })
		}
	}
	if p.Addr().Is4() {
		x.cover(p, -1)
	}
}

// set4 returns the IPv4 set of a prefix length, creating it if asked.
func (x *index) set4(bits int, create bool) *netSet4 {
	for _, n := range x.nets4 {
		if n.bits == bits {
			return n
		}
	}
	if !create {
		return nil
	}
	n := &netSet4{bits: bits, mask: mask4(bits), m: make(map[uint32]*Ban)}
	x.nets4 = append(x.nets4, n)
	slices.SortStableFunc(x.nets4, func(a, b *netSet4) int { return b.bits - a.bits })
	return n
}

// set6 returns the IPv6 set of a prefix length, creating it if asked.
func (x *index) set6(bits int, create bool) *netSet6 {
	for _, n := range x.nets6 {
		if n.bits == bits {
			return n
		}
	}
	if !create {
		return nil
	}
	n := &netSet6{bits: bits, mask: mask6(bits), m: make(map[[16]byte]*Ban)}
	x.nets6 = append(x.nets6, n)
	slices.SortStableFunc(x.nets6, func(a, b *netSet6) int { return b.bits - a.bits })
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
	out := make([]Ban, 0, len(x.ips4)+len(x.ips6)+len(x.users))
	for _, b := range x.ips4 {
		out = append(out, *b)
	}
	for _, b := range x.ips6 {
		out = append(out, *b)
	}
	for _, n := range x.nets4 {
		for _, b := range n.m {
			out = append(out, *b)
		}
	}
	for _, n := range x.nets6 {
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
