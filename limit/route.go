package limit

import (
	"path"
	"strings"
)

// A matcher selects the requests of a route group. Matching ignores case
// and cleans the path, and allocates only for a path with upper-case letters
// checked against a pattern.
type matcher struct {
	methods  []string
	exact    []string // cleaned, lower case
	subtrees []string // "/api" for "/api/*"; "" for "/*"
	patterns []string // path.Match patterns, lower case
}

func newMatcher(r Route) matcher {
	m := matcher{}
	for _, x := range r.Methods {
		m.methods = append(m.methods, strings.ToUpper(x))
	}
	for _, p := range r.Paths {
		p = strings.ToLower(p)
		switch {
		case strings.HasSuffix(p, "/*") && !strings.ContainsAny(p[:len(p)-2], "*?[\\"):
			m.subtrees = append(m.subtrees, strings.TrimSuffix(path.Clean(p[:len(p)-1]), "/"))
		case strings.ContainsAny(p, "*?[\\"):
			m.patterns = append(m.patterns, p)
		default:
			m.exact = append(m.exact, path.Clean(p))
		}
	}
	return m
}

func (m *matcher) match(method, p string) bool {
	if len(m.methods) > 0 && !containsFold(m.methods, method) {
		return false
	}
	if p == "" {
		p = "/"
	}
	p = path.Clean(p) // no allocation when p is already clean
	for _, e := range m.exact {
		if strings.EqualFold(p, e) {
			return true
		}
	}
	for _, s := range m.subtrees {
		if len(p) >= len(s) && strings.EqualFold(p[:len(s)], s) && (len(p) == len(s) || p[len(s)] == '/') {
			return true
		}
	}
	if len(m.patterns) > 0 {
		lp := p
		if hasUpper(p) {
			lp = strings.ToLower(p)
		}
		for _, pat := range m.patterns {
			if ok, _ := path.Match(pat, lp); ok {
				return true
			}
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
