package accounts

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Config is the accounts section of bulwark.yaml. Its zero value detects
// failed logins heuristically (401 or 403 from a POST to a path that looks
// like a login), applies the default thresholds and checks nothing else;
// name a [Preset] or list [Route]s to watch more.
type Config struct {
	// Preset adds ready-made routes: "express-example" (the example
	// Express app: form and JSON logins, register, profile changes) or
	// "json-api" (a JSON API under /api). Routes listed in Routes come
	// first. If empty, none.
	Preset string `yaml:"preset"`
	// Routes are the app's account routes; the first that matches a
	// request wins. If empty, only the preset's.
	Routes []Route `yaml:"routes"`
	// SessionCookie is the name of the app's session cookie. If empty, the
	// preset's; with no preset, the first cookie a successful login sets.
	SessionCookie string `yaml:"sessionCookie"`
	// NoHeuristic turns off failed-login detection on unconfigured paths
	// that look like logins. If false, it is on.
	NoHeuristic bool `yaml:"noHeuristic"`
	// Key signs "this wasn't me" links and keys the hashes of session
	// cookies. If empty, a random key is made once and kept in the store.
	Key config.Secret `yaml:"key"`
	// MaxBody is the largest request or response body read on an account
	// route; a larger one passes unread. If zero, 64KiB.
	MaxBody config.Size `yaml:"maxBody"`
	// Thresholds decide when failed logins lead to blocks, bans and alerts.
	Thresholds Thresholds `yaml:"thresholds"`
	// NewDevice mails users about logins from new networks or devices.
	NewDevice NewDevice `yaml:"newDevice"`
	// Breach checks passwords against known breaches.
	Breach Breach `yaml:"breach"`
	// Sessions bounds what is remembered about session cookies.
	Sessions Sessions `yaml:"sessions"`
	// IngestToken, if set, is the bearer token the ingest API requires
	// (in addition to wherever it is mounted). If empty, the ingest API
	// relies on the admin listener's token.
	IngestToken config.Secret `yaml:"ingestToken"`
}

// Thresholds for failed logins. Defaults follow Auth0's brute-force
// protection where it has one.
type Thresholds struct {
	// PairFailures is how many consecutive failures of one user from one IP
	// block that pair. If zero, 10 (Auth0's default).
	PairFailures int `yaml:"pairFailures"`
	// PairBlock is how long a pair stays blocked. If zero, 1h.
	PairBlock time.Duration `yaml:"pairBlock"`
	// UserIPs is how many distinct IPs failing for one user within Window
	// raise an alert (a distributed attack on one account). If zero, 10.
	UserIPs int `yaml:"userIPs"`
	// IPUsers is how many distinct usernames failing from one IP within
	// Window get the IP banned (credential stuffing). If zero, 20.
	IPUsers int `yaml:"ipUsers"`
	// IPBan is how long a credential stuffer is banned. If zero, 24h.
	IPBan time.Duration `yaml:"ipBan"`
	// Window is the time over which distinct IPs and users are counted.
	// If zero, 1h.
	Window time.Duration `yaml:"window"`
	// RatioWindow is the window of the global failure ratio. If zero, 5m.
	RatioWindow time.Duration `yaml:"ratioWindow"`
	// RatioMin is the fewest login attempts in RatioWindow for the ratio to
	// count. If zero, 100.
	RatioMin int `yaml:"ratioMin"`
	// Ratio is the failure ratio (0 to 1) in RatioWindow that raises an
	// alert. If zero, 0.8.
	Ratio float64 `yaml:"ratio"`
	// MaxTracked bounds the users, IPs and pairs counted in memory; the
	// oldest are forgotten first. If zero, 100000.
	MaxTracked int `yaml:"maxTracked"`
}

// NewDevice configures the notice of logins from a new network (/24 for
// IPv4, /64 for IPv6) or a new user-agent family.
type NewDevice struct {
	// Off turns the notice off. If false, it is on.
	Off bool `yaml:"off"`
	// LinkBase is the public base URL of the gateway, used in the "this
	// wasn't me" link, e.g. "https://shop.example.com". If empty, mails
	// carry the link only when the login came to this machine's own host
	// (localhost, a loopback address: a demo); elsewhere the Host header is
	// the client's choice, and a thief could have the link point to his
	// site, so mails go without a link and a warning is logged once.
	LinkBase string `yaml:"linkBase"`
	// NotMePath is where the gateway serves the "this wasn't me" page. If
	// empty, "/.bulwark/not-me".
	NotMePath string `yaml:"notMePath"`
	// LinkTTL is how long a link works. If zero, 7d.
	LinkTTL time.Duration `yaml:"linkTTL"`
	// Ban is how long the IP of a disowned login is banned. If zero, 7d.
	Ban time.Duration `yaml:"ban"`
	// From is the sender of the mails. If empty, the mailer's default.
	From string `yaml:"from"`
}

// Breach configures breached-password checks on successful logins,
// registrations and password changes (never on failures).
type Breach struct {
	// Mode is off, online (Have I Been Pwned's range API) or offline (File).
	// If empty, online.
	Mode string `yaml:"mode"`
	// Action is event, notify (event and mail the user) or refuse (the
	// login is refused with a message and its session revoked). If empty,
	// event.
	Action string `yaml:"action"`
	// BaseURL is the range API. If empty, "https://api.pwnedpasswords.com".
	BaseURL string `yaml:"baseURL"`
	// Timeout bounds one range request; past it the check fails open and
	// logs. If zero, 2s.
	Timeout time.Duration `yaml:"timeout"`
	// CacheSize is how many range answers (prefixes) are cached; one takes
	// about 60KiB. If zero, 512.
	CacheSize int `yaml:"cacheSize"`
	// CacheTTL is how long a range answer is cached. If zero, 24h.
	CacheTTL time.Duration `yaml:"cacheTTL"`
	// File is the offline list written by `bulwark breach import`. Required
	// when Mode is offline.
	File string `yaml:"file"`
	// MinCount is the fewest breaches that count. If zero, 1.
	MinCount int `yaml:"minCount"`
}

