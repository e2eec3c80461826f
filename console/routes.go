package console

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/routes"
)

// A RoutesSource gives the gateway's route surface report; nil when the
// route inventory is off. The gateway's (*guard.Gateway).Routes is one.
type RoutesSource func() *routes.Report

// SetRoutes sets where GET /console/api/routes reads the surface report.
// Until it is called, the endpoint says the gateway has no inventory. It
// is safe to call at any time.
func (c *Console) SetRoutes(src RoutesSource) {
	if src == nil {
		c.routes.Store(nil)
		return
	}
	c.routes.Store(&src)
}

// findingKinds are the kinds of the report's findings, as the page lists
// its filters.
var findingKinds = []string{routes.FindingUnsecured, routes.FindingOpenWrite, routes.FindingFailsUnderAttack,
	routes.FindingErrorLeak, routes.FindingShadow, routes.FindingUnused}

// routesView is GET /console/api/routes: the surface report shaped for the
// Routes page. The figures are the report's; each route carries the kinds
// of its findings and its fields' profiles, without the hashes of the
// clients that sent them.
type routesView struct {
	Since time.Time `json:"since"`
	// Declared says whether the app declares any route (routes.openapi or
	// routes.express): without a declaration nothing is a shadow or unused.
	Declared bool              `json:"declared"`
	Routes   []routeView       `json:"routes"`
	Unused   []routes.Declared `json:"unused"`
	Findings []routes.Finding  `json:"findings"`
	// Counts are the findings by kind over the whole report, whatever
	// the kind asked.
	Counts map[string]int `json:"counts"`
	// Kind is the kind of finding asked, "" for every route.
	Kind string `json:"kind,omitempty"`
}

// routeView is one route of [routesView].
type routeView struct {
	Method          string            `json:"method"`
	Template        string            `json:"template"`
	Declared        bool              `json:"declared"`
	Requests        uint64            `json:"requests"`
	Status          [6]uint64         `json:"status"`
	WithCredentials uint64            `json:"withCredentials"`
	Anonymous       [6]uint64         `json:"anonymous"`
	AnonymousDenied uint64            `json:"anonymousDenied"`
	FirstSeen       time.Time         `json:"firstSeen"`
	LastSeen        time.Time         `json:"lastSeen"`
	ContentTypes    map[string]uint64 `json:"contentTypes,omitempty"`
	Attacks         uint64            `json:"attacks"`
	AttacksPassed   uint64            `json:"attacksPassed"`
	Attack5xx       uint64            `json:"attack5xx"`
	ErrorLeaks      uint64            `json:"errorLeaks,omitempty"`
	LeakKind        string            `json:"leakKind,omitempty"`
	Clients         int               `json:"clients"`
	P50             float64           `json:"p50ms"`
	P99             float64           `json:"p99ms"`
	Fields          []fieldView       `json:"fields"`
	Findings        []string          `json:"findings"`
}

// fieldView is what a route's field was seen to hold: how many values of
// each type and from how many clients, never a value.
type fieldView struct {
	Where string `json:"where"`
	// Type is the learned type, "" while the evidence is thin.
	Type        routes.FieldType            `json:"type,omitempty"`
	Counts      map[routes.FieldType]uint64 `json:"counts"`
	TypeClients map[routes.FieldType]int    `json:"typeClients"`
	Clients     int                         `json:"clients"`
	MaxLen      int                         `json:"maxLen"`
	FirstSeen   time.Time                   `json:"firstSeen"`
	LastSeen    time.Time                   `json:"lastSeen"`
}

// noRoutes is the answer when the gateway gives no report.
const noRoutes = "the route inventory is off: remove routes.disable from bulwark.yaml to learn the app's routes"

// serveRoutes answers GET /console/api/routes[?kind=K]: the surface
// report; with kind, only the routes (or, for unused, the declared routes)
// with a finding of that kind, and those findings.
func (c *Console) serveRoutes(w http.ResponseWriter, r *http.Request) {
	kind := r.URL.Query().Get("kind")
	if kind != "" && !slices.Contains(findingKinds, kind) {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("kind: want one of %s, got %q", strings.Join(findingKinds, ", "), clip(kind, 40)))
		return
	}
	var rep *routes.Report
	if src := c.routes.Load(); src != nil {
		rep = (*src)()
	}
	if rep == nil {
		writeErr(w, http.StatusNotFound, errors.New(noRoutes))
		return
	}
	writeJSON(w, http.StatusOK, viewRoutes(rep, kind))
}

// viewRoutes shapes rep for the page, keeping what has a finding of kind
// ("" keeps everything).
func viewRoutes(rep *routes.Report, kind string) routesView {
	v := routesView{Since: rep.Since, Kind: kind, Routes: []routeView{}, Unused: []routes.Declared{},
		Findings: []routes.Finding{}, Counts: map[string]int{}}
	v.Declared = len(rep.Unused) > 0
	of := map[string][]string{} // method+template → kinds
	for _, f := range rep.Findings {
		v.Counts[f.Kind]++
		k := f.Method + " " + f.Template
		if !slices.Contains(of[k], f.Kind) {
			of[k] = append(of[k], f.Kind)
		}
		if kind == "" || f.Kind == kind {
			v.Findings = append(v.Findings, f)
		}
	}
	for _, rr := range rep.Routes {
		v.Declared = v.Declared || rr.Declared
		kinds := of[rr.Method+" "+rr.Template]
		if kind != "" && !slices.Contains(kinds, kind) {
			continue
		}
		v.Routes = append(v.Routes, viewRoute(rr, kinds))
	}
	for _, d := range rep.Unused {
		if kind == "" || slices.Contains(of[d.Method+" "+d.Template], kind) {
			v.Unused = append(v.Unused, d)
		}
	}
	return v
}

func viewRoute(rr routes.ReportRoute, kinds []string) routeView {
	r := rr.Route
	out := routeView{Method: r.Method, Template: r.Template, Declared: rr.Declared, Requests: r.Requests, Status: r.Status,
		WithCredentials: r.WithCredentials, Anonymous: r.Anonymous, AnonymousDenied: r.AnonymousDenied,
		FirstSeen: r.FirstSeen, LastSeen: r.LastSeen, ContentTypes: r.ContentTypes, Attacks: r.Attacks,
		AttacksPassed: r.AttacksPassed, Attack5xx: r.Attack5xx, ErrorLeaks: r.ErrorLeaks, LeakKind: r.LeakKind,
		Clients: r.Clients, P50: r.P50, P99: r.P99, Fields: []fieldView{}, Findings: kinds}
	if out.Findings == nil {
		out.Findings = []string{}
	}
	for where, p := range r.Fields {
		f := fieldView{Where: where, Type: p.Type, Counts: p.Counts, TypeClients: map[routes.FieldType]int{},
			Clients: p.Clients, MaxLen: p.MaxLen, FirstSeen: p.FirstSeen, LastSeen: p.LastSeen}
		if f.Counts == nil {
			f.Counts = map[routes.FieldType]uint64{}
		}
		for t, cs := range p.TypeClients {
			f.TypeClients[t] = len(cs)
		}
		out.Fields = append(out.Fields, f)
	}
	slices.SortFunc(out.Fields, func(a, b fieldView) int { return strings.Compare(a.Where, b.Where) })
	return out
}
