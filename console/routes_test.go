package console

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/routes"
)

// surface is a real inventory that saw the example app's admin routes: the
// users list asks for credentials, its stats sibling answers without them;
// a search learned its query field as a slug; a declared route was never
// called.
func surface(t *testing.T) *routes.Report {
	t.Helper()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	inv := routes.New(routes.Options{})
	inv.SetDeclared([]routes.Declared{
		{Method: "GET", Template: "/api/admin/users", Source: "express:server.js"},
		{Method: "GET", Template: "/api/admin/stats", Source: "express:server.js"},
		{Method: "GET", Template: "/search", Source: "express:server.js"},
		{Method: "DELETE", Template: "/api/products/{id}", Source: "express:server.js"},
	})
	for i := range 4 {
		c := uint32(i + 1)
		inv.Observe(routes.Observation{Method: "GET", Path: "/api/admin/users", Status: 401, Client: c, At: at})
		inv.Observe(routes.Observation{Method: "GET", Path: "/api/admin/users", Status: 200, Credentials: true, Client: c, At: at})
		inv.Observe(routes.Observation{Method: "GET", Path: "/api/admin/stats", Status: 200, Client: c, At: at})
	}
	for i := range 30 {
		inv.Observe(routes.Observation{Method: "GET", Path: "/search", Status: 200, Client: uint32(i % 6), At: at,
			Fields: []routes.Field{routes.FieldOf("query:q", "desk-lamp"+strings.Repeat("-x", i%3))}})
	}
	rep := routes.Analyze(inv.Routes(), inv.Declared(), at)
	return &rep
}

func TestRoutesAPI(t *testing.T) {
	tc := newTestConsole(t, Config{})
	c := tc.client()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := c.Get(tc.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/console/api/routes"); code != http.StatusUnauthorized {
		t.Fatalf("GET /console/api/routes without a session: %d, want 401", code)
	}
	tc.login(t, c, tc.StartPassword()).Body.Close()

	// No source, or the inventory off: 404 saying what to do.
	if code, body := get("/console/api/routes"); code != http.StatusNotFound || !strings.Contains(body, "routes.disable") {
		t.Errorf("with no source: %d %s, want 404 naming routes.disable", code, body)
	}
	tc.SetRoutes(func() *routes.Report { return nil })
	if code, body := get("/console/api/routes"); code != http.StatusNotFound || !strings.Contains(body, "route inventory is off") {
		t.Errorf("with the inventory off: %d %s, want 404", code, body)
	}

	rep := surface(t)
	tc.SetRoutes(func() *routes.Report { return rep })
	code, body := get("/console/api/routes")
	if code != http.StatusOK {
		t.Fatalf("GET /console/api/routes: %d %s", code, body)
	}
	var v routesView
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	byKey := map[string]routeView{}
	for _, r := range v.Routes {
		byKey[r.Method+" "+r.Template] = r
	}
	stats, ok := byKey["GET /api/admin/stats"]
	if !ok {
		t.Fatalf("the routes lack GET /api/admin/stats: %s", body)
	}
	if !slices.Equal(stats.Findings, []string{routes.FindingUnsecured}) || !stats.Declared || stats.Anonymous[2] != 4 {
		t.Errorf("GET /api/admin/stats: findings %q, declared %v, anonymous 2xx %d; want unsecured, declared, 4",
			stats.Findings, stats.Declared, stats.Anonymous[2])
	}
	if users := byKey["GET /api/admin/users"]; len(users.Findings) != 0 || users.AnonymousDenied != 4 || users.WithCredentials != 4 {
		t.Errorf("GET /api/admin/users: findings %q, denied %d, with credentials %d; want none, 4, 4", users.Findings, users.AnonymousDenied, users.WithCredentials)
	}
	if v.Counts[routes.FindingUnsecured] != 1 || v.Counts[routes.FindingUnused] != 1 || !v.Declared {
		t.Errorf("counts %v, declared %v: want one unsecured, one unused, declared", v.Counts, v.Declared)
	}
	i := slices.IndexFunc(v.Findings, func(f routes.Finding) bool { return f.Kind == routes.FindingUnsecured })
	if i < 0 || !strings.Contains(v.Findings[i].Detail, "GET /api/admin/users") {
		t.Errorf("the unsecured finding's sentence does not name the sibling that asks for credentials: %+v", v.Findings)
	}
	if len(v.Unused) != 1 || v.Unused[0].Method != "DELETE" || v.Unused[0].Template != "/api/products/{id}" {
		t.Errorf("unused %+v, want DELETE /api/products/{id}", v.Unused)
	}

	// The search's field: its learned type, values per type and clients,
	// never a value nor the clients' hashes.
	search := byKey["GET /search"]
	if len(search.Fields) != 1 {
		t.Fatalf("GET /search fields %+v, want query:q", search.Fields)
	}
	if f := search.Fields[0]; f.Where != "query:q" || f.Type != routes.TypeSlug || f.Counts[routes.TypeSlug] != 30 ||
		f.TypeClients[routes.TypeSlug] != 6 || f.Clients != 6 {
		t.Errorf("query:q = %+v, want a slug learned from 30 values of 6 clients", f)
	}
	for _, leak := range []string{"desk-lamp", "clientKeys", "typeClients\":{\"slug\":["} {
		if strings.Contains(body, leak) {
			t.Errorf("the report shows %q:\n%s", leak, body)
		}
	}

	// A kind keeps its routes and findings; the counts stay whole.
	code, body = get("/console/api/routes?kind=unsecured")
	v = routesView{}
	json.Unmarshal([]byte(body), &v)
	if code != http.StatusOK || len(v.Routes) != 1 || v.Routes[0].Template != "/api/admin/stats" || len(v.Unused) != 0 ||
		len(v.Findings) != 1 || v.Counts[routes.FindingUnused] != 1 {
		t.Errorf("kind=unsecured: %d, %d routes, %d unused, %d findings, counts %v; want only /api/admin/stats and whole counts",
			code, len(v.Routes), len(v.Unused), len(v.Findings), v.Counts)
	}
	code, body = get("/console/api/routes?kind=unused")
	v = routesView{}
	json.Unmarshal([]byte(body), &v)
	if code != http.StatusOK || len(v.Routes) != 0 || len(v.Unused) != 1 {
		t.Errorf("kind=unused: %d, %d routes, %d unused; want the one declared route never called", code, len(v.Routes), len(v.Unused))
	}
	if code, body := get("/console/api/routes?kind=bogus"); code != http.StatusBadRequest || !strings.Contains(body, "kind: want one of unsecured") {
		t.Errorf("kind=bogus: %d %s, want 400 listing the kinds", code, body)
	}
}
