package cli

import (
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/inspect/replay"
	"github.com/bulwark-sec/bulwark/routes"
)

// learnFrom reads recorded traffic and learns its route templates and
// field types as guard would: from the requests inspection finds nothing
// in. A record carries no client address, so each request counts as its
// own client: recorded traffic is trusted to be the app's own.
func learnFrom(engine *inspect.Engine, path string, read replay.Format) (*routes.Inventory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError{err}
	}
	defer f.Close()
	inv := routes.New(routes.Options{})
	n := 0
	err = eachRecord(f, read, func(rec replay.Record) error {
		if rec.NoRequest {
			return nil
		}
		n++
		var fields []routes.Field
		req := rec.Request
		req.Seen = func(where, value string) { fields = append(fields, routes.FieldOf(where, value)) }
		v := engine.Inspect(&req)
		p, _, _ := strings.Cut(rec.Request.URI, "?")
		o := routes.Observation{Method: rec.Request.Method, Path: p, Status: 200, Client: clientOf(n)}
		if len(v.Findings) == 0 {
			o.Fields = fields
		}
		inv.Observe(o)
		return nil
	})
	if err != nil {
		return nil, usageError{fmt.Errorf("%s:%w", path, err)}
	}
	return inv, nil
}

func clientOf(n int) uint32 {
	h := fnv.New32a()
	fmt.Fprint(h, n)
	return h.Sum32()
}

// typesFrom gives each request the learned types of its route's fields.
func typesFrom(inv *routes.Inventory) func(*inspect.Request) {
	return func(r *inspect.Request) {
		p, _, _ := strings.Cut(r.URI, "?")
		r.Types = inv.FieldTypes(r.Method, p)
	}
}

// exclusions collects what the blocked requests of a run would have needed
// to pass: per route, input and rule.
type exclusions struct {
	inv  *routes.Inventory
	need map[exclusionKey]int
}

type exclusionKey struct{ method, template, where, rule string }

func (x *exclusions) add(r *inspect.Request, v inspect.Verdict) {
	if v.Action != inspect.Block {
		return
	}
	p, _, _ := strings.Cut(r.URI, "?")
	tmpl := p
	for _, rt := range x.inv.Routes() {
		if rt.Method == r.Method && routeMatches(rt.Template, p) {
			tmpl = rt.Template
			break
		}
	}
	for _, f := range v.Findings {
		if f.Score > 0 {
			x.need[exclusionKey{r.Method, tmpl, f.Where, f.RuleID}]++
		}
	}
}

// routeMatches reports whether path fits template, a parameter matching
// any one segment.
func routeMatches(template, path string) bool {
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return slices.Contains(ts, "{*}") && len(ps) >= len(ts)
	}
	for i, t := range ts {
		if t != ps[i] && !strings.HasPrefix(t, "{") {
			return false
		}
	}
	return true
}

// print writes the exclusions as an inspect: section. A template's
// parameters become a prefix: exclusions match exact paths or prefixes.
func (x *exclusions) print(w io.Writer) {
	if len(x.need) == 0 {
		fmt.Fprintln(w, "# no exclusion needed: nothing was blocked")
		return
	}
	keys := make([]exclusionKey, 0, len(x.need))
	for k := range x.need {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a.template+a.method+a.where+a.rule < b.template+b.method+b.where+b.rule
	})
	fmt.Fprintln(w, "# exclusions these blocked requests would have needed; review each before adding it")
	fmt.Fprintln(w, "inspect:\n  exclusions:")
	for _, k := range keys {
		path := k.template
		if i := strings.Index(path, "{"); i >= 0 {
			path = path[:i] + "*"
		}
		fmt.Fprintf(w, "    - {method: %s, path: %q, where: %q, rules: [%s]}  # %s %s: %d request(s)\n",
			k.method, path, k.where, k.rule, k.method, k.template, x.need[k])
	}
}
