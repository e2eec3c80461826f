package guard

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

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
	g, gw, ev := newGateway(t, Config{Upstream: up.URL, Routes: routes.Config{Learning: 300 * time.Millisecond}})
	getStatus(t, gw.URL+"/api/users/1")
	getStatus(t, gw.URL+"/api/users/2", "Authorization", "Bearer x")
	getStatus(t, gw.URL+"/api/users/3", "Cookie", "connect.sid=s%3Aabc")
	getStatus(t, gw.URL+"/search?q="+strings.ReplaceAll("1' OR '1'='1", " ", "+")) // blocked: creates nothing
	time.Sleep(400 * time.Millisecond)
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
