package routes

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// ok is a request the app answered 200, from client c.
func ok(method, path string, c uint32) Observation {
	return Observation{Method: method, Path: path, Status: 200, Client: c, At: t0, Latency: 3 * time.Millisecond}
}

func templates(inv *Inventory) []string {
	var ts []string
	for _, r := range inv.Routes() {
		ts = append(ts, r.Method+" "+r.Template)
	}
	return ts
}

func TestTemplatesOfRealPaths(t *testing.T) {
	inv := New(Options{Learning: time.Hour})
	paths := []string{
		"GET /api/v1/users/42", "GET /api/v1/users/1337", "GET /api/v1/users/42/orders/9",
		"GET /api/v2/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301",
		"GET /api/articles/how-to-train-your-dragon", "GET /api/articles/hello-world",
		"GET /api/articles/my-first-post/comments", "GET /api/articles/my-first-post/comments/17",
		"DELETE /api/articles/another-one-3/comments/18", "GET /api/articles/feed",
		"GET /files/5f8d0d55b54764421b7156c9", "GET /reports/2026-11-30",
		"GET /users/ada@example.com/profile", "GET /reset/eyJhbGciOiJIUzI1NiJ9abcDEF123",
		"GET /", "GET /about/", "POST /login",
	}
	for i, p := range paths {
		var m, path string
		fmt.Sscan(p, &m, &path)
		inv.Observe(ok(m, path, uint32(i)))
	}
	want := []string{
		"GET /",
		"GET /about",
		"GET /api/articles/feed",
		"GET /api/articles/{slug}",
		"GET /api/articles/{slug}/comments",
		"DELETE /api/articles/{slug}/comments/{id}",
		"GET /api/articles/{slug}/comments/{id}",
		"GET /api/v1/users/{id}",
		"GET /api/v1/users/{id}/orders/{id}",
		"GET /api/v2/orders/{uuid}",
		"GET /files/{hex}",
		"POST /login",
		"GET /reports/{date}",
		"GET /reset/{token}",
		"GET /users/{email}/profile",
	}
	got := templates(inv)
	if !slices.Equal(got, want) {
		t.Errorf("templates:\n got %q\nwant %q", got, want)
	}
	for _, r := range inv.Routes() {
		if r.Template == "/api/v1/users/{id}" && (r.Requests != 2 || r.Clients != 2) {
			t.Errorf("%s: %d requests from %d clients, want 2 from 2", r.Template, r.Requests, r.Clients)
		}
	}
}

// A word that is not slug-shaped stays static until the position is wide.
func TestManyDistinctValuesBecomeAParameter(t *testing.T) {
	inv := New(Options{})
	for i := range wideAfter + 5 {
		inv.Observe(ok("GET", fmt.Sprintf("/tags/tag%c%c", 'a'+i%26, 'a'+i/26), uint32(i%2))) // two clients at most
	}
	got := templates(inv)
	if !slices.Contains(got, "GET /tags/{slug}") || len(got) > wideAfter/2 {
		t.Errorf("templates: %q, want /tags/{slug} and few others", got)
	}
}

// A scan of random paths the app answers (an SPA's catch-all) neither
// evicts nor renames the routes real clients use, and stays bounded.
func TestRandomScanDoesNotPolluteRealTemplates(t *testing.T) {
	inv := New(Options{MaxNodes: 400})
	real := []string{"/api/products", "/api/cart", "/account", "/checkout", "/search"}
	for c := range 20 {
		for _, p := range real {
			inv.Observe(ok("GET", p, uint32(1000+c)))
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 4+rnd.IntN(8))
		for i := range b {
			b[i] = byte('a' + rnd.IntN(26))
		}
		return string(b)
	}
	scanner := uint32(7)
	for range 20000 {
		p := "/" + word()
		for range rnd.IntN(4) {
			p += "/" + word()
		}
		inv.Observe(ok("GET", p, scanner))
	}
	// a new real route, used by many clients after the scan, is learned
	for c := range promoteAfter + 1 {
		inv.Observe(ok("GET", "/wishlist", uint32(5000+c)))
	}
	got := templates(inv)
	for _, p := range append(real, "/wishlist") {
		if !slices.Contains(got, "GET "+p) {
			t.Errorf("real route %s lost after the scan; templates: %d", p, len(got))
		}
	}
	for _, r := range inv.Routes() {
		if slices.Contains(real, r.Template) && r.Requests != 20 {
			t.Errorf("%s: %d requests, want the real clients' 20", r.Template, r.Requests)
		}
	}
	if st := inv.Stats(); st.Nodes > st.MaxNodes {
		t.Errorf("%d nodes over the bound %d", st.Nodes, st.MaxNodes)
	}
	if len(got) > 60 {
		t.Errorf("%d templates after a random scan: not merged", len(got))
	}
}

// 404s and refused requests create no template; a refused attack counts on
// the template it targets.
func TestOnlyAnsweredRequestsCreateTemplates(t *testing.T) {
	inv := New(Options{})
	inv.Observe(Observation{Method: "GET", Path: "/.env", Status: 404, At: t0})
	inv.Observe(Observation{Method: "GET", Path: "/wp-admin", Status: 403, Refused: true, Attack: true, At: t0})
	inv.Observe(ok("GET", "/search", 1))
	inv.Observe(Observation{Method: "GET", Path: "/search", Status: 403, Refused: true, Attack: true, At: t0})
	got := templates(inv)
	if !slices.Equal(got, []string{"GET /search"}) {
		t.Fatalf("templates %q, want only GET /search", got)
	}
	r := inv.Routes()[0]
	if r.Requests != 1 || r.Attacks != 1 || r.AttacksPassed != 0 {
		t.Errorf("requests %d attacks %d passed %d, want 1 1 0", r.Requests, r.Attacks, r.AttacksPassed)
	}
}

