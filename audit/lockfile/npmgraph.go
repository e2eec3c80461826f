package lockfile

import "strings"

// An npmNode is one installed package of an npm-style node_modules tree,
// keyed by its location ("node_modules/a/node_modules/b").
type npmNode struct {
	loc     string
	name    string
	version string
	line    int
	dev     bool
	direct  bool
	deps    []string // names it requires
}

// npmTree resolves requirements the way Node does (the nearest enclosing
// node_modules wins) and computes, for every node, the shortest chain of
// dependents from a direct dependency.
type npmTree struct {
	nodes []*npmNode
	byLoc map[string]int
}

func (t *npmTree) add(n *npmNode) {
	if t.byLoc == nil {
		t.byLoc = make(map[string]int)
	}
	t.byLoc[n.loc] = len(t.nodes)
	t.nodes = append(t.nodes, n)
}

// resolve finds the node that package name resolves to from location loc.
func (t *npmTree) resolve(loc, name string) (int, bool) {
	for {
		cand := "node_modules/" + name
		if loc != "" {
			cand = loc + "/node_modules/" + name
		}
		if i, ok := t.byLoc[cand]; ok {
			return i, true
		}
		if loc == "" {
			return 0, false
		}
		j := strings.LastIndex(loc, "/node_modules/")
		if j < 0 {
			loc = "" // top of this tree: next try the project's node_modules
			continue
		}
		loc = loc[:j]
	}
}

// packages turns the tree into Packages, with Path set from a breadth-first
// walk starting at the direct dependencies.
func (t *npmTree) packages(file string) []Package {
	parent := make([]int, len(t.nodes))
	seen := make([]bool, len(t.nodes))
	queue := make([]int, 0, len(t.nodes))
	for i, n := range t.nodes {
		parent[i] = -1
		if n.direct {
			seen[i] = true
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, d := range t.nodes[i].deps {
			j, ok := t.resolve(t.nodes[i].loc, d)
			if ok && !seen[j] {
				seen[j] = true
				parent[j] = i
				queue = append(queue, j)
			}
		}
	}
	pkgs := make([]Package, 0, len(t.nodes))
	for i, n := range t.nodes {
		p := Package{Ecosystem: NPM, Name: n.name, Version: n.version, Direct: n.direct, Dev: n.dev, File: file, Line: n.line}
		if parent[i] >= 0 {
			p.Path = chain(t.nodes, parent, parent[i])
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// chain lists "name@version" from the root of i's walk down to i, at most maxDepth long.
func chain(nodes []*npmNode, parent []int, i int) []string {
	var rev []string
	for ; i >= 0 && len(rev) < maxDepth; i = parent[i] {
		rev = append(rev, nodes[i].name+"@"+nodes[i].version)
	}
	for a, b := 0, len(rev)-1; a < b; a, b = a+1, b-1 {
		rev[a], rev[b] = rev[b], rev[a]
	}
	return rev
}
