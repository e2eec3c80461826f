package console

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/routes"
)

// BenchmarkRoutesAPI times GET /console/api/routes, which the Routes page
// asks every 10 seconds, over a large app's inventory: 50 prefixes of 40
// static routes each, every route called by 8 clients.
func BenchmarkRoutesAPI(b *testing.B) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	inv := routes.New(routes.Options{})
	for p := range 50 {
		for r := range 40 {
			for c := range 8 {
				inv.Observe(routes.Observation{Method: "GET", Path: fmt.Sprintf("/api/area%d/report%d", p, r),
					Status: 200, Client: uint32(c), At: at})
			}
		}
	}
	c := &Console{}
	c.SetRoutes(func() *routes.Report {
		rep := routes.Analyze(inv.Routes(), inv.Declared(), at)
		return &rep
	})
	n := len(inv.Routes())
	if n < 1000 {
		b.Fatalf("the inventory kept %d routes, want a large one", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		c.serveRoutes(w, httptest.NewRequest("GET", "/console/api/routes", nil))
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
	b.ReportMetric(float64(n), "routes")
}
