package headers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Config chooses the headers [New] sets. Its zero value sends exactly
// Helmet 8's defaults. Each field is a Helmet option of the same (YAML) name:
// nil means Helmet's default for that header, a section with disable: true
// (YAML shorthand: false) turns the header off, and an empty section ({},
// YAML shorthand: true) means the header with its default options.
//
// The legacy names Helmet still accepts (hsts, noSniff, dnsPrefetchControl,
// ieNoOpen, frameguard, permittedCrossDomainPolicies, hidePoweredBy,
// xssFilter) are accepted too; as in Helmet, setting both names of one
// header is an error.
type Config struct {
	// ContentSecurityPolicy sets Content-Security-Policy. If nil, Helmet's
	// default policy (see [ContentSecurityPolicy]).
	ContentSecurityPolicy *ContentSecurityPolicy `yaml:"contentSecurityPolicy,omitempty"`
	// CrossOriginEmbedderPolicy sets Cross-Origin-Embedder-Policy. If nil,
	// the header is not sent (Helmet 8's default); any non-nil section not
	// disabled sends it, require-corp unless its policy says otherwise.
	CrossOriginEmbedderPolicy *CrossOriginEmbedderPolicy `yaml:"crossOriginEmbedderPolicy,omitempty"`
	// CrossOriginOpenerPolicy sets Cross-Origin-Opener-Policy. If nil, same-origin.
	CrossOriginOpenerPolicy *CrossOriginOpenerPolicy `yaml:"crossOriginOpenerPolicy,omitempty"`
	// CrossOriginResourcePolicy sets Cross-Origin-Resource-Policy. If nil, same-origin.
	CrossOriginResourcePolicy *CrossOriginResourcePolicy `yaml:"crossOriginResourcePolicy,omitempty"`
	// OriginAgentCluster sets Origin-Agent-Cluster: ?1. If nil, on.
	OriginAgentCluster *Switch `yaml:"originAgentCluster,omitempty"`
	// ReferrerPolicy sets Referrer-Policy. If nil, no-referrer.
	ReferrerPolicy *ReferrerPolicy `yaml:"referrerPolicy,omitempty"`
	// StrictTransportSecurity sets Strict-Transport-Security. If nil,
	// max-age=31536000; includeSubDomains.
	StrictTransportSecurity *StrictTransportSecurity `yaml:"strictTransportSecurity,omitempty"`
	// XContentTypeOptions sets X-Content-Type-Options: nosniff. If nil, on.
	XContentTypeOptions *Switch `yaml:"xContentTypeOptions,omitempty"`
	// XDNSPrefetchControl sets X-DNS-Prefetch-Control. If nil, off.
	XDNSPrefetchControl *XDNSPrefetchControl `yaml:"xDnsPrefetchControl,omitempty"`
	// XDownloadOptions sets X-Download-Options: noopen. If nil, on.
	XDownloadOptions *Switch `yaml:"xDownloadOptions,omitempty"`
	// XFrameOptions sets X-Frame-Options. If nil, SAMEORIGIN.
	XFrameOptions *XFrameOptions `yaml:"xFrameOptions,omitempty"`
	// XPermittedCrossDomainPolicies sets X-Permitted-Cross-Domain-Policies.
	// If nil, none.
	XPermittedCrossDomainPolicies *XPermittedCrossDomainPolicies `yaml:"xPermittedCrossDomainPolicies,omitempty"`
	// XPoweredBy removes the application's X-Powered-By header. If nil, on.
	// Its Override field has no meaning and is rejected.
	XPoweredBy *Switch `yaml:"xPoweredBy,omitempty"`
	// XXSSProtection sets X-XSS-Protection: 0. If nil, on.
	XXSSProtection *Switch `yaml:"xXssProtection,omitempty"`

	// PermissionsPolicy sets Permissions-Policy (not in Helmet). If nil, the
	// header is not sent.
	PermissionsPolicy *PermissionsPolicy `yaml:"permissionsPolicy,omitempty"`

	// HSTS is Helmet's legacy name for StrictTransportSecurity. If nil, unused.
	HSTS *StrictTransportSecurity `yaml:"hsts,omitempty"`
	// NoSniff is Helmet's legacy name for XContentTypeOptions. If nil, unused.
	NoSniff *Switch `yaml:"noSniff,omitempty"`
	// DNSPrefetchControl is Helmet's legacy name for XDNSPrefetchControl. If nil, unused.
	DNSPrefetchControl *XDNSPrefetchControl `yaml:"dnsPrefetchControl,omitempty"`
	// IENoOpen is Helmet's legacy name for XDownloadOptions. If nil, unused.
	IENoOpen *Switch `yaml:"ieNoOpen,omitempty"`
	// Frameguard is Helmet's legacy name for XFrameOptions. If nil, unused.
	Frameguard *XFrameOptions `yaml:"frameguard,omitempty"`
	// PermittedCrossDomainPolicies is Helmet's legacy name for
	// XPermittedCrossDomainPolicies. If nil, unused.
	PermittedCrossDomainPolicies *XPermittedCrossDomainPolicies `yaml:"permittedCrossDomainPolicies,omitempty"`
	// HidePoweredBy is Helmet's legacy name for XPoweredBy. If nil, unused.
	HidePoweredBy *Switch `yaml:"hidePoweredBy,omitempty"`
	// XSSFilter is Helmet's legacy name for XXSSProtection. If nil, unused.
	XSSFilter *Switch `yaml:"xssFilter,omitempty"`
}

