package guard

import (
	"context"
	"net/http"
	"time"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/console"
	"github.com/bulwark-sec/bulwark/supervise"
)

// withConsole adds the console's part of the admin API to mux, behind the
// token, and serves the console itself at /console/, outside it: the
// console has its own login and calls mux in-process. The console's
// Routes page reads the route surface report from the gateway.
func (g *Gateway) withConsole(mux *http.ServeMux, token string) http.Handler {
	events := g.console.Recorder().Handler()
	for _, p := range []string{"GET /v1/events", "GET /v1/events/", "GET /v1/series"} {
		mux.Handle(p, events)
	}
	if sv, ok := g.app.(*supervise.Supervisor); ok {
		mux.Handle("POST /v1/app/restart", console.RestartHandler(appRestarter{sv}))
	}
	deps := g.console.DependencyHandler()
	for _, p := range []string{"GET /v1/audit", "GET /v1/updates"} {
		mux.Handle(p, deps)
	}
	g.console.SetRoutes(g.Routes)
	outer := http.NewServeMux()
	outer.Handle("/console/", g.console.Handler(mux, token))
	outer.Handle("/", requireToken(token, mux))
	return outer
}

// appRestarter lets the console restart the supervised app.
type appRestarter struct{ *supervise.Supervisor }

func (a appRestarter) Status() console.AppStatus {
	s := a.Supervisor.Status()
	return console.AppStatus{PID: s.PID, Restarts: s.Restarts}
}

// consoleProbe samples, for the console's series, the figures that are not
// events.
func (g *Gateway) consoleProbe() console.Probe {
	p := console.Probe{BansActive: -1}
	if mfs, err := g.registry.Gather(); err == nil {
		for _, mf := range mfs {
			var sum float64
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
			switch mf.GetName() {
			case "bulwark_http_requests_total":
				p.Requests = uint64(sum)
			case "bulwark_banned_requests_total":
				p.Banned = uint64(sum)
			}
		}
	}
	if g.book != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if bans, err := g.book.List(ctx, blackbook.Filter{Active: true, Limit: 100000}); err == nil {
			p.BansActive = len(bans)
		}
	}
	if g.app != nil {
		s := g.app.Status()
		p.App, p.Restarts, p.PID = string(s.State), s.Restarts, s.PID
	}
	return p
}
