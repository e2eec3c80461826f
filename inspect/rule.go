package inspect

import "slices"

// A rule is one named detection with a stable id.
type rule struct {
	id    string // "bw-sqli-001"; never reused for another meaning
	class Class
	score int    // anomaly score: 5 critical, 4 error, 3 warning, 2 notice
	name  string // what it matches, for people
	idx   int    // position in rules
}

// rules lists every rule, in registration order.
var rules []*rule

// newRule registers a rule; ids must be unique.
func newRule(id string, class Class, score int, name string) *rule {
	if ruleByID(id) != nil {
		panic("inspect: duplicate rule id " + id)
	}
	r := &rule{id: id, class: class, score: score, name: name, idx: len(rules)}
	rules = append(rules, r)
	return r
}

func ruleByID(id string) *rule {
	for _, r := range rules {
		if r.id == id {
			return r
		}
	}
	return nil
}

// RuleInfo describes a rule.
type RuleInfo struct {
	ID    string `json:"id"`
	Class Class  `json:"class"`
	Score int    `json:"score"`
	Name  string `json:"name"`
}

// Rules lists every rule the engine has, ordered by id.
func Rules() []RuleInfo {
	out := make([]RuleInfo, len(rules))
	for i, r := range rules {
		out[i] = RuleInfo{ID: r.id, Class: r.class, Score: r.score, Name: r.name}
	}
	slices.SortFunc(out, func(a, b RuleInfo) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}
