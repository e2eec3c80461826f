package routes

import "strings"

// A matcher finds the declared template of a path: static segments before
// parameters, a parameter matching one segment and {*} (or a parameter
// ending in '*', as Express writes /files/*path) the rest.
type matcher struct {
	root *mnode
}

type mnode struct {
	static map[string]*mnode
	param  *mnode
	rest   *mnode
	// methods maps a method ("*" for all) to the template declared.
	methods map[string]string
}

func newMatcher(ds []Declared) *matcher {
	m := &matcher{root: &mnode{}}
	for _, d := range ds {
		n := m.root
		for _, s := range split(d.Template) {
			if isRest(s) {
				if n.rest == nil {
					n.rest = &mnode{}
				}
				n = n.rest
				break // {*} takes the rest of the path
			}
			if strings.ContainsRune(s, '{') {
				if n.param == nil {
					n.param = &mnode{}
				}
				n = n.param
				continue
			}
			if n.static == nil {
				n.static = make(map[string]*mnode)
			}
			if n.static[s] == nil {
				n.static[s] = &mnode{}
			}
			n = n.static[s]
		}
		if n.methods == nil {
			n.methods = make(map[string]string)
		}
		method := strings.ToUpper(d.Method)
		if _, dup := n.methods[method]; !dup {
			n.methods[method] = d.Template
		}
	}
	return m
}

func isRest(s string) bool {
	return s == paramRest || strings.HasPrefix(s, "{") && strings.HasSuffix(s, "*}")
}

// match returns the template declared for method at segs. A path declared
// for other methods only matches too, under the first of them, so its
// figures show the undeclared method at the declared template.
func (m *matcher) match(method string, segs []string) (string, bool) {
	if len(segs) > maxSegments {
		return "", false
	}
	budget := 64 * (len(segs) + 1)
	n := m.find(m.root, segs, &budget)
	if n == nil {
		return "", false
	}
	if t, ok := n.methods[method]; ok {
		return t, true
	}
	if t, ok := n.methods["*"]; ok {
		return t, true
	}
	if method == "HEAD" {
		if t, ok := n.methods["GET"]; ok { // Express answers HEAD with GET's route
			return t, true
		}
	}
	return "", false
}

// find walks segs from n, static first, trying a parameter where a static
// segment leads nowhere. budget bounds the nodes visited: linear in the
// path's length, whatever the declared set.
func (m *matcher) find(n *mnode, segs []string, budget *int) *mnode {
	if *budget--; *budget < 0 {
		return nil
	}
	if len(segs) == 0 {
		if n.methods != nil {
			return n
		}
		return nil
	}
	if c := n.static[segs[0]]; c != nil {
		if f := m.find(c, segs[1:], budget); f != nil {
			return f
		}
	}
	if n.param != nil && segs[0] != "" {
		if f := m.find(n.param, segs[1:], budget); f != nil {
			return f
		}
	}
	if n.rest != nil && n.rest.methods != nil {
		return n.rest
	}
	return nil
}

// declaresPath reports whether some method is declared at segs.
func (m *matcher) declaresPath(segs []string) bool {
	if len(segs) > maxSegments {
		return false
	}
	budget := 64 * (len(segs) + 1)
	return m.find(m.root, segs, &budget) != nil
}
