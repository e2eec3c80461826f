package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
	"github.com/bulwark-sec/bulwark/routes"
)

// The route inventory end to end: the real example app behind the real
// binary, its routes listed from its code, its test traffic, then a new
// version of the app with one more route.
func TestRouteInventory(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("slow: a real app and gateway (runs in CI)")
	}
	appDir := testutil.ExpressAppDir(t)
	server := filepath.Join(appDir, "server.js")
	bin := buildBulwark(t)

	// The routes the app declares, from its code, with no store yet.
	out, err := exec.Command(bin, "routes", "--express", server, "--json").Output()
	if err != nil {
		t.Fatalf("bulwark routes --express: %v\n%s", err, stderrOf(err))
	}
	var declared routes.Report
	if err := json.Unmarshal(out, &declared); err != nil {
		t.Fatalf("routes --json: %v\n%s", err, out)
	}
	var listed []string
	for _, d := range declared.Unused {
		listed = append(listed, d.Method+" "+d.Template)
	}
	for _, want := range []string{"GET /api/products/{id}", "POST /api/products", "GET /api/admin/stats", "GET /api/admin/users", "POST /login", "GET /search"} {
		if !slices.Contains(listed, want) {
			t.Errorf("bulwark routes --express lists %q, missing %s", listed, want)
		}
	}
	if slices.Contains(listed, "GET /api/admin/export") {
		t.Errorf("the export route is listed though ADMIN_EXPORT is unset")
	}

	appAddr := testutil.FreeAddr(t)
	app := testutil.StartExpressAppAt(t, appAddr)
	dir := t.TempDir()
	pub := testutil.FreeAddr(t)
	cfg := filepath.Join(dir, "bulwark.yaml")
	events := filepath.Join(dir, "events.jsonl")
	const learning = 4 * time.Second
	body := fmt.Sprintf(`upstream: http://%s
listen: %s
admin: {listen: %s}
store: {path: %s}
events: {output: %s}
routes: {express: %s, learning: 4s}
`, appAddr, pub, testutil.FreeAddr(t), filepath.Join(dir, "bulwark.db"), events, server)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	gw := startGateway(t, cfg, pub)
	base := "http://" + pub

	get := func(path, cookie string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := plainClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The app's users: one registers (and so holds the sid cookie), others
	// browse without logging in.
	resp, err := plainClient.PostForm(base+"/register", url.Values{"username": {"routes-user"}, "email": {"routes@example.com"}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var sid string
	for _, c := range resp.Cookies() {
		if c.Name == "sid" {
			sid = "sid=" + c.Value
		}
	}
	if resp.StatusCode != http.StatusFound || sid == "" {
		t.Fatalf("register: %d, cookie %q", resp.StatusCode, sid)
	}
	for i := range 4 {
		for _, p := range []string{"/api/products", fmt.Sprintf("/api/products/%d", i+1), "/api/admin/stats", "/search?q=lamp", "/"} {
			get(p, "")
		}
		if st := get("/api/admin/users", ""); st != http.StatusUnauthorized {
			t.Fatalf("GET /api/admin/users without credentials: %d, want the app's 401", st)
		}
		if st := get("/api/admin/users", sid); st != http.StatusOK {
			t.Fatalf("GET /api/admin/users with the session: %d", st)
		}
		get("/api/me", sid)
	}
	// An attack on the search is blocked and counted on its route.
	if st := get("/search?q="+url.QueryEscape("' UNION SELECT id, name, value FROM secrets--"), ""); st != http.StatusForbidden {
		t.Fatalf("SQL injection through the gateway: %d, want 403", st)
	}

	// A new version of the app, with one more route, after the learning
	// period (which began with the first request, before now).
	time.Sleep(learning + 200*time.Millisecond)
	app.Stop()
	testutil.StartExpressAppAt(t, appAddr, "ADMIN_EXPORT=1")
	if st := get("/api/admin/export", ""); st != http.StatusOK {
		t.Fatalf("GET /api/admin/export on the new version: %d", st)
	}
	get("/api/products", "") // an old route is not new
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(events)
			t.Logf("events:\n%s\ngateway log:\n%s", b, gw.log.String())
		}
	}()
	testutil.Eventually(t, "a new-route event for /api/admin/export", func() bool {
		return len(findEvents(t, events, "new-route", "")) > 0
	})
	gw.stop(t) // writes the inventory to the store
	var fresh []string
	for _, e := range findEvents(t, events, "new-route", "") {
		fresh = append(fresh, e.Labels["template"])
	}
	if !slices.Equal(fresh, []string{"/api/admin/export"}) {
		t.Errorf("new-route events for %q, want only /api/admin/export", fresh)
	}

	out, err = exec.Command(bin, "routes", "--config", cfg, "--json").Output()
	if err != nil {
		t.Fatalf("bulwark routes: %v\n%s", err, stderrOf(err))
	}
	var rep routes.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("routes --json: %v\n%s", err, out)
	}
	byKey := map[string]routes.ReportRoute{}
	for _, r := range rep.Routes {
		byKey[r.Method+" "+r.Template] = r
	}
	for key, want := range map[string]uint64{"GET /api/products": 5, "GET /api/products/{id}": 4, "GET /api/admin/users": 8, "GET /api/admin/stats": 4} {
		if r, ok := byKey[key]; !ok || r.Requests != want || !r.Declared {
			t.Errorf("%s: %+v (present %v), want %d requests, declared", key, r, ok, want)
		}
	}
	if r := byKey["GET /api/admin/users"]; r.WithCredentials != 4 || r.AnonymousDenied != 4 {
		t.Errorf("GET /api/admin/users: %d with credentials, %d anonymous denied; want 4 and 4", r.WithCredentials, r.AnonymousDenied)
	}
	if r := byKey["GET /search"]; r.Attacks != 1 {
		t.Errorf("GET /search: %d attacks, want the blocked one", r.Attacks)
	}
	var findings []string
	for _, f := range rep.Findings {
		findings = append(findings, f.Kind+" "+f.Method+" "+f.Template)
	}
	for _, want := range []string{"unsecured GET /api/admin/stats", "shadow GET /api/admin/export", "unused POST /api/products", "unused GET /download"} {
		if !slices.Contains(findings, want) {
			t.Errorf("findings %q\nmissing %s", findings, want)
		}
	}
	for _, f := range findings {
		if strings.HasPrefix(f, "unsecured ") && f != "unsecured GET /api/admin/stats" {
			t.Errorf("finding %s: only the admin stats route is unsecured", f)
		}
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
