package lockfile

// A graph is the packages of one lockfile with the edges "requires" between
// them. finish sets each package's Path to the shortest chain of dependents
// from a direct dependency, and can derive Dev from reachability.
type graph struct {
	pkgs      []Package
	edges     [][]int
	devDirect []bool // per package: a direct dependency through devDependencies only
}

func (g *graph) add(p Package) int {
	g.pkgs = append(g.pkgs, p)
	g.edges = append(g.edges, nil)
	g.devDirect = append(g.devDirect, false)
	return len(g.pkgs) - 1
}

func (g *graph) edge(from, to int) { g.edges[from] = append(g.edges[from], to) }

// finish computes paths; with deriveDev, a package is Dev when no
// non-dev direct dependency leads to it. It returns the packages deduplicated.
func (g *graph) finish(deriveDev bool) []Package {
	n := len(g.pkgs)
	parent := make([]int, n)
	queue := make([]int, 0, n)
	for i := range parent {
		parent[i] = -2 // unseen
		if g.pkgs[i].Direct {
			parent[i] = -1
			queue = append(queue, i)
		}
	}
	for h := 0; h < len(queue); h++ {
		i := queue[h]
		for _, j := range g.edges[i] {
			if parent[j] == -2 {
				parent[j] = i
				queue = append(queue, j)
			}
		}
	}
	for i := range g.pkgs {
		if parent[i] >= 0 {
			g.pkgs[i].Path = g.chain(parent, parent[i])
		}
	}
	if deriveDev {
		prod := make([]bool, n)
		queue = queue[:0]
		for i := range g.pkgs {
			if g.pkgs[i].Direct && !g.devDirect[i] {
				prod[i] = true
				queue = append(queue, i)
			}
		}
		for h := 0; h < len(queue); h++ {
			for _, j := range g.edges[queue[h]] {
				if !prod[j] {
					prod[j] = true
					queue = append(queue, j)
				}
			}
		}
		for i := range g.pkgs {
			g.pkgs[i].Dev = !prod[i] && parent[i] != -2
		}
	}
	return dedupe(g.pkgs)
}

// chain lists "name@version" from the direct dependency down to i, at most maxDepth long.
func (g *graph) chain(parent []int, i int) []string {
	var rev []string
	for ; i >= 0 && len(rev) < maxDepth; i = parent[i] {
		rev = append(rev, g.pkgs[i].Name+"@"+g.pkgs[i].Version)
	}
	for a, b := 0, len(rev)-1; a < b; a, b = a+1, b-1 {
		rev[a], rev[b] = rev[b], rev[a]
	}
	return rev
}

// dedupe merges packages of the same ecosystem, name and version found more
// than once in one file (npm nests copies, pnpm repeats them per peer set):
// the first line is kept, Direct if any copy is direct, Dev only if every
// copy is, and the shortest Path.
func dedupe(pkgs []Package) []Package {
	type key struct{ eco, name, version string }
	at := make(map[key]int, len(pkgs))
	out := pkgs[:0]
	for _, p := range pkgs {
		k := key{p.Ecosystem, p.Name, p.Version}
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, p)
			continue
		}
		q := &out[i]
		if p.Direct && !q.Direct {
			q.Direct, q.Path = true, nil
		}
		q.Dev = q.Dev && p.Dev
		if !q.Direct && p.Path != nil && (q.Path == nil || len(p.Path) < len(q.Path)) {
			q.Path = p.Path
		}
		if q.Line == 0 || (p.Line > 0 && p.Line < q.Line) {
			q.Line = p.Line
		}
	}
	return out
}