// Sessions bounds the session cookies remembered for attribution and
// revocation.
type Sessions struct {
	// Max is how many sessions are kept in memory. If zero, 100000.
	Max int `yaml:"max"`
	// TTL is how long an unrevoked session is remembered. If zero, 30d.
	TTL time.Duration `yaml:"ttl"`
}

// WithDefaults returns c with each zero field set to its documented default.
func (c Config) WithDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	defInt := func(d *int, v int) {
		if *d == 0 {
			*d = v
		}
	}
	if c.MaxBody == 0 {
		c.MaxBody = 64 << 10
	}
	t := &c.Thresholds
	defInt(&t.PairFailures, 10)
	def(&t.PairBlock, time.Hour)
	defInt(&t.UserIPs, 10)
	defInt(&t.IPUsers, 20)
	def(&t.IPBan, 24*time.Hour)
	def(&t.Window, time.Hour)
	def(&t.RatioWindow, 5*time.Minute)
	defInt(&t.RatioMin, 100)
	if t.Ratio == 0 {
		t.Ratio = 0.8
	}
	defInt(&t.MaxTracked, 100000)
	n := &c.NewDevice
	if n.NotMePath == "" {
		n.NotMePath = "/.bulwark/not-me"
	}
	def(&n.LinkTTL, 7*24*time.Hour)
	def(&n.Ban, 7*24*time.Hour)
	b := &c.Breach
	if b.Mode == "" {
		b.Mode = "online"
	}
	if b.Action == "" {
		b.Action = "event"
	}
	if b.BaseURL == "" {
		b.BaseURL = "https://api.pwnedpasswords.com"
	}
	def(&b.Timeout, 2*time.Second)
	defInt(&b.CacheSize, 512)
	def(&b.CacheTTL, 24*time.Hour)
	defInt(&b.MinCount, 1)
	defInt(&c.Sessions.Max, 100000)
	def(&c.Sessions.TTL, 30*24*time.Hour)
	return c
}

// Validate reports every bad value, each at its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if _, ok := presets[c.Preset]; !ok && c.Preset != "" {
		bad("preset", "unknown preset %q (use express-example or json-api)", c.Preset)
	}
	for i, r := range c.Routes {
		if err := r.Validate(); err != nil {
			errs = append(errs, config.Within(fmt.Sprintf("routes[%d]", i), err))
		}
	}
	if c.MaxBody < 0 {
		bad("maxBody", "must be at least 0, got %d", c.MaxBody)
	}
	t := c.Thresholds
	for _, v := range []struct {
		path string
		n    int
	}{{"thresholds.pairFailures", t.PairFailures}, {"thresholds.userIPs", t.UserIPs}, {"thresholds.ipUsers", t.IPUsers},
		{"thresholds.ratioMin", t.RatioMin}, {"thresholds.maxTracked", t.MaxTracked}, {"breach.cacheSize", c.Breach.CacheSize},
		{"breach.minCount", c.Breach.MinCount}, {"sessions.max", c.Sessions.Max}} {
		if v.n < 0 {
			bad(v.path, "must be at least 0, got %d", v.n)
		}
	}
	for _, v := range []struct {
		path string
		d    time.Duration
	}{{"thresholds.pairBlock", t.PairBlock}, {"thresholds.ipBan", t.IPBan}, {"thresholds.window", t.Window},
		{"thresholds.ratioWindow", t.RatioWindow}, {"newDevice.linkTTL", c.NewDevice.LinkTTL}, {"newDevice.ban", c.NewDevice.Ban},
		{"breach.timeout", c.Breach.Timeout}, {"breach.cacheTTL", c.Breach.CacheTTL}, {"sessions.ttl", c.Sessions.TTL}} {
		if v.d < 0 {
			bad(v.path, "must be at least 0s, got %s", config.FormatDuration(v.d))
		}
	}
	if t.Ratio < 0 || t.Ratio > 1 {
		bad("thresholds.ratio", "must be between 0 and 1, got %g", t.Ratio)
	}
	if lb := c.NewDevice.LinkBase; lb != "" {
		if u, err := url.Parse(lb); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("newDevice.linkBase", "%q is not an http(s) URL such as https://shop.example.com", lb)
		}
	}
	if p := c.NewDevice.NotMePath; p != "" && !strings.HasPrefix(p, "/") {
		bad("newDevice.notMePath", "must start with /, got %q", p)
	}
	switch c.Breach.Mode {
	case "", "off", "online":
	case "offline":
		if c.Breach.File == "" {
			bad("breach.file", "offline mode needs a file: build one with bulwark breach import")
		}
	default:
		bad("breach.mode", "must be off, online or offline, got %q", c.Breach.Mode)
	}
	switch c.Breach.Action {
	case "", "event", "notify", "refuse":
	default:
		bad("breach.action", "must be event, notify or refuse, got %q", c.Breach.Action)
	}
	if u := c.Breach.BaseURL; u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			bad("breach.baseURL", "%q is not an http(s) URL", u)
		}
	}
	return errors.Join(errs...)
}