// A Switch turns on or off a header that takes no options.
type Switch struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value for the header. If
	// false, a value set by the application wins, as in Express.
	Override bool `yaml:"override,omitempty"`
}

// Validate reports every mistake in c that Helmet would reject, and the
// few that only Bulwark's additions can make. Each error has a Field method
// naming the YAML key path it is about, relative to c, such as
// "strictTransportSecurity.maxAge"; several are joined with [errors.Join].
func (c Config) Validate() error {
	_, err := c.compile()
	return err
}

// compile validates c and precomputes every header value.
func (c Config) compile() (*policy, error) {
	b := &builder{p: &policy{}}
	c.ContentSecurityPolicy.build(b, "contentSecurityPolicy")
	c.CrossOriginEmbedderPolicy.build(b, "crossOriginEmbedderPolicy")
	c.CrossOriginOpenerPolicy.build(b, "crossOriginOpenerPolicy")
	c.CrossOriginResourcePolicy.build(b, "crossOriginResourcePolicy")
	c.OriginAgentCluster.build(b, "Origin-Agent-Cluster", "?1")
	c.ReferrerPolicy.build(b, "referrerPolicy")
	hsts, path := alias(b, c.StrictTransportSecurity, "strictTransportSecurity", c.HSTS, "hsts")
	hsts.build(b, path)
	noSniff, _ := alias(b, c.XContentTypeOptions, "xContentTypeOptions", c.NoSniff, "noSniff")
	noSniff.build(b, "X-Content-Type-Options", "nosniff")
	dns, path := alias(b, c.XDNSPrefetchControl, "xDnsPrefetchControl", c.DNSPrefetchControl, "dnsPrefetchControl")
	dns.build(b, path)
	noOpen, _ := alias(b, c.XDownloadOptions, "xDownloadOptions", c.IENoOpen, "ieNoOpen")
	noOpen.build(b, "X-Download-Options", "noopen")
	frame, path := alias(b, c.XFrameOptions, "xFrameOptions", c.Frameguard, "frameguard")
	frame.build(b, path)
	xdp, path := alias(b, c.XPermittedCrossDomainPolicies, "xPermittedCrossDomainPolicies", c.PermittedCrossDomainPolicies, "permittedCrossDomainPolicies")
	xdp.build(b, path)
	poweredBy, path := alias(b, c.XPoweredBy, "xPoweredBy", c.HidePoweredBy, "hidePoweredBy")
	if poweredBy != nil && poweredBy.Override {
		b.fail(path+".override", "has no meaning here: X-Powered-By is only ever removed")
	}
	b.p.removePoweredBy = poweredBy == nil || !poweredBy.Disable
	xss, _ := alias(b, c.XXSSProtection, "xXssProtection", c.XSSFilter, "xssFilter")
	xss.build(b, "X-Xss-Protection", "0")
	c.PermissionsPolicy.build(b, "permissionsPolicy")
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	return b.p, nil
}

// alias picks the section set under a header's current name or its legacy
// name, and reports setting both, as Helmet does.
func alias[T any](b *builder, cur *T, curName string, old *T, oldName string) (*T, string) {
	switch {
	case cur != nil && old != nil:
		b.fail(oldName, "is the legacy name of %s, which is also set; remove %s", curName, oldName)
		return cur, curName
	case old != nil:
		return old, oldName
	}
	return cur, curName
}

// build adds the fixed header of a switch section.
func (s *Switch) build(b *builder, name, value string) {
	if s == nil {
		s = &Switch{}
	}
	if !s.Disable {
		b.set(name, value, s.Override)
	}
}

// A builder collects a [policy] and the mistakes found while making it.
type builder struct {
	p    *policy
	errs []error
}

func (b *builder) fail(path, format string, args ...any) {
	b.errs = append(b.errs, &fieldErr{path: path, msg: fmt.Sprintf(format, args...)})
}

// set adds a header with a fixed value.
func (b *builder) set(name, value string, override bool) {
	b.p.headers = append(b.p.headers, fixedHeader{
		key:      http.CanonicalHeaderKey(name),
		value:    []string{value},
		override: override,
	})
}

// setSchemed adds a header with a fixed value for HTTPS clients and plain
// for plain-HTTP ones; "" is no header.
func (b *builder) setSchemed(name, value, plain string, override bool) {
	f := fixedHeader{key: http.CanonicalHeaderKey(name), value: []string{value}, override: override, schemed: true}
	if plain != "" {
		f.plain = []string{plain}
	}
	b.p.headers = append(b.p.headers, f)
}

// oneOf returns value, or def if value is empty, after checking that it is
// one of allowed.
func (b *builder) oneOf(path, value, def string, allowed ...string) string {
	if value == "" {
		return def
	}
	if !slices.Contains(allowed, value) {
		b.fail(path, "%q is not one of %s", value, strings.Join(allowed, ", "))
	}
	return value
}

// A fieldErr is a mistake in the configuration at a YAML key path.
type fieldErr struct {
	path string // dotted, relative to Config: "strictTransportSecurity.maxAge"
	msg  string
}

func (e *fieldErr) Error() string { return e.path + ": " + e.msg }

// Field returns the YAML key path the error is about.
func (e *fieldErr) Field() string { return e.path }
