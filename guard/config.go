package guard

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/headers"
	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/internal/clientip"
	"github.com/bulwark-sec/bulwark/limit"
	"github.com/bulwark-sec/bulwark/routes"
)

// Config is the gateway's part of bulwark.yaml. Its zero value, with an
// Upstream, is a safe gateway.
type Config struct {
	// Listen is the public address. If empty, ":8080".
	Listen string `yaml:"listen"`
	// Upstream is the app's base URL, e.g. "http://127.0.0.1:3000". Required.
	Upstream string `yaml:"upstream"`
	// TrustedProxies lists the proxies (CIDRs or addresses) whose
	// X-Forwarded-For and Forwarded headers are believed. If empty, none:
	// the socket peer is always the client.
	TrustedProxies []string `yaml:"trustedProxies"`
	// Server bounds what a client may send and how long it may take.
	Server Server `yaml:"server"`
	// Proxy bounds the gateway's talk with the upstream.
	Proxy Proxy `yaml:"proxy"`
	// AppWait bounds how requests wait for an app the gateway supervises.
	AppWait AppWait `yaml:"appWait"`
	// Admin is the separate listener for health and metrics.
	Admin Admin `yaml:"admin"`
	// Headers sets Helmet's secure headers; its zero value is Helmet's defaults.
	Headers headers.Config `yaml:"headers"`
	// Inspect detects and blocks attacks: SQL injection, XSS, traversal,
	// command injection, probes for files such as .env, and more. Its zero
	// value blocks at the recommended threshold.
	Inspect inspect.Config `yaml:"inspect"`
	// Cookies hardens the upstream's Set-Cookie headers.
	Cookies headers.CookieConfig `yaml:"cookies"`
	// Limits are the rate limits: per client, per network, per route group
	// and global. Its zero value limits each client generously.
	Limits limit.Config `yaml:"limits"`
	// Accounts watches logins and account changes. Its zero value detects
	// failed logins on paths that look like logins.
	Accounts accounts.Config `yaml:"accounts"`
	// Routes is the route inventory: templates learned from traffic, what
	// the app declares, and optional enforcement. Its zero value learns.
	Routes routes.Config `yaml:"routes"`
	// AccessEvents chooses which requests become events: "errors" (responses
	// with status 400 and above), "all", or "none". If empty, "errors".
	AccessEvents string `yaml:"accessEvents"`
}

// Server holds the public listener's limits.
type Server struct {
	// ReadHeaderTimeout bounds reading the request line and headers. If zero, 10s.
	ReadHeaderTimeout time.Duration `yaml:"readHeaderTimeout"`
	// ReadTimeout bounds reading the whole request, body included. If zero, 60s.
	ReadTimeout time.Duration `yaml:"readTimeout"`
	// WriteTimeout bounds writing the response. If zero, 120s.
	WriteTimeout time.Duration `yaml:"writeTimeout"`
	// IdleTimeout bounds keep-alive idleness. If zero, 120s.
	IdleTimeout time.Duration `yaml:"idleTimeout"`
	// MaxHeaderBytes bounds the request line and headers; more gets 431. If zero, 32KiB.
	MaxHeaderBytes config.Size `yaml:"maxHeaderBytes"`
	// MaxBodyBytes bounds a request body; more gets 413. It is also
	// inspect.maxUpload's default: a multipart upload up to it passes,
	// while other bodies are inspected, and bounded, by inspect.maxBody.
	// If zero, 10MiB.
	MaxBodyBytes config.Size `yaml:"maxBodyBytes"`
	// ShutdownTimeout bounds the wait for in-flight requests on SIGTERM. If zero, 30s.
	ShutdownTimeout time.Duration `yaml:"shutdownTimeout"`
	// MaxConnsPerClient bounds the connections one client (an IPv4 address
	// or an IPv6 /64) holds open at once; more are answered 429 and closed.
	// Trusted proxies are never limited. Browsers open up to 6 per site, so
	// the default leaves room for dozens of them behind one NAT. If zero,
	// 256; -1 turns the limit off.
	MaxConnsPerClient int `yaml:"maxConnsPerClient"`
}

// Proxy holds the upstream connection's limits.
type Proxy struct {
	// DialTimeout bounds connecting to the upstream. If zero, 5s.
	DialTimeout time.Duration `yaml:"dialTimeout"`
	// ResponseHeaderTimeout bounds the wait for the upstream's response
	// headers; past it the client gets 504. If zero, 60s.
	ResponseHeaderTimeout time.Duration `yaml:"responseHeaderTimeout"`
	// MaxIdleConns bounds idle keep-alive connections to the upstream. If zero, 256.
	MaxIdleConns int `yaml:"maxIdleConns"`
}

// Admin is the admin listener: never the public one, always behind a token.
type Admin struct {
	// Listen is the admin address. If empty, "127.0.0.1:9090".
	Listen string `yaml:"listen"`
	// Token is the bearer token every admin request must carry. If empty,
	// one is generated at start and written to TokenFile.
	Token config.Secret `yaml:"token"`
	// TokenFile is where a generated token is written (mode 0600). If empty,
	// "bulwark-admin.token" next to the store.
	TokenFile string `yaml:"tokenFile"`
}

