package routes

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

func kinds(rep Report) []string {
	var ks []string
	for _, f := range rep.Findings {
		ks = append(ks, f.Kind+" "+f.Method+" "+f.Template)
	}
	slices.Sort(ks)
	return ks
}

// observeN counts n requests of a kind.
func observeN(inv *Inventory, n int, o Observation) {
	for i := range n {
		o.Client = uint32(i)
		inv.Observe(o)
	}
}

func TestFindings(t *testing.T) {
	inv := New(Options{})
	secured := true
	declared := []Declared{
		{Method: "GET", Template: "/api/admin/users", Source: "openapi:api.yaml"},
		{Method: "GET", Template: "/api/admin/stats", Source: "openapi:api.yaml"},
		{Method: "GET", Template: "/api/orders/{id}", Source: "openapi:api.yaml", Secured: &secured},
		{Method: "DELETE", Template: "/api/legacy/{id}", Source: "openapi:api.yaml"},
		{Method: "GET", Template: "/search", Source: "openapi:api.yaml"},
		{Method: "POST", Template: "/api/notes", Source: "openapi:api.yaml"},
		{Method: "POST", Template: "/api/login", Source: "openapi:api.yaml"},
	}
	inv.SetDeclared(declared)
	// the admin users list asks for credentials; its sibling does not
	observeN(inv, 5, Observation{Method: "GET", Path: "/api/admin/users", Status: 401, At: t0})
	observeN(inv, 5, Observation{Method: "GET", Path: "/api/admin/users", Status: 200, Credentials: true, At: t0})
	observeN(inv, 4, Observation{Method: "GET", Path: "/api/admin/stats", Status: 200, At: t0})
	// declared as secured, answered without credentials
	observeN(inv, 1, Observation{Method: "GET", Path: "/api/orders/7", Status: 200, At: t0})
	// a write nobody makes with credentials; a login is one by nature
	observeN(inv, 3, Observation{Method: "POST", Path: "/api/notes", Status: 201, At: t0})
	observeN(inv, 3, Observation{Method: "POST", Path: "/api/login", Status: 200, At: t0})
	// a search that fails under attack and leaks its SQL error
	observeN(inv, 20, Observation{Method: "GET", Path: "/search", Status: 200, At: t0})
	observeN(inv, 3, Observation{Method: "GET", Path: "/search", Status: 500, Attack: true, Leak: "SQL error", At: t0})
	// a shadow route
	observeN(inv, 2, Observation{Method: "GET", Path: "/debug/vars", Status: 200, At: t0})

	rep := Analyze(inv.Routes(), inv.Declared(), t0)
	want := []string{
		"error-leak GET /search",
		"fails-under-attack GET /search",
		"open-write POST /api/notes",
		"shadow GET /debug/vars",
		"unsecured GET /api/admin/stats",
		"unsecured GET /api/orders/{id}",
		"unused DELETE /api/legacy/{id}",
	}
	if got := kinds(rep); !slices.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	if len(rep.Unused) != 1 || rep.Unused[0].Template != "/api/legacy/{id}" {
		t.Errorf("unused %+v", rep.Unused)
	}
	for _, r := range rep.Routes {
		if r.Template == "/debug/vars" == r.Declared {
			t.Errorf("%s declared=%v", r.Template, r.Declared)
		}
	}
}

// Without anything declared, there are no shadow or unused routes; an
// attack answered 5xx as often as other requests is no finding.
func TestFindingsNeedEvidence(t *testing.T) {
	inv := New(Options{})
	observeN(inv, 10, Observation{Method: "GET", Path: "/flaky", Status: 500, At: t0})
	observeN(inv, 10, Observation{Method: "GET", Path: "/flaky", Status: 200, At: t0})
	observeN(inv, 4, Observation{Method: "GET", Path: "/flaky", Status: 500, Attack: true, At: t0})
	observeN(inv, 4, Observation{Method: "GET", Path: "/flaky", Status: 200, Attack: true, At: t0})
	observeN(inv, 2, Observation{Method: "GET", Path: "/api/public/a", Status: 200, At: t0}) // too few to judge
	observeN(inv, 5, Observation{Method: "GET", Path: "/api/public/b", Status: 401, At: t0})
	if got := kinds(Analyze(inv.Routes(), nil, t0)); len(got) != 0 {
		t.Errorf("findings %q, want none", got)
	}
}

