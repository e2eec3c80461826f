package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/console"
	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/headers"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/internal/clientip"
	"github.com/bulwark-sec/bulwark/internal/fleet"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/limit"
)

// A Gateway is the public handler and its admin side. It is safe for
// concurrent use.
type Gateway struct {
	cfg      Config
	log      *slog.Logger
	bus      *event.Bus
	resolver *clientip.Resolver
	metrics  *metrics
	// connsRefused counts connections over Server.MaxConnsPerClient.
	connsRefused prometheus.Counter
	registry     *prometheus.Registry
	handler      http.Handler // the stages around the proxy
	tooLarge     http.Handler // the 413 page, through the header stage
	badReq       http.Handler // the 400 page, through the header stage

	book     *blackbook.Book // bans, if any
	limiter  *limit.Limiter  // rate limits
	accounts *accounts.Watch // account watch, with a store
	routes   *surface        // the route inventory, unless disabled

	console *console.Console // the web console on the admin listener, if any

	app      App          // the supervised upstream, if any
	waiting  atomic.Int64 // requests waiting for the app
	inflight atomic.Int64 // requests passed to the app
}

// Options are the gateway's collaborators.
type Options struct {
	// Bus receives the gateway's events. If nil, events are discarded.
	Bus *event.Bus
	// Logger is for operational messages. If nil, slog.Default().
	Logger *slog.Logger
	// App is the upstream when the gateway supervises it (guard --run):
	// requests wait while it starts or restarts. If nil, the upstream is
	// someone else's to run.
	App App
	// Book is the black book: banned clients are refused first of all. If
	// nil, nobody is banned.
	Book *blackbook.Book
	// DB is the store the account watch keeps its state in. If nil, there
	// is no account watch.
	DB *sqlite.DB
	// Redis, if set, shares the rate limits with the other gateways.
	Redis redis.UniversalClient
	// Fleet, if set, shares the account watch's counts and one-time state
	// with the other gateways, and its metrics join the registry.
	Fleet *fleet.Shared
	// Mailer mails users about new-device logins and account changes. If
	// nil, those are events only.
	Mailer accounts.Mailer
	// Registry gets the gateway's metrics, served on the admin /metrics;
	// others (the sinks) may register theirs in it too. If nil, a new one.
	Registry *prometheus.Registry
	// Console is the web console, served on the admin listener at
	// /console/ behind its own login. If nil, there is none.
	Console *console.Console
}

// ErrNoUpstream is New's error for a configuration without an upstream.
var ErrNoUpstream = errors.New("guard: no upstream: give --upstream http://HOST:PORT or upstream: in bulwark.yaml")

// New validates cfg (after defaults) and builds the gateway.
func New(cfg Config, opts Options) (*Gateway, error) {
	cfg = cfg.WithDefaults()
	if cfg.Upstream == "" {
		return nil, ErrNoUpstream
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	target, _ := url.Parse(cfg.Upstream)
	resolver, _ := clientip.New(cfg.TrustedProxies)
	g := &Gateway{
		cfg:      cfg,
		log:      opts.Logger,
		bus:      opts.Bus,
		resolver: resolver,
		registry: opts.Registry,
		app:      opts.App,
	}
	if g.log == nil {
		g.log = slog.Default()
	}
	if g.registry == nil {
		g.registry = prometheus.NewRegistry()
	}
	if g.bus == nil {
		g.bus = event.NewBus(nil)
	}
	g.metrics = newMetrics(g.registry)
	if opts.Fleet != nil {
		g.registry.MustRegister(opts.Fleet.Collectors()...)
	}
	g.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "bulwark_events_dropped_total",
		Help: "Events a subscriber could not take in time and lost.",
	}, func() float64 {
		var n uint64
		for _, s := range g.bus.Stats() {
			n += s.Dropped
		}
		return float64(n)
	}))
	g.connsRefused = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "bulwark_connections_refused_total",
		Help: "Connections refused because their client already held server.maxConnsPerClient open.",
	})
	g.registry.MustRegister(g.connsRefused)
	g.bus.Subscribe("metrics", 0, func(e event.Event) {
		g.metrics.events.WithLabelValues(string(e.Kind), string(e.Category)).Inc()
	})

	secure, err := headers.New(cfg.Headers)
	if err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	cookies, err := headers.NewCookies(cfg.Cookies)
	if err != nil {
		return nil, fmt.Errorf("cookies: %w", err)
	}
	engine, err := inspect.New(cfg.Inspect)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	if g.limiter, err = limit.New(cfg.Limits, limit.Options{Logger: g.log, Redis: opts.Redis, ClientIP: g.clientIP, OnLimit: g.reportLimited}); err != nil {
		return nil, fmt.Errorf("limits: %w", err)
	}
	g.book = opts.Book
	if opts.Console != nil {
		g.console = opts.Console
		g.console.Recorder().SetProbe(g.consoleProbe)
	}
	if opts.DB != nil {
		if err := g.newAccounts(opts); err != nil {
			g.limiter.Close()
			return nil, err
		}
	}

	if !cfg.Routes.Disable {
		if err := g.newRoutes(context.Background(), opts); err != nil {
			g.Close()
			return nil, err
		}
	}

	// The stages, innermost first: a request meets them in the opposite
	// order (DESIGN.md's data flow).
	var h http.Handler = g.newProxy(target)
	if g.app != nil {
		h = g.withApp(h)
	}
	if g.accounts != nil {
		h = g.accounts.Middleware()(h)
	}
	h = cookies(h)
	h = engine.Middleware(inspect.MiddlewareOptions{OnVerdict: g.reportVerdict})(h)
	if g.routes != nil {
		h = g.withFieldTypes(h)
	}
	if g.routes != nil && cfg.Routes.Enforce == "declared" {
		h = g.withEnforcement(h)
	}
	if csp := cfg.Headers.ContentSecurityPolicy; csp != nil && strings.HasPrefix(csp.ReportPath, "/") {
		h = g.withReports(csp.ReportPath, h)
	}
	if g.accounts != nil {
		h = g.withNotMe(h)
	}
	h = g.limiter.Middleware()(h)
	if g.book != nil {
		h = g.book.Middleware(blackbook.MiddlewareOptions{ClientIP: g.clientIP, Deny: g.denyBanned})(h)
	}
	g.handler = secure(h)
	g.tooLarge = secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusRequestEntityTooLarge, infoFrom(r.Context()).id, 0)
	}))
	g.badReq = secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusBadRequest, infoFrom(r.Context()).id, 0)
	}))
	return g, nil
}

