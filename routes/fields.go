package routes

import (
	"slices"
	"time"
)

// A Field is one input of a request as the inspection engine names it
// ("query:id", "form:title", "json:$.article.body", "cookie:theme"): the
// type and length of its value, never the value.
type Field struct {
	Where string
	Type  FieldType
	Len   int
}

// FieldOf describes a value of the field where. A password field's value is
// not looked at.
func FieldOf(where, value string) Field {
	if IsPasswordName(where) {
		return Field{Where: where, Type: TypePassword}
	}
	return Field{Where: where, Type: TypeOf(value), Len: len(value)}
}

// A FieldProfile is what a route's field was seen to hold. Values are
// never kept: only how many were of each type.
type FieldProfile struct {
	// Type is the learned type; empty while the evidence is thin.
	Type FieldType `json:"type,omitempty"`
	// Counts are the values seen by their narrowest type.
	Counts    map[FieldType]uint64 `json:"counts"`
	Clients   int                  `json:"clients"`
	MaxLen    int                  `json:"maxLen"`
	FirstSeen time.Time            `json:"firstSeen"`
	LastSeen  time.Time            `json:"lastSeen"`
	// ClientKeys are hashes of the distinct clients, up to maxClients;
	// TypeClients those that sent values of each type.
	ClientKeys  []uint32               `json:"clientKeys,omitempty"`
	TypeClients map[FieldType][]uint32 `json:"typeClients,omitempty"`
}

const (
	// maxFields bounds the fields profiled per route.
	maxFields = 64
	// A type is learned from at least profileSamples values sent by at
	// least profileClients distinct clients, and covers all but
	// profileSlack of them: one client, or a few odd values, cannot teach
	// a field's type, and poisoning it takes many addresses.
	profileSamples = 20
	profileClients = 5
	profileSlack   = 0.02
	// typeClients: values of a type sent by fewer distinct clients are
	// outliers, which neither widen nor narrow the type: one client's
	// thousand values weigh no more than its one.
	typeClients = 3
)

// learn counts one value of the field, of type t and n bytes long.
func (p *FieldProfile) learn(t FieldType, n int, client uint32, at time.Time) {
	if t == "" {
		return
	}
	if p.Counts == nil {
		p.Counts = make(map[FieldType]uint64)
	}
	p.Counts[t]++
	p.age()
	p.MaxLen = max(p.MaxLen, n)
	if p.FirstSeen.IsZero() {
		p.FirstSeen = at
	}
	p.LastSeen = at
	if len(p.ClientKeys) < maxClients && !slices.Contains(p.ClientKeys, client) {
		p.ClientKeys = append(p.ClientKeys, client)
		p.Clients = len(p.ClientKeys)
	}
	if p.TypeClients == nil {
		p.TypeClients = make(map[FieldType][]uint32)
	}
	if cs := p.TypeClients[t]; len(cs) < maxClients && !slices.Contains(cs, client) {
		p.TypeClients[t] = append(cs, client)
	}
	p.Type = p.decide()
}

// profileMemory is how many values a profile weighs: past it every count
// is halved, so what a field holds now outweighs what it held long ago (an
// id that became a slug is learned as such in a few thousand requests).
const profileMemory = 4096

func (p *FieldProfile) age() {
	var total uint64
	for _, n := range p.Counts {
		total += n
	}
	if total <= profileMemory {
		return
	}
	for t, n := range p.Counts {
		if n /= 2; n == 0 {
			delete(p.Counts, t)
		} else {
			p.Counts[t] = n
		}
	}
}

// decide returns the narrowest type covering all but profileSlack of the
// values of the types several clients sent, or "" while there are too few
// values or clients.
func (p *FieldProfile) decide() FieldType {
	var total uint64
	for t, n := range p.Counts {
		if len(p.TypeClients[t]) >= typeClients {
			total += n
		}
	}
	if total < profileSamples || p.Clients < profileClients {
		return ""
	}
	for _, t := range fieldTypes {
		var n uint64
		for narrow, c := range p.Counts {
			if covers(t, narrow) && len(p.TypeClients[narrow]) >= typeClients {
				n += c
			}
		}
		if float64(n) >= (1-profileSlack)*float64(total) {
			return t
		}
	}
	return TypeRichText
}

