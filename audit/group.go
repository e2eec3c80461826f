package audit

import (
	"slices"

	"github.com/bulwark-sec/bulwark/audit/osv"
)

// groupByAliases partitions entries into groups of advisories that name
// one another: two entries are in one group when the id or aliases of
// one share a name with the id or aliases of the other, transitively
// (GO-2021-0001 ~ CVE-2021-1 ~ GHSA-x). Groups come out ordered by their
// smallest id, entries within a group by id.
func groupByAliases(entries []*osv.Entry) [][]*osv.Entry {
	parent := make([]int, len(entries))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{} // a name → the first entry carrying it
	for i, e := range entries {
		for _, n := range append([]string{e.ID}, e.Aliases...) {
			if j, ok := owner[n]; ok {
				parent[find(i)] = find(j)
			} else {
				owner[n] = i
			}
		}
	}
	byRoot := map[int][]*osv.Entry{}
	var roots []int
	for i, e := range entries {
		r := find(i)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], e)
	}
	groups := make([][]*osv.Entry, 0, len(roots))
	for _, r := range roots {
		g := byRoot[r]
		slices.SortFunc(g, func(a, b *osv.Entry) int { return compareStrings(a.ID, b.ID) })
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b []*osv.Entry) int { return compareStrings(a[0].ID, b[0].ID) })
	return groups
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
