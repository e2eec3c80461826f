package guard

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/routes"
)

// routeSaveEvery is how often the route inventory is written to the store.
const routeSaveEvery = 15 * time.Second

// surface is the gateway's route inventory and what it needs.
type surface struct {
	cfg  routes.Config
	inv  *routes.Inventory
	stop chan struct{}
	done sync.WaitGroup
}

// newRoutes builds the route inventory: the declared surface first, then
// what the store kept.
func (g *Gateway) newRoutes(ctx context.Context, opts Options) error {
	cfg := g.cfg.Routes.WithDefaults()
	s := &surface{cfg: cfg, stop: make(chan struct{})}
	s.inv = routes.New(routes.Options{MaxNodes: cfg.MaxTemplates, Learning: cfg.Learning})
	declared, err := routes.LoadDeclared(ctx, cfg)
	if err != nil {
		return err
	}
	s.inv.SetDeclared(declared)
	if opts.DB != nil {
		if err := s.inv.Load(ctx, opts.DB.DB); err != nil {
			return err
		}
		s.done.Add(1)
		go func() {
			defer s.done.Done()
			t := time.NewTicker(routeSaveEvery)
			defer t.Stop()
			for {
				select {
				case <-s.stop:
					g.saveRoutes(opts)
					return
				case <-t.C:
					g.saveRoutes(opts)
				}
			}
		}()
	}
	g.routes = s
	return nil
}

func (g *Gateway) saveRoutes(opts Options) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.routes.inv.Save(ctx, opts.DB.DB, g.routes.cfg.Retention); err != nil {
		g.log.Warn("saving the route inventory", "error", err)
	}
}

func (s *surface) close() {
	close(s.stop)
	s.done.Wait()
}

// Routes returns the surface report: every route, the declared ones never
// called, and the findings. Nil when the inventory is off.
func (g *Gateway) Routes() *routes.Report {
	if g.routes == nil {
		return nil
	}
	rep := routes.Analyze(g.routes.inv.Routes(), g.routes.inv.Declared(), g.routes.inv.Stats().Started)
	return &rep
}

// observeRoute counts a finished request in the inventory, and publishes a
// route first seen after the learning period.
func (g *Gateway) observeRoute(r *http.Request, rec *recorder, status int, latency time.Duration) {
	ri := infoFrom(r.Context())
	session := ""
	if g.accounts != nil {
		session = g.accounts.SessionCookie()
	}
	o := routes.Observation{
		Method:      r.Method,
		Path:        r.URL.Path,
		Status:      status,
		Client:      routeClient(ri),
		Credentials: g.routes.cfg.Credentials.In(r, session),
		ContentType: routes.MediaType(rec.Header().Get("Content-Type")),
		Latency:     latency,
		Refused:     !ri.upstream,
		Attack:      ri.attack,
	}
	if !ri.attack && !ri.suspect {
		o.Fields = ri.fields // learn only from what inspection found nothing in
	}
	if ri.tap != nil {
		o.Leak = routes.Leak(ri.tap.buf.Bytes())
	}
	if o.Attack && !o.Refused && (status >= 500 || o.Leak != "") {
		g.reportAnomaly(r, status, o.Leak)
	}
	fresh, isNew := g.routes.inv.Observe(o)
	if !isNew {
		return
	}
	g.publish(r, event.Event{
		Category: event.CategoryWeb, Type: "info", Action: "new-route", Severity: event.SeverityLow,
		Status:  status,
		Message: "new route " + fresh.Method + " " + fresh.Template + " first answered after the learning period",
		Labels:  map[string]string{"template": fresh.Template},
	})
}