// learnFields counts the fields of a request that passed inspection
// clean. Password fields are typed by name and their values never read.
// The caller holds the lock.
func (r *Route) learnFields(fields []Field, client uint32, at time.Time) {
	for _, f := range fields {
		p := r.Fields[f.Where]
		if p == nil {
			if len(r.Fields) >= maxFields && !r.dropLoneField() {
				continue
			}
			if r.Fields == nil {
				r.Fields = make(map[string]*FieldProfile)
			}
			p = &FieldProfile{}
			r.Fields[f.Where] = p
		}
		if f.Type == TypePassword {
			p.Type = TypePassword
			p.LastSeen = at
			continue
		}
		p.learn(f.Type, f.Len, client, at)
	}
}

// types returns the learned types of r's fields.
func (r *Route) types() map[string]FieldType {
	var m map[string]FieldType
	for where, p := range r.Fields {
		if p.Type == "" {
			continue
		}
		if m == nil {
			m = make(map[string]FieldType, len(r.Fields))
		}
		m[where] = p.Type
	}
	return m
}

// FieldTypes returns the learned types of the fields of the route a
// request for method and path takes, by where; nil if none is known.
func (inv *Inventory) FieldTypes(method, path string) map[string]FieldType {
	segs := split(path)
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if tmpl, ok := inv.declared.match(method, segs); ok {
		if r := inv.byDecl[routeKey{method, tmpl}]; r != nil {
			return r.typeCache()
		}
		return nil
	}
	if n, _ := inv.tree.find(segs); n != nil {
		if r := n.routes[method]; r != nil {
			return r.typeCache()
		}
	}
	return nil
}

// typeCache returns r's learned types, rebuilt only after learning
// changed one. The map returned is never changed afterwards.
func (r *Route) typeCache() map[string]FieldType {
	if r.typesStale || r.cachedTypes == nil && len(r.Fields) > 0 {
		r.cachedTypes = r.types()
		r.typesStale = false
	}
	return r.cachedTypes
}

// merge adds o's counts to p.
func (p *FieldProfile) merge(o *FieldProfile) {
	if p.Type == TypePassword || o.Type == TypePassword {
		p.Type = TypePassword
		return
	}
	if p.Counts == nil {
		p.Counts = make(map[FieldType]uint64)
	}
	for t, n := range o.Counts {
		p.Counts[t] += n
	}
	p.MaxLen = max(p.MaxLen, o.MaxLen)
	if p.FirstSeen.IsZero() || (!o.FirstSeen.IsZero() && o.FirstSeen.Before(p.FirstSeen)) {
		p.FirstSeen = o.FirstSeen
	}
	if o.LastSeen.After(p.LastSeen) {
		p.LastSeen = o.LastSeen
	}
	for _, c := range o.ClientKeys {
		if len(p.ClientKeys) < maxClients && !slices.Contains(p.ClientKeys, c) {
			p.ClientKeys = append(p.ClientKeys, c)
		}
	}
	p.Clients = len(p.ClientKeys)
	for t, cs := range o.TypeClients {
		if p.TypeClients == nil {
			p.TypeClients = make(map[FieldType][]uint32)
		}
		for _, c := range cs {
			if len(p.TypeClients[t]) < maxClients && !slices.Contains(p.TypeClients[t], c) {
				p.TypeClients[t] = append(p.TypeClients[t], c)
			}
		}
	}
	p.Type = p.decide()
}

// dropLoneField makes room among a route's full field profiles by dropping
// one that a single client ever sent: junk parameters one client makes up
// cannot keep the app's real fields from being learned. It reports whether
// it dropped one.
func (r *Route) dropLoneField() bool {
	for where, p := range r.Fields {
		if p.Type != TypePassword && p.Clients <= 1 {
			delete(r.Fields, where)
			return true
		}
	}
	return false
}
