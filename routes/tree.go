package routes

import (
	"cmp"
	"slices"
)

// Bounds of the learned templates.
const (
	// maxDepth: segments past it are one {*}.
	maxDepth = 12
	// slugAfter: the third slug-shaped value at one position makes it a
	// {slug} parameter.
	slugAfter = 3
	// wideAfter: past this many distinct static values at one position,
	// the values seen by one client only become {slug}; those several
	// clients use stay.
	wideAfter = 24
	// promoteAfter: a value of a {slug} position used by this many
	// distinct clients gets its own static template again.
	promoteAfter = 8
	// maxCandidates bounds the values of a {slug} position watched for
	// promotion.
	maxCandidates = 32
)

// A node is a position in the learned template tree. Its routes are the
// templates that end there, by method.
type node struct {
	static map[string]*node
	params map[string]*node // {id}, {uuid}, {slug}…
	routes map[string]*Route
	// slugs counts the slug-shaped static children; sluggy makes new
	// slug-shaped values go to {slug}, wide makes every new value go there.
	slugs       int
	sluggy      bool
	wide        bool
	candidates  map[string]*clientSet // values of {slug} watched for promotion
	clientsSeen clientSet             // distinct clients through this node
}

// clientSet holds up to maxClients client hashes.
type clientSet []uint32

func (s *clientSet) add(c uint32) {
	if len(*s) >= maxClients {
		return
	}
	for _, k := range *s {
		if k == c {
			return
		}
	}
	*s = append(*s, c)
}

// tree is the learned part of the inventory. It is not safe for concurrent
// use: the inventory's lock guards it.
type tree struct {
	root  *node
	nodes int
	max   int // bound on nodes
}

func newTree(max int) *tree { return &tree{root: &node{}, nodes: 1, max: max} }

// walk returns the node of segs' template and the template, creating what is
// missing. ok is false when the tree is full and a node was missing.
//
// After the learning period a position takes {slug} at its second
// slug-shaped value, so a new article is not a new route.
func (t *tree) walk(segs []string, client uint32, learned bool) (n *node, tmpl []string, ok bool) {
	after := slugAfter
	if learned {
		after = 2
	}
	n = t.root
	tmpl = make([]string, 0, len(segs))
	for i, s := range segs {
		if i == maxDepth {
			s = paramRest
		}
		var key string
		n.clientsSeen.add(client)
		switch p := paramOf(s); {
		case s == paramRest:
			key = paramRest
		case p != "":
			key = p
		default:
			if c := n.static[s]; c != nil {
				n, tmpl = c, append(tmpl, s)
				continue
			}
			if n.wide || (n.sluggy && slugShaped(s)) {
				key = paramSlug
				if t.promote(n, s, client) {
					n, tmpl = n.static[s], append(tmpl, s)
					continue
				}
				break
			}
			if slugShaped(s) && n.slugs+1 >= after {
				n.sluggy = true
				t.mergeInto(n, func(name string, _ *node) bool { return slugShaped(name) })
				key = paramSlug
				break
			}
			if len(n.static) >= wideAfter {
				n.wide = true
				t.mergeInto(n, func(_ string, c *node) bool { return len(c.clientsSeen) < 2 })
				key = paramSlug
				break
			}
			key = s
		}
		c := n.child(key)
		if c == nil {
			if t.nodes >= t.max && !t.makeRoom(n) {
				return nil, nil, false
			}
			c = &node{}
			t.nodes++
			if isParam(key) {
				if n.params == nil {
					n.params = make(map[string]*node)
				}
				n.params[key] = c
			} else {
				if n.static == nil {
					n.static = make(map[string]*node)
				}
				n.static[key] = c
				if slugShaped(key) {
					n.slugs++
				}
			}
		}
		n, tmpl = c, append(tmpl, key)
		if key == paramRest {
			break
		}
	}
	n.clientsSeen.add(client)
	return n, tmpl, true
}

// find returns the node of segs' template without creating anything, or
// nil.
func (t *tree) find(segs []string) (*node, []string) {
	n := t.root
	tmpl := make([]string, 0, len(segs))
	for i, s := range segs {
		if i == maxDepth {
			if c := n.params[paramRest]; c != nil {
				return c, append(tmpl, paramRest)
			}
			return nil, nil
		}
		if c := n.static[s]; c != nil {
			n, tmpl = c, append(tmpl, s)
			continue
		}
		key := paramOf(s)
		if key == "" {
			key = paramSlug
		}
		c := n.params[key]
		if c == nil {
			return nil, nil
		}
		n, tmpl = c, append(tmpl, key)
	}
	return n, tmpl
}

func (n *node) child(key string) *node {
	if isParam(key) {
		return n.params[key]
	}
	return n.static[key]
}

// promote counts client for the value s of n's {slug} position and reports
// whether s now has its own static child: a real route that many clients
// use is not lost in a parameter a scan made wide.
func (t *tree) promote(n *node, s string, client uint32) bool {
	if slugShaped(s) || t.nodes >= t.max {
		return false
	}
	if n.candidates == nil {
		n.candidates = make(map[string]*clientSet)
	}
	set := n.candidates[s]
	if set == nil {
		if len(n.candidates) >= maxCandidates {
			// Space-saving: give the slot of the value with the fewest
			// clients to the newcomer.
			var low string
			for v, cs := range n.candidates {
				if low == "" || len(*cs) < len(*n.candidates[low]) {
					low = v
				}
			}
			if len(*n.candidates[low]) > 1 {
				return false
			}
			delete(n.candidates, low)
		}
		set = &clientSet{}
		n.candidates[s] = set
	}
	set.add(client)
	if len(*set) < promoteAfter {
		return false
	}
	delete(n.candidates, s)
	if n.static == nil {
		n.static = make(map[string]*node)
	}
	n.static[s] = &node{}
	t.nodes++
	return true
}