func TestLeak(t *testing.T) {
	for body, want := range map[string]string{
		`<p>near &quot;&#39;&quot;: syntax error</p>`:                                       "SQL error",
		"Error: boom\n    at Layer.handle [as handle_request] (/app/node_modules/x.js:1:2)": "stack trace",
		"You have an error in your SQL syntax; check the manual":                            "SQL error",
		"<h1>Search results</h1><p>SELECT is a keyword</p>":                                 "",
	} {
		if got := Leak([]byte(body)); got != want {
			t.Errorf("Leak(%q) = %q, want %q", body, got, want)
		}
	}
}

// The inventory survives a restart through a real SQLite file, and
// forgets routes past the retention.
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	db, err := sqlite.Open(ctx, path, sqlite.Migrations{"routes": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	inv := New(Options{Now: func() time.Time { return now }})
	for _, p := range []string{"/blog/first-post", "/blog/second-post", "/blog/third-post", "/api/users/1"} {
		o := ok("GET", p, 1)
		o.Credentials = true
		inv.Observe(o)
	}
	old := ok("GET", "/old", 1)
	old.At = t0.Add(-40 * 24 * time.Hour)
	inv.Observe(old)
	if err := inv.Save(ctx, db.DB, 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = sqlite.Open(ctx, path, sqlite.Migrations{"routes": Migrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again := New(Options{})
	if err := again.Load(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /api/users/{id}", "GET /blog/{slug}"}
	if got := templates(again); !slices.Equal(got, want) {
		t.Fatalf("after reload %q, want %q", got, want)
	}
	// the reloaded tree goes on templating the same way
	again.Observe(ok("GET", "/blog/fourth-post", 2))
	for _, r := range again.Routes() {
		if r.Template == "/blog/{slug}" && (r.Requests != 4 || r.WithCredentials != 3 || r.Clients != 2) {
			t.Errorf("/blog/{slug}: %d requests, %d with credentials, %d clients; want 4, 3, 2", r.Requests, r.WithCredentials, r.Clients)
		}
	}
	if got := again.Stats().Started; !got.Equal(old.At.Truncate(time.Second)) {
		t.Errorf("learning started %v, want the first request's %v", got, old.At)
	}
}

// A failed login's 401 says nothing of the routes beside it; a refused
// attack on a declared route counts on it, and is no call.
func TestFindingsLoginSiblingAndRefusedAttack(t *testing.T) {
	inv := New(Options{})
	inv.SetDeclared([]Declared{{Method: "GET", Template: "/api/export", Source: "openapi:x"}, {Method: "GET", Template: "/api/products", Source: "openapi:x"}, {Method: "POST", Template: "/api/login", Source: "openapi:x"}})
	observeN(inv, 5, Observation{Method: "POST", Path: "/api/login", Status: 401, At: t0})
	observeN(inv, 5, Observation{Method: "GET", Path: "/api/products", Status: 200, At: t0})
	inv.Observe(Observation{Method: "GET", Path: "/api/export", Status: 403, Refused: true, Attack: true, At: t0})
	rep := Analyze(inv.Routes(), inv.Declared(), t0)
	if got := kinds(rep); !slices.Equal(got, []string{"unused GET /api/export"}) {
		t.Errorf("findings %q, want only the export route unused", got)
	}
	for _, r := range rep.Routes {
		if r.Template == "/api/export" && r.Attacks != 1 {
			t.Errorf("the refused attack on a declared route: %d attacks, want 1", r.Attacks)
		}
	}
}