// WithDefaults returns c with every zero field set to its documented default.
func (c Config) WithDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.Listen == "" {
		c.Listen = ":8080"
	}
	s := &c.Server
	def(&s.ReadHeaderTimeout, 10*time.Second)
	def(&s.ReadTimeout, 60*time.Second)
	def(&s.WriteTimeout, 120*time.Second)
	def(&s.IdleTimeout, 120*time.Second)
	def(&s.ShutdownTimeout, 30*time.Second)
	if s.MaxConnsPerClient == 0 {
		s.MaxConnsPerClient = 256
	}
	if s.MaxHeaderBytes == 0 {
		s.MaxHeaderBytes = 32 << 10
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = 10 << 20
	}
	if c.Inspect.MaxUpload == 0 {
		c.Inspect.MaxUpload = s.MaxBodyBytes // an upload the server takes is not refused by inspection
	}
	def(&c.Proxy.DialTimeout, 5*time.Second)
	def(&c.Proxy.ResponseHeaderTimeout, 60*time.Second)
	if c.Proxy.MaxIdleConns == 0 {
		c.Proxy.MaxIdleConns = 256
	}
	def(&c.AppWait.Timeout, 30*time.Second)
	if c.AppWait.MaxWaiting == 0 {
		c.AppWait.MaxWaiting = 1024
	}
	if c.Admin.Listen == "" {
		c.Admin.Listen = "127.0.0.1:9090"
	}
	if c.AccessEvents == "" {
		c.AccessEvents = "errors"
	}
	return c
}

// Validate reports every bad value, each at its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(path string, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	if c.Upstream != "" {
		if err := checkUpstream(c.Upstream); err != nil {
			bad("upstream", "%v", err)
		}
	}
	for i, p := range c.TrustedProxies {
		if _, err := clientip.ParsePrefix(p); err != nil {
			bad(fmt.Sprintf("trustedProxies[%d]", i), "%v", err)
		}
	}
	d := c.WithDefaults()
	for _, a := range []struct{ path, addr string }{{"listen", c.Listen}, {"admin.listen", c.Admin.Listen}} {
		if a.addr == "" {
			continue
		}
		if _, port, err := net.SplitHostPort(a.addr); err != nil || port == "" {
			bad(a.path, "%q is not a host:port address (e.g. :8080 or 127.0.0.1:9090)", a.addr)
		}
	}
	if sameListener(d.Listen, d.Admin.Listen) {
		path := "admin.listen"
		if c.Admin.Listen == "" {
			path = "listen"
		}
		bad(path, "the public listener must not share the admin listener's address %s", d.Admin.Listen)
	}
	for _, d := range []struct {
		path string
		v    time.Duration
	}{
		{"server.readHeaderTimeout", c.Server.ReadHeaderTimeout}, {"server.readTimeout", c.Server.ReadTimeout},
		{"server.writeTimeout", c.Server.WriteTimeout}, {"server.idleTimeout", c.Server.IdleTimeout},
		{"server.shutdownTimeout", c.Server.ShutdownTimeout}, {"proxy.dialTimeout", c.Proxy.DialTimeout},
		{"proxy.responseHeaderTimeout", c.Proxy.ResponseHeaderTimeout}, {"appWait.timeout", c.AppWait.Timeout},
	} {
		if d.v < 0 {
			bad(d.path, "must be at least 0s, got %s", config.FormatDuration(d.v))
		}
	}
	if c.AppWait.MaxWaiting < 0 {
		bad("appWait.maxWaiting", "must be at least 0, got %d", c.AppWait.MaxWaiting)
	}
	if c.Server.MaxConnsPerClient < -1 {
		bad("server.maxConnsPerClient", "must be a number of connections, or -1 for no limit (0 is the default, 256), got %d", c.Server.MaxConnsPerClient)
	}
	if c.Proxy.MaxIdleConns < 0 {
		bad("proxy.maxIdleConns", "must be at least 0, got %d", c.Proxy.MaxIdleConns)
	}
	switch c.AccessEvents {
	case "", "errors", "all", "none":
	default:
		bad("accessEvents", "must be errors, all or none, got %q", c.AccessEvents)
	}
	if err := c.Headers.Validate(); err != nil {
		errs = append(errs, config.Within("headers", err))
	}
	if err := c.Inspect.Validate(); err != nil {
		errs = append(errs, config.Within("inspect", err))
	}
	if err := c.Cookies.Validate(); err != nil {
		errs = append(errs, config.Within("cookies", err))
	}
	if err := c.Limits.Validate(); err != nil {
		errs = append(errs, config.Within("limits", err))
	}
	if err := c.Accounts.Validate(); err != nil {
		errs = append(errs, config.Within("accounts", err))
	}
	if err := c.Routes.Validate(); err != nil {
		errs = append(errs, config.Within("routes", err))
	}
	return errors.Join(errs...)
}

func checkUpstream(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL such as http://127.0.0.1:3000", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q: give only scheme, host and an optional path", s)
	}
	if strings.HasPrefix(u.EscapedPath(), "//") {
		// The request-target would start with "//", which cannot always be
		// forwarded as sent.
		return fmt.Errorf("%q: the path must not start with //", s)
	}
	return nil
}

// sameListener reports whether two listen addresses would share a port on
// some interface.
func sameListener(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb || pa == "0" {
		return false
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || wild(ha) || wild(hb)
}