// mergeInto moves the static children of n that pick chooses into n's
// {slug} child, merging their subtrees and figures.
func (t *tree) mergeInto(n *node, pick func(string, *node) bool) {
	var dst *node
	for name, c := range n.static {
		if !pick(name, c) {
			continue
		}
		if dst == nil {
			if dst = n.params[paramSlug]; dst == nil {
				dst = &node{}
				t.nodes++
				if n.params == nil {
					n.params = make(map[string]*node)
				}
				n.params[paramSlug] = dst
			}
		}
		delete(n.static, name)
		if slugShaped(name) {
			n.slugs--
		}
		t.merge(dst, c)
	}
}

// merge adds src's subtree into dst; src's nodes are given up.
func (t *tree) merge(dst, src *node) {
	t.nodes--
	for m, r := range src.routes {
		if dst.routes == nil {
			dst.routes = make(map[string]*Route)
		}
		if d := dst.routes[m]; d != nil {
			d.merge(r)
		} else {
			dst.routes[m] = r
		}
	}
	for _, c := range src.clientsSeen {
		dst.clientsSeen.add(c)
	}
	for name, c := range src.static {
		if d := dst.static[name]; d != nil {
			t.merge(d, c)
			continue
		}
		if dst.static == nil {
			dst.static = make(map[string]*node)
		}
		dst.static[name] = c
		if slugShaped(name) {
			dst.slugs++
		}
	}
	for name, c := range src.params {
		if d := dst.params[name]; d != nil {
			t.merge(d, c)
			continue
		}
		if dst.params == nil {
			dst.params = make(map[string]*node)
		}
		dst.params[name] = c
	}
}

// each calls f for every route in the tree with its template.
func (t *tree) each(f func(tmpl string, r *Route)) {
	var visit func(n *node, segs []string)
	visit = func(n *node, segs []string) {
		for _, r := range n.routes {
			f(join(segs), r)
		}
		for name, c := range n.static {
			visit(c, append(segs, name))
		}
		for name, c := range n.params {
			visit(c, append(segs, name))
		}
	}
	visit(t.root, nil)
}

// restore puts a stored template back in the tree, its parameters as
// they are, and returns its node; nil when the tree is full.
func (t *tree) restore(tmpl string) *node {
	n := t.root
	for _, s := range split(tmpl) {
		c := n.child(s)
		if c == nil {
			if t.nodes >= t.max {
				return nil
			}
			c = &node{}
			t.nodes++
			if isParam(s) {
				if n.params == nil {
					n.params = make(map[string]*node)
				}
				n.params[s] = c
				if s == paramSlug {
					n.sluggy = true
				}
			} else {
				if n.static == nil {
					n.static = make(map[string]*node)
				}
				n.static[s] = c
				if slugShaped(s) {
					n.slugs++
				}
			}
		}
		n = c
	}
	return n
}

// makeRoom frees a tenth of a full tree by dropping its weakest leaves:
// those whose routes were answered to fewer than [keepClients] distinct
// clients, fewest clients and oldest first. Routes several clients use are
// never dropped, so a scan can fill the tree only with what it can then
// lose. keep (the node being extended) and its ancestors stay. It reports
// whether there is room now.
func (t *tree) makeRoom(keep *node) bool {
	var leaves []leafInfo
	var visit func(n *node) bool // reports whether n's subtree holds keep
	visit = func(n *node) bool {
		holds := n == keep
		for key, c := range n.static {
			if visit(c) {
				holds = true
			} else if len(c.static) == 0 && len(c.params) == 0 {
				leaves = append(leaves, weakness(n, key, c))
			}
		}
		for key, c := range n.params {
			if visit(c) {
				holds = true
			} else if len(c.static) == 0 && len(c.params) == 0 {
				leaves = append(leaves, weakness(n, key, c))
			}
		}
		return holds
	}
	visit(t.root)
	leaves = slices.DeleteFunc(leaves, func(l leafInfo) bool { return l.clients >= keepClients })
	slices.SortFunc(leaves, func(a, b leafInfo) int {
		if a.clients != b.clients {
			return a.clients - b.clients
		}
		return cmp.Compare(a.last, b.last)
	})
	for _, l := range leaves[:min(len(leaves), max(1, t.max/10))] {
		if isParam(l.key) {
			delete(l.parent.params, l.key)
		} else {
			delete(l.parent.static, l.key)
			if slugShaped(l.key) {
				l.parent.slugs--
			}
		}
		t.nodes--
	}
	return t.nodes < t.max
}

// keepClients: a leaf whose routes this many distinct clients used is
// never dropped to make room.
const keepClients = 3

type leafInfo struct {
	parent  *node
	key     string
	clients int
	last    int64
}

func weakness(parent *node, key string, n *node) leafInfo {
	l := leafInfo{parent: parent, key: key, clients: len(n.clientsSeen)}
	for _, r := range n.routes {
		l.clients = max(l.clients, r.Clients)
		l.last = max(l.last, r.LastSeen.UnixNano())
	}
	return l
}