// Config returns the effective configuration, defaults applied.
func (g *Gateway) Config() Config { return g.cfg }

// ServeHTTP decides who the client is, bounds the request and passes it
// through the stages to the upstream.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ri := &requestInfo{clientIP: g.resolver.ClientIP(r), https: g.resolver.HTTPS(r)}
	if id := r.Header.Get(RequestHeader); id != "" && validRequestID(id) && g.resolver.Trusted(clientip.Peer(r)) {
		ri.id = id
	} else {
		ri.id = newRequestID()
	}
	w.Header().Set(RequestHeader, ri.id)
	if ri.https {
		r = r.WithContext(headers.WithHTTPS(withInfo(r.Context(), ri)))
	} else {
		r = r.WithContext(withInfo(r.Context(), ri))
	}
	rec := &recorder{ResponseWriter: w}
	// Deferred: ReverseProxy aborts the handler with a panic when the client
	// goes away mid-response, and such requests must still be counted.
	defer g.finish(rec, r, start)

	// One parse of the request-target, shared: inspection reads
	// r.RequestURI and the proxy forwards ri.target, the same bytes.
	var err error
	if ri.target, err = parseTarget(r); err != nil {
		g.publish(r, event.Event{
			Category: event.CategoryWeb, Type: "denied", Action: "bad-request-target",
			Outcome: event.OutcomeFailure, Severity: event.SeverityLow, Status: http.StatusBadRequest,
			Message: err.Error(),
		})
		g.badReq.ServeHTTP(rec, r)
		return
	}
	if max := int64(g.cfg.Server.MaxBodyBytes); r.ContentLength > max {
		g.metrics.upstreamErrors.WithLabelValues("body_too_large").Inc()
		g.publish(r, event.Event{
			Category: event.CategoryWeb, Type: "denied", Action: "body-too-large",
			Outcome: event.OutcomeFailure, Severity: event.SeverityLow, Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("request body of %d bytes is over the %d byte limit", r.ContentLength, max),
		})
		g.tooLarge.ServeHTTP(rec, r)
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(rec, r.Body, int64(g.cfg.Server.MaxBodyBytes))
	}
	g.handler.ServeHTTP(rec, r)
}

// finish counts the request and, as configured, makes it an event.
func (g *Gateway) finish(rec *recorder, r *http.Request, start time.Time) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	latency := time.Since(start)
	g.metrics.observe(r.Method, status, latency.Seconds())
	if g.routes != nil {
		g.observeRoute(r, rec, status, latency)
	}
	if g.cfg.AccessEvents == "all" || (g.cfg.AccessEvents == "errors" && status >= 400 && !infoFrom(r.Context()).reported) {
		g.publish(r, event.Event{Category: event.CategoryWeb, Type: "access", Status: status, Outcome: outcome(status)})
	}
}

func outcome(status int) event.Outcome {
	if status >= 400 {
		return event.OutcomeFailure
	}
	return event.OutcomeSuccess
}

// publish fills the request's facts into e and puts it on the bus.
func (g *Gateway) publish(r *http.Request, e event.Event) {
	ri := infoFrom(r.Context())
	ri.reported = true
	e.SourceIP = ri.clientIP
	e.RequestID = ri.id
	e.Method = r.Method
	e.Path = r.URL.Path
	e.UserAgent = event.Truncate(r.UserAgent(), 512)
	if e.UserName == "" && g.accounts != nil {
		e.UserName = g.accounts.UserFor(r)
	}
	g.bus.Publish(e)
}

// recorder remembers the status written. It unwraps for
// http.ResponseController, so flushing and deadlines reach the connection.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
