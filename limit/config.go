package limit

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/internal/clientip"
)

// Config configures a [Limiter]. Its zero value limits each client address
// to 50 requests a second (bursts of 100) and each network to 500 a second
// (bursts of 1000), with no global limit and no route groups.
type Config struct {
	// Disable turns every rate limit off. If false, the limits below apply.
	Disable bool `yaml:"disable"`
	// PerIP limits each client: an IPv4 address, or the /64 an IPv6 host
	// owns (a host picks any address in its /64 at will). If the rate is
	// unset, 50/s with a burst of 100: a browser loading a page fetches tens
	// of assets at once, and several people behind one NAT (an office, a
	// mobile carrier) share an address, so the default only stops scripts.
	PerIP Limit `yaml:"perIP"`
	// PerNetwork limits each network, to catch a client that rotates
	// addresses within its subnet. If the rate is unset, 500/s with a burst
	// of 1000 (ten times PerIP: a carrier-grade NAT or campus puts many real
	// users in one /24). Prefixes default to /24 and /48.
	PerNetwork Network `yaml:"perNetwork"`
	// Global limits all requests together, to protect an upstream with a
	// known capacity. If the rate is unset, there is no global limit: a
	// global limit refuses real users along with a flood, so it is a choice
	// to make knowing the app's capacity.
	Global Limit `yaml:"global"`
	// Routes are tighter limits for groups of routes, e.g. a login form.
	// Every group a request matches applies, in addition to the limits
	// above. If empty, none.
	Routes []Route `yaml:"routes"`
	// Exempt lists addresses and CIDRs ("10.0.0.0/8", "192.0.2.7") that no
	// limit applies to, such as health checkers. If empty, none.
	Exempt []string `yaml:"exempt"`
	// MaxKeys bounds the keys (clients or networks) each limit remembers.
	// If zero, 262144 (1<<18), which costs at most about 10 MB per limit:
	// a key at the default PerIP rate is forgotten 2 s after the client
	// stops, so that is room for over 100,000 clients each second. At least
	// 1024. When a limit is full, keys that owe nothing go first, then
	// those owing least. Eviction forgives: it can let a request through
	// early, never refuse one. That is acceptable because a sprayer's keys
	// owe one request each, which a new address would be allowed anyway,
	// while a client being refused owes the most and is kept; rotating
	// addresses is what PerNetwork and Global are for.
	MaxKeys int `yaml:"maxKeys"`
	// RedisPrefix starts every Redis key of the limits, so several fleets
	// can share one Redis; the gateway sets it from store.redis.prefix. If
	// empty, "bulwark".
	RedisPrefix string `yaml:"-"`
}

// A Limit is a rate with a burst.
type Limit struct {
	// Disable turns this limit off. Writing `perIP: false` does the same.
	Disable bool `yaml:"disable"`
	// Rate is the sustained rate, e.g. "50/s" or "600/m". Its default is
	// the limit's (see where it is used).
	Rate Rate `yaml:"rate"`
	// Burst is how many requests may arrive at once before the rate
	// applies. If zero, the limit's default, or else the rate's count.
	Burst int `yaml:"burst"`
}

// A Network is a per-network limit: a [Limit] and the prefix lengths that
// make a network.
type Network struct {
	// Disable turns the per-network limit off.
	Disable bool `yaml:"disable"`
	// Rate is the sustained rate per network. If unset, 500/s.
	Rate Rate `yaml:"rate"`
	// Burst is the burst per network. If zero, 1000 (with the default
	// rate) or the rate's count.
	Burst int `yaml:"burst"`
	// IPv4Prefix is the length of an IPv4 network, 8 to 32. If zero, 24.
	IPv4Prefix int `yaml:"ipv4Prefix"`
	// IPv6Prefix is the length of an IPv6 network, 16 to 64 (a client is
	// already a /64). If zero, 48, the usual size of a site's allocation.
	IPv6Prefix int `yaml:"ipv6Prefix"`
}

// A Route is a group of routes with its own limit.
type Route struct {
	// Name names the group in decisions, events and Redis keys: letters,
	// digits, "-" and "_". Required, and unique.
	Name string `yaml:"name"`
	// Methods are the HTTP methods of the group. If empty, any.
	Methods []string `yaml:"methods"`
	// Paths select the group's paths. "/login" is that path; "/api/*" is
	// /api and everything below it; other patterns use path.Match syntax
	// ("/users/*/password"). Matching ignores case and a trailing slash and
	// cleans the path first (as Express routes do, so "/LOGIN/" cannot
	// bypass the limit). Required.
	Paths []string `yaml:"paths"`
	// Rate is the group's rate, e.g. "5/m". Required.
	Rate Rate `yaml:"rate"`
	// Burst is the group's burst. If zero, the rate's count.
	Burst int `yaml:"burst"`
	// Per is what the group counts by: "ip" (each client, as PerIP) or
	// "global" (all clients together). If empty, "ip".
	Per string `yaml:"per"`
}

// Defaults, documented on the fields.
const (
	defaultMaxKeys    = 1 << 18
	defaultIPv4Prefix = 24
	defaultIPv6Prefix = 48
	maxRoutes         = 64
	maxBurst          = 1_000_000
)

var (
	defaultPerIP      = Limit{Rate: Rate{N: 50, Per: time.Second}, Burst: 100}
	defaultPerNetwork = Limit{Rate: Rate{N: 500, Per: time.Second}, Burst: 1000}
)

