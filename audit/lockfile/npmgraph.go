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

// packages turns the tree into Packages, deduplicated, with their paths.
func (t *npmTree) packages(file string) []Package {
	g := &graph{}
	for _, n := range t.nodes {
		g.add(Package{Ecosystem: NPM, Name: n.name, Version: n.version, Direct: n.direct, Dev: n.dev, File: file, Line: n.line})
	}
	for i, n := range t.nodes {
		for _, d := range n.deps {
			if j, ok := t.resolve(n.loc, d); ok {
				g.edge(i, j)
			}
		}
	}
	return g.finish(false)
}
