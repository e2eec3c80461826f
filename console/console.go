package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/headers"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

//go:embed templates static
var assets embed.FS

// Options are the console's collaborators.
type Options struct {
	// DB keeps the password hash and the sessions' hashes; its migrations
	// must include "console": [Migrations]. Required.
	DB *sqlite.DB
	// Bus carries the events the [Recorder] keeps, and receives the
	// console's login events. If nil, the console shows no events.
	Bus *event.Bus
	// History keeps the events and series. If nil, DB does
	// ([SQLiteHistory]).
	History History
	// Logger is for operational messages. If nil, slog.Default().
	Logger *slog.Logger
	// Clock tells the time. If nil, time.Now.
	Clock Clock
	// Audit gives the bulwark audit --monitor results for GET /v1/audit
	// (see [Console.DependencyHandler]). If nil, the endpoint says no
	// source is configured.
	Audit AuditSource
	// Projects are the project directories whose latest bulwark update
	// run GET /v1/updates shows. If empty, the projects Audit knows.
	Projects []string
}

// A Console is the web console. It is safe for concurrent use; Close stops
// its recorder.
type Console struct {
	cfg     Config
	db      *sqlite.DB
	bus     *event.Bus
	log     *slog.Logger
	clock   Clock
	rec     *Recorder
	limiter *loginLimiter
	pages   map[string]*template.Template
	secure  func(http.Handler) http.Handler
	startPW string
	static  http.Handler

	audit    AuditSource
	projects []string
	routes   atomic.Pointer[RoutesSource]
}

// pageNames are the console's pages, in the order of its menu.
var pageNames = []string{"overview", "traffic", "routes", "blackbook", "accounts", "app", "dependencies"}

// New validates cfg (after defaults) and builds the console. When no
// password was set with bulwark console passwd, it generates one for this
// run, stores its hash, and returns it from [Console.StartPassword].
func New(ctx context.Context, cfg Config, opts Options) (*Console, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	cfg = cfg.WithDefaults()
	if opts.DB == nil {
		return nil, errors.New("console: no store: pass Options.DB")
	}
	c := &Console{cfg: cfg, db: opts.DB, bus: opts.Bus, log: opts.Logger, clock: opts.Clock,
		audit: opts.Audit, projects: opts.Projects}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	no := false
	secure, err := headers.New(headers.Config{
		ContentSecurityPolicy: &headers.ContentSecurityPolicy{
			Override: true, UseDefaults: &no,
			Directives: headers.Directives{
				"default-src": {"'self'"}, "script-src": {"'self'"}, "style-src": {"'self'"},
				"img-src": {"'self'", "data:"}, "connect-src": {"'self'"}, "frame-ancestors": {"'none'"},
				"form-action": {"'self'"}, "base-uri": {"'none'"}, "object-src": {"'none'"},
			},
		},
		XFrameOptions: &headers.XFrameOptions{Action: "deny", Override: true},
	})
	if err != nil {
		return nil, fmt.Errorf("console: headers: %w", err)
	}
	c.secure = secure
	if c.pages, err = parsePages(); err != nil {
		return nil, err
	}
	static, _ := fs.Sub(assets, "static")
	c.static = http.StripPrefix("/console/static/", http.FileServerFS(static))
	if c.startPW, err = startPassword(ctx, c.db.DB, c.clock()); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c.limiter = newLoginLimiter(cfg.LoginFailures, cfg.LoginWindow)
	hist := opts.History
	if hist == nil {
		hist = NewSQLiteHistory(c.db.DB)
	}
	c.rec, err = NewRecorder(ctx, opts.Bus, hist, RecorderOptions{Max: cfg.Events,
		Retention: time.Duration(cfg.RetentionDays) * 24 * time.Hour, Clock: c.clock, Logger: c.log})
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	return c, nil
}

// StartPassword returns the password generated for this run, "" when one
// was set with bulwark console passwd. Show it once, to the operator only.
func (c *Console) StartPassword() string { return c.startPW }

// Recorder returns the console's recorder of recent events and series.
func (c *Console) Recorder() *Recorder { return c.rec }

// Close stops the recorder.
func (c *Console) Close() { c.rec.Close() }

func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range append([]string{"login"}, pageNames...) {
		t, err := template.New(name).Funcs(template.FuncMap{"pages": func() []string { return pageNames }}).
			ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: parsing %s page: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}
