package routes

import (
	"sync"
	"time"
)

// Options tune an [Inventory].
type Options struct {
	// MaxNodes bounds the learned template tree. If zero, 5000.
	MaxNodes int
	// Learning is how long after the first request the inventory learns
	// quietly; [Inventory.Observe] reports a route that appears after it.
	Learning time.Duration
	// Now is the clock. If nil, time.Now.
	Now func() time.Time
}

// An Inventory is the route surface learned from traffic and declared by
// the app. It is safe for concurrent use.
type Inventory struct {
	opts Options

	mu       sync.Mutex
	tree     *tree
	declared *matcher
	decl     []Declared
	// byDecl holds the routes of requests that matched a declared
	// template, by method and template.
	byDecl   map[routeKey]*Route
	started  time.Time // first request ever (kept in the store)
	overflow uint64    // requests that found the tree full
	dirty    bool
}

type routeKey struct{ method, template string }

// New returns an empty inventory.
func New(opts Options) *Inventory {
	if opts.MaxNodes == 0 {
		opts.MaxNodes = 5000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Inventory{opts: opts, tree: newTree(opts.MaxNodes), declared: newMatcher(nil), byDecl: make(map[routeKey]*Route)}
}

// SetDeclared replaces the declared surface. Requests that match a
// declared template are counted under it from now on.
func (inv *Inventory) SetDeclared(ds []Declared) {
	m := newMatcher(ds)
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.declared, inv.decl = m, append([]Declared(nil), ds...)
}

// Declared returns the declared surface.
func (inv *Inventory) Declared() []Declared {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return append([]Declared(nil), inv.decl...)
}

// Match returns the declared template of a request, if the app declares
// one for its path and method.
func (inv *Inventory) Match(method, path string) (template string, ok bool) {
	inv.mu.Lock()
	m := inv.declared
	inv.mu.Unlock()
	return m.match(method, split(path))
}

// HasDeclared reports whether the app declares any route.
func (inv *Inventory) HasDeclared() bool {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return len(inv.decl) > 0
}

// Observe counts one request. Requests the app answered 404 create
// nothing; those the gateway refused only count as attacks on a template
// already known. isNew reports a route the app does not declare, first seen
// after the learning period: fresh is it.
func (inv *Inventory) Observe(o Observation) (fresh Route, isNew bool) {
	if o.At.IsZero() {
		o.At = inv.opts.Now()
	}
	segs := split(o.Path)
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.started.IsZero() || o.At.Before(inv.started) {
		inv.started = o.At
	}
	learned := o.At.Sub(inv.started) >= inv.opts.Learning
	if tmpl, ok := inv.declared.match(o.Method, segs); ok {
		k := routeKey{o.Method, tmpl}
		r := inv.byDecl[k]
		// A declared route is counted from its first request, even a
		// refused attack: the declared set bounds them.
		if r == nil && (o.Refused && o.Attack || !o.Refused && o.Status != 404) {
			r = &Route{Method: o.Method, Template: tmpl}
			inv.byDecl[k] = r
		}
		inv.count(r, o)
		return Route{}, false
	}
	var n *node
	var tmpl []string
	if o.Refused || o.Status == 404 {
		n, tmpl = inv.tree.find(segs)
	} else {
		var ok bool
		if n, tmpl, ok = inv.tree.walk(segs, o.Client, learned); !ok {
			inv.overflow++
			return Route{}, false
		}
	}
	var r *Route
	if n != nil {
		r = n.routes[o.Method]
		if r == nil && !o.Refused && o.Status != 404 {
			r = &Route{Method: o.Method, Template: join(tmpl)}
			if n.routes == nil {
				n.routes = make(map[string]*Route)
			}
			n.routes[o.Method] = r
			isNew = learned
		}
	}
	inv.count(r, o)
	if isNew {
		return r.snapshot(), true
	}
	return Route{}, false
}

// count adds o to r, if any. The caller holds the lock.
func (inv *Inventory) count(r *Route, o Observation) {
	if r == nil {
		return
	}
	switch {
	case o.Refused:
		if o.Attack {
			r.addAttack(o)
			inv.dirty = true
		}
	case o.Status != 404:
		r.add(o)
		inv.dirty = true
	}
}

// Routes returns every route known, declared or learned, sorted by
// template and method.
func (inv *Inventory) Routes() []Route {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	var rs []Route
	for _, r := range inv.byDecl {
		rs = append(rs, r.snapshot())
	}
	inv.tree.each(func(tmpl string, r *Route) {
		s := r.snapshot()
		s.Template = tmpl // a merge may have moved it
		rs = append(rs, s)
	})
	sortRoutes(rs)
	return rs
}

// Stats are the inventory's own figures.
type Stats struct {
	Started  time.Time `json:"started"`
	Nodes    int       `json:"nodes"`
	MaxNodes int       `json:"maxNodes"`
	// Overflow counts requests not counted because the tree was full.
	Overflow uint64 `json:"overflow"`
}

// Stats returns the inventory's own figures.
func (inv *Inventory) Stats() Stats {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return Stats{Started: inv.started, Nodes: inv.tree.nodes, MaxNodes: inv.tree.max, Overflow: inv.overflow}
}

// forget drops the routes not seen since cutoff. The caller holds the lock.
func (inv *Inventory) forget(cutoff time.Time) {
	for k, r := range inv.byDecl {
		if r.LastSeen.Before(cutoff) {
			delete(inv.byDecl, k)
		}
	}
	var prune func(n *node)
	prune = func(n *node) {
		for m, r := range n.routes {
			if r.LastSeen.Before(cutoff) {
				delete(n.routes, m)
			}
		}
		for _, c := range n.static {
			prune(c)
		}
		for _, c := range n.params {
			prune(c)
		}
	}
	prune(inv.tree.root)
}

// DeclaresPath reports whether the app declares path for some method.
func (inv *Inventory) DeclaresPath(path string) bool {
	inv.mu.Lock()
	m := inv.declared
	inv.mu.Unlock()
	return m.declaresPath(split(path))
}
