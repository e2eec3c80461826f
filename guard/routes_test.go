package guard

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/internal/testutil"
	"github.com/bulwark-sec/bulwark/routes"
)

func getStatus(t *testing.T, url string, header ...string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// The gateway counts what the app answered, by template, with and without
// credentials, and publishes a route first answered after learning.
func TestRouteInventoryInTheGateway(t *testing.T) {
	up := newUpstream(t, nil)
	const learning = 300 * time.Millisecond
	g, gw, ev := newGateway(t, Config{Upstream: up.URL, Routes: routes.Config{Learning: learning}})
	getStatus(t, gw.URL+"/api/users/1")
	getStatus(t, gw.URL+"/api/users/2", "Authorization", "Bearer x")
	getStatus(t, gw.URL+"/api/users/3", "Cookie", "connect.sid=s%3Aabc")
	getStatus(t, gw.URL+"/search?q="+strings.ReplaceAll("1' OR '1'='1", " ", "+")) // blocked: creates nothing
	// The learning period runs on the inventory's clock from its first
	// request: wait until it is over by that clock, not a guessed sleep.
	testutil.Eventually(t, "past the learning period", func() bool {
		started := g.routes.inv.Stats().Started
		return !started.IsZero() && time.Since(started) >= learning
	})
	getStatus(t, gw.URL+"/api/users/4")
	getStatus(t, gw.URL+"/api/export")
	e := ev.wait(t, "new-route")
	if e.Labels["template"] != "/api/export" || e.Path != "/api/export" {
		t.Errorf("new-route event %+v, want /api/export", e)
	}
	rep := g.Routes()
	if len(rep.Routes) != 2 {
		t.Fatalf("routes %+v, want /api/export and /api/users/{id}", rep.Routes)
	}
	r := rep.Routes[1].Route
	if r.Template != "/api/users/{id}" || r.Requests != 4 || r.WithCredentials != 2 {
		t.Errorf("route %+v, want /api/users/{id} with 4 requests, 2 with credentials", r)
	}
}

const enforceSpec = `openapi: 3.0.3
info: {title: shop, version: "1"}
paths:
  /api/products:
    get: {responses: {"200": {description: ok}}}
  /api/products/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: ok}}
`

// routes.enforce: declared answers 404 for routes the app does not declare
// under the enforced prefixes (block), or lets them through with an event
// (detect).
func TestEnforceDeclaredRoutes(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(spec, []byte(enforceSpec), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{routes.EnforceBlock, routes.EnforceDetect} {
		t.Run(mode, func(t *testing.T) {
			up := newUpstream(t, nil)
			_, gw, ev := newGateway(t, Config{Upstream: up.URL, Routes: routes.Config{
				OpenAPI: spec, Enforce: "declared", EnforceMode: mode, EnforcePrefixes: []string{"/api/"},
			}})
			for path, declared := range map[string]bool{
				"/api/products": true, "/api/products/7": true, "/api/products/7/reviews": false,
				"/api/internal/debug": false, "/about": true, // outside the prefix
			} {
				want := http.StatusOK
				if !declared && mode == routes.EnforceBlock {
					want = http.StatusNotFound
				}
				if got := getStatus(t, gw.URL+path); got != want {
					t.Errorf("GET %s = %d, want %d", path, got, want)
				}
			}
			e := ev.waitFor(t, "undeclared-route", func(e event.Event) bool { return e.Action == "undeclared-route" && e.Path == "/api/internal/debug" })
			if mode == routes.EnforceBlock && e.Status != http.StatusNotFound {
				t.Errorf("event %+v, want status 404", e)
			}
		})
	}
}

// An attack the app answers with a database error is the sign the app may
// be injectable there: an alert of its own, which bans at once.
func TestAttackAnsweredWithAnErrorIsAnAnomaly(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "%27") {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `<p>near "'": syntax error</p>`)
			return
		}
		io.WriteString(w, "results")
	})
	// detect mode: the attack reaches the app, as one under the threshold would
	_, gw, ev := newGateway(t, Config{Upstream: up.URL, Inspect: inspect.Config{Mode: inspect.ModeDetect}})
	getStatus(t, gw.URL+"/search?q=lamp")
	if st := getStatus(t, gw.URL+"/search?q=%27%20OR%201%3D1--"); st != http.StatusInternalServerError {
		t.Fatalf("status %d, want the app's 500 (detect mode)", st)
	}
	e := ev.wait(t, "attack-app-anomaly")
	if e.Kind != event.KindAlert || e.Labels["anomaly"] != "500 showing a SQL error" || e.Path != "/search" {
		t.Errorf("anomaly event %+v", e)
	}
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for _, e := range ev.got {
		if e.Action == "attack-app-anomaly" && e.Status != 500 {
			t.Errorf("an anomaly for a clean request: %+v", e)
		}
	}
}

// The gateway learns a route's field types from clean requests of several
// clients, then judges by them: an id receiving SQL without a keyword is
// blocked, a password that looks like SQL passes.
func TestGatewayLearnsFieldTypes(t *testing.T) {
	up := newUpstream(t, nil)
	_, gw, ev := newGateway(t, Config{Upstream: up.URL, TrustedProxies: []string{"127.0.0.1"}})
	send := func(client int, method, path, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, gw.URL+path, strings.NewReader(body))
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", client))
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	// Before learning, a password that looks like SQL is blocked as SQL.
	if st := send(99, "POST", "/login", "user=ann&password=%27%20or%20%27a%27%3D%27a"); st != http.StatusForbidden {
		t.Fatalf("SQL-looking password before learning: %d, want 403", st)
	}
	for i := range 30 {
		send(i%6+1, "GET", fmt.Sprintf("/api/items?id=%d", i), "")
		send(i%6+1, "POST", "/login", fmt.Sprintf("user=user%d&password=plain%dword", i, i))
	}
	if st := send(50, "GET", "/api/items?id=1%20or%20true", ""); st != http.StatusForbidden {
		t.Errorf("an integer id receiving `1 or true`: %d, want 403", st)
	}
	ev.waitFor(t, "bw-field-001", func(e event.Event) bool { return e.RuleID == "bw-field-001" })
	if st := send(51, "POST", "/login", "user=bob&password=%27%20or%20%27a%27%3D%27a"); st != http.StatusOK {
		t.Errorf("a password that looks like SQL, on a field learned as a password: %d, want 200", st)
	}
}