func TestFiguresOfARoute(t *testing.T) {
	inv := New(Options{})
	for i := range 100 {
		o := ok("GET", fmt.Sprintf("/api/orders/%d", i), uint32(i%5))
		o.Latency = time.Duration(i+1) * time.Millisecond
		o.ContentType = "application/json"
		o.Credentials = i%4 != 0
		if !o.Credentials {
			o.Status = 401
		}
		inv.Observe(o)
	}
	r := inv.Routes()[0]
	if r.Requests != 100 || r.Status[2] != 75 || r.Status[4] != 25 || r.WithCredentials != 75 || r.AnonymousDenied != 25 {
		t.Errorf("figures: %+v", r)
	}
	if r.Clients != 5 || r.ContentTypes["application/json"] != 100 {
		t.Errorf("clients %d content types %v", r.Clients, r.ContentTypes)
	}
	// true p50 50 ms, p99 99 ms; buckets are within 25%
	if r.P50 < 50 || r.P50 > 50*1.25 || r.P99 < 99 || r.P99 > 99*1.25 {
		t.Errorf("p50 %.1f p99 %.1f, want about 50 and 99", r.P50, r.P99)
	}
}

func TestDeclaredTemplatesWin(t *testing.T) {
	inv := New(Options{})
	inv.SetDeclared([]Declared{
		{Method: "GET", Template: "/api/articles/{slug}"},
		{Method: "GET", Template: "/api/articles/feed"},
		{Method: "*", Template: "/files/{*}"},
	})
	inv.Observe(ok("GET", "/api/articles/feed", 1))
	inv.Observe(ok("GET", "/api/articles/welcome", 1))
	inv.Observe(ok("HEAD", "/api/articles/welcome", 1))
	inv.Observe(ok("PUT", "/files/a/b/c.txt", 1))
	inv.Observe(ok("POST", "/api/articles/welcome", 1)) // method not declared: learned
	want := []string{"GET /api/articles/feed", "POST /api/articles/welcome", "GET /api/articles/{slug}", "HEAD /api/articles/{slug}", "PUT /files/{*}"}
	if got := templates(inv); !slices.Equal(got, want) {
		t.Errorf("templates\n got %q\nwant %q", got, want)
	}
}

func TestNewRouteAfterLearning(t *testing.T) {
	now := t0
	var fresh []string
	inv := New(Options{Learning: time.Hour, Now: func() time.Time { return now }})
	obs := func(m, p string) {
		o := ok(m, p, 1)
		o.At = now
		if r, isNew := inv.Observe(o); isNew {
			fresh = append(fresh, r.Method+" "+r.Template)
		}
	}
	obs("GET", "/a")
	obs("GET", "/blog/first-post")
	now = now.Add(2 * time.Hour)
	obs("GET", "/a")
	obs("GET", "/admin/export")
	obs("GET", "/blog/second-post") // a new article is not a new route
	obs("GET", "/blog/third-post")
	obs("GET", "/admin/export")
	if want := []string{"GET /admin/export"}; !slices.Equal(fresh, want) {
		t.Errorf("new routes %q, want %q", fresh, want)
	}
}

// BenchmarkObserve is the inventory's cost per request: a learned
// template and a declared one.
func BenchmarkObserve(b *testing.B) {
	inv := New(Options{})
	inv.SetDeclared([]Declared{{Method: "GET", Template: "/api/products/{id}"}})
	o := ok("GET", "/api/articles/how-to-train-your-dragon/comments/17", 1)
	d := ok("GET", "/api/products/42", 2)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			inv.Observe(o)
		} else {
			inv.Observe(d)
		}
	}
}

// A scan from two addresses sending the same random paths fills the table
// with routes two clients "use"; a new route real clients use still finds
// room, and the old real ones stay.
func TestFullTableMakesRoomForRealRoutes(t *testing.T) {
	inv := New(Options{MaxNodes: 40}) // full before any position is wide
	real := []string{"/api/products", "/api/cart", "/account"}
	for c := range 5 {
		for _, p := range real {
			inv.Observe(ok("GET", p, uint32(100+c)))
		}
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		p := fmt.Sprintf("/x%d/y%d", rnd.IntN(1000), rnd.IntN(1000)) // x123 is no slug
		inv.Observe(ok("GET", p, 7))
		inv.Observe(ok("GET", p, 8))
	}
	for c := range 4 {
		inv.Observe(ok("GET", "/api/orders", uint32(200+c)))
	}
	got := templates(inv)
	for _, p := range append(real, "/api/orders") {
		if !slices.Contains(got, "GET "+p) {
			t.Errorf("%s missing from a full table (%d templates)", p, len(got))
		}
	}
	if st := inv.Stats(); st.Nodes > st.MaxNodes {
		t.Errorf("%d nodes, over the bound %d", st.Nodes, st.MaxNodes)
	}
}

// A path of thousands of slashes is cut into a bounded number of segments.
func TestDeepPathBounded(t *testing.T) {
	inv := New(Options{})
	inv.SetDeclared([]Declared{{Method: "GET", Template: "/files/{*}"}})
	deep := strings.Repeat("/a", 16000)
	if n := testing.AllocsPerRun(5, func() { inv.Observe(ok("GET", deep, 1)) }); n > 3 {
		t.Errorf("observing a 16,000-segment path allocates %v times", n)
	}
	if got := len(split(deep)); got != maxSegments+1 {
		t.Errorf("split into %d segments, want %d", got, maxSegments+1)
	}
	got := templates(inv)
	if len(got) != 1 || !strings.HasSuffix(got[0], "/{*}") {
		t.Errorf("templates %q, want one ending in {*}", got)
	}
}
