package config

import (
	"reflect"
	"sort"
	"strings"
	"sync"
)

// structFields maps a struct's YAML keys to field indexes.
type structFields struct {
	byName map[string][]int
	names  []string // in declaration order
}

func (f *structFields) has(name string) bool { _, ok := f.byName[name]; return ok }

var fieldCache sync.Map // reflect.Type → *structFields

func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{byName: map[string][]int{}}
	collectFields(t, nil, f)
	fieldCache.Store(t, f)
	return f
}

func collectFields(t reflect.Type, index []int, f *structFields) {
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		idx := append(append([]int(nil), index...), i)
		if opts == "inline" && sf.Type.Kind() == reflect.Struct {
			collectFields(sf.Type, idx, f)
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		f.byName[name] = idx
		f.names = append(f.names, name)
	}
}

// suggest names the known key nearest to an unknown one.
func (f *structFields) suggest(key string) string {
	best, bestDist := "", len(key)/3+2
	for _, name := range f.names {
		if strings.EqualFold(name, key) {
			return "did you mean " + name + "?"
		}
		if d := editDistance(key, name); d < bestDist {
			best, bestDist = name, d
		}
	}
	if best != "" {
		return "did you mean " + best + "?"
	}
	names := append([]string(nil), f.names...)
	sort.Strings(names)
	if len(names) == 0 {
		return "this section takes no keys"
	}
	return "known keys: " + strings.Join(names, ", ")
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