// WithDefaults returns c with every unset field at its documented default.
func (c Config) WithDefaults() Config {
	if c.RedisPrefix == "" {
		c.RedisPrefix = "bulwark"
	}
	c.PerIP = c.PerIP.withDefault(defaultPerIP)
	n := c.PerNetwork.limit().withDefault(defaultPerNetwork)
	c.PerNetwork.Rate, c.PerNetwork.Burst = n.Rate, n.Burst
	if c.PerNetwork.IPv4Prefix == 0 {
		c.PerNetwork.IPv4Prefix = defaultIPv4Prefix
	}
	if c.PerNetwork.IPv6Prefix == 0 {
		c.PerNetwork.IPv6Prefix = defaultIPv6Prefix
	}
	c.Global = c.Global.withDefault(Limit{})
	c.Routes = append([]Route(nil), c.Routes...)
	for i := range c.Routes {
		r := &c.Routes[i]
		if r.Burst == 0 && r.Rate.N > 0 {
			r.Burst = int(min(r.Rate.N, maxBurst))
		}
		if r.Per == "" {
			r.Per = "ip"
		}
	}
	if c.MaxKeys == 0 {
		c.MaxKeys = defaultMaxKeys
	}
	return c
}

func (n Network) limit() Limit { return Limit{Disable: n.Disable, Rate: n.Rate, Burst: n.Burst} }

// withDefault fills an unset rate (and then burst) from def.
func (l Limit) withDefault(def Limit) Limit {
	if l.Rate.IsZero() {
		l.Rate = def.Rate
		if l.Burst == 0 {
			l.Burst = def.Burst
		}
	}
	if l.Burst == 0 && l.Rate.N > 0 {
		l.Burst = int(min(l.Rate.N, maxBurst))
	}
	return l
}

// on reports whether the limit counts anything.
func (l Limit) on() bool { return !l.Disable && !l.Rate.IsZero() }

// Validate reports every bad value, each at its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	for _, l := range []struct {
		path string
		l    Limit
	}{{"perIP", c.PerIP}, {"perNetwork", c.PerNetwork.limit()}, {"global", c.Global}} {
		errs = append(errs, config.Within(l.path, l.l.validate()))
	}
	if p := c.PerNetwork.IPv4Prefix; p != 0 && (p < 8 || p > 32) {
		bad("perNetwork.ipv4Prefix", "must be between 8 and 32, got %d", p)
	}
	if p := c.PerNetwork.IPv6Prefix; p != 0 && (p < 16 || p > 64) {
		bad("perNetwork.ipv6Prefix", "must be between 16 and 64 (each IPv6 client is already counted by its /64), got %d", p)
	}
	if len(c.Routes) > maxRoutes {
		bad("routes", "at most %d route groups, got %d", maxRoutes, len(c.Routes))
	}
	seen := map[string]int{}
	for i, r := range c.Routes {
		at := fmt.Sprintf("routes[%d]", i)
		if j, dup := seen[r.Name]; dup && r.Name != "" {
			bad(at+".name", "%q is already the name of routes[%d]; give each group its own name", r.Name, j)
		}
		seen[r.Name] = i
		errs = append(errs, config.Within(at, r.Validate()))
	}
	for i, e := range c.Exempt {
		if _, err := clientip.ParsePrefix(e); err != nil {
			bad(fmt.Sprintf("exempt[%d]", i), "%v", err)
		}
	}
	if c.MaxKeys != 0 && c.MaxKeys < 1024 {
		bad("maxKeys", "must be at least 1024 (or 0 for the default 262144), got %d", c.MaxKeys)
	}
	return errors.Join(errs...)
}

// validate checks a limit's burst against its rate.
func (l Limit) validate() error {
	if l.Burst < 0 || l.Burst > maxBurst {
		return config.Field("burst", fmt.Errorf("must be between 1 and %d (or 0 for the default), got %d", maxBurst, l.Burst))
	}
	if l.Rate.IsZero() {
		return nil
	}
	if l.Rate.N < 1 || l.Rate.Per <= 0 || l.Rate.Interval() < minInterval {
		return config.Field("rate", fmt.Errorf(`invalid rate %d/%s: write it as count/period, e.g. "100/s"`, l.Rate.N, l.Rate.Per))
	}
	if l.Burst > 0 && int64(l.Rate.Interval()) > math.MaxInt64/4/int64(l.Burst) {
		return config.Field("burst", fmt.Errorf("a burst of %d at %s takes too long to refill; lower one of them", l.Burst, l.Rate))
	}
	return nil
}

// Validate checks one route group.
func (r Route) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if r.Name == "" {
		bad("name", "required: name the group, e.g. login")
	} else if !validName(r.Name) {
		bad("name", "%q: use only letters, digits, - and _ (at most 64)", r.Name)
	}
	for i, m := range r.Methods {
		if !validMethod(m) {
			bad(fmt.Sprintf("methods[%d]", i), "%q is not an HTTP method such as GET or POST", m)
		}
	}
	if len(r.Paths) == 0 {
		bad("paths", `required: list the paths, e.g. ["/login", "/api/*"]`)
	}
	for i, p := range r.Paths {
		if !strings.HasPrefix(p, "/") {
			bad(fmt.Sprintf("paths[%d]", i), "%q must start with /", p)
		} else if _, err := path.Match(p, ""); err != nil {
			bad(fmt.Sprintf("paths[%d]", i), "%q is not a valid pattern: %v", p, err)
		}
	}
	if r.Rate.IsZero() {
		bad("rate", `required: give the group's rate, e.g. "5/m"`)
	}
	errs = append(errs, Limit{Rate: r.Rate, Burst: r.Burst}.validate())
	switch r.Per {
	case "", "ip", "global":
	default:
		bad("per", `must be "ip" or "global", got %q`, r.Per)
	}
	return errors.Join(errs...)
}

func validName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func validMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}