// reportAnomaly publishes an attack the app answered badly: the sign that
// it may really be vulnerable there, which bans at once (scenario
// app-anomaly) and alerts.
func (g *Gateway) reportAnomaly(r *http.Request, status int, leak string) {
	anomaly := fmt.Sprintf("%d", status)
	if leak != "" {
		anomaly += " showing a " + leak
	}
	g.publish(r, event.Event{
		Kind: event.KindAlert, Category: event.CategoryMalicious, Type: "indicator", Action: "attack-app-anomaly",
		Outcome: event.OutcomeUnknown, Severity: event.SeverityCritical, Status: status,
		Message: "the app answered an attack with " + anomaly + ": it may be vulnerable here",
		Labels:  map[string]string{"anomaly": anomaly},
	})
}

// withFieldTypes hands inspection the learned types of the fields of the
// request's route, and collects what inspection shows of its parameters
// for the inventory to learn from.
func (g *Gateway) withFieldTypes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := infoFrom(r.Context())
		ri.types = g.routes.inv.FieldTypes(r.Method, r.URL.Path)
		seen := func(where, value string) {
			if len(ri.fields) < maxLearnFields {
				ri.fields = append(ri.fields, routes.FieldOf(where, value))
			}
		}
		next.ServeHTTP(w, r.WithContext(inspect.WithFields(r.Context(), ri.types, seen)))
	})
}

// maxLearnFields bounds the fields of one request the inventory learns.
const maxLearnFields = 64

// routeClient is a hash of the client's address block ([clientKey]: an
// IPv6 host picks any address of its /64).
func routeClient(ri *requestInfo) uint32 {
	b, _ := clientKey(ri.clientIP).Addr().MarshalBinary()
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}

// withEnforcement answers requests for routes the app does not declare:
// an event in detect mode, 404 in block mode. The 404 is the gateway's
// plain one: it never reveals what is declared.
func (g *Gateway) withEnforcement(next http.Handler) http.Handler {
	cfg := g.routes.cfg
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !enforced(cfg.EnforcePrefixes, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if _, ok := g.routes.inv.Match(r.Method, r.URL.Path); ok ||
			(r.Method == http.MethodOptions && g.routes.inv.DeclaresPath(r.URL.Path)) { // CORS preflights
			next.ServeHTTP(w, r)
			return
		}
		e := event.Event{
			Category: event.CategoryWeb, Type: "info", Action: "undeclared-route", Severity: event.SeverityLow,
			Outcome: event.OutcomeUnknown,
			Message: "request for a route the app does not declare",
		}
		if cfg.EnforceMode != routes.EnforceBlock {
			g.publish(r, e)
			next.ServeHTTP(w, r)
			return
		}
		e.Type, e.Outcome, e.Status = "denied", event.OutcomeFailure, http.StatusNotFound
		e.Message = "refused a request for a route the app does not declare"
		g.publish(r, e)
		writeError(w, http.StatusNotFound, infoFrom(r.Context()).id, 0)
	})
}

func enforced(prefixes []string, path string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) || path+"/" == p {
			return true
		}
	}
	return false
}

// bodyTap keeps the start of a response to an attack for [routes.Leak].
type bodyTap struct {
	io.ReadCloser
	buf bytes.Buffer
}

func (t *bodyTap) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := routes.LeakPeek - t.buf.Len(); room > 0 && n > 0 {
		t.buf.Write(p[:min(n, room)])
	}
	return n, err
}

// markUpstream notes that the app answered r, and taps the answer to an
// attack.
func (g *Gateway) markUpstream(resp *http.Response) error {
	ri := infoFrom(resp.Request.Context())
	ri.upstream = true
	if ri.attack && g.routes != nil && resp.Body != nil && resp.Header.Get("Content-Encoding") == "" {
		ri.tap = &bodyTap{ReadCloser: resp.Body}
		resp.Body = ri.tap
	}
	return nil
}

// serveRoutes answers the admin's /v1/routes: the surface report as JSON.
func (g *Gateway) serveRoutes(w http.ResponseWriter, r *http.Request) {
	rep := g.Routes()
	if rep == nil {
		http.Error(w, "the route inventory is off (routes.disable)", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(rep)
}
