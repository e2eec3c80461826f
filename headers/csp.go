package headers

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ContentSecurityPolicy configures Content-Security-Policy.
type ContentSecurityPolicy struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own policy. If false, a policy
	// set by the application wins.
	Override bool `yaml:"override,omitempty"`
	// UseDefaults starts from Helmet's default directives, which Directives
	// then change. If nil, true.
	UseDefaults *bool `yaml:"useDefaults,omitempty"`
	// Directives changes the policy, directive by directive. If nil, the
	// defaults alone (see [Directives]).
	Directives Directives `yaml:"directives,omitempty"`
	// ReportOnly sends Content-Security-Policy-Report-Only instead, so that
	// violations are reported but not blocked. If false, the policy is enforced.
	ReportOnly bool `yaml:"reportOnly,omitempty"`
	// DangerouslyDisableDefaultSrc allows a policy without default-src
	// (Helmet's contentSecurityPolicy.dangerouslyDisableDefaultSrc, given as
	// the value of default-src). If false, a policy must have default-src.
	DangerouslyDisableDefaultSrc bool `yaml:"dangerouslyDisableDefaultSrc,omitempty"`
	// Nonce adds a fresh 128-bit nonce to script-src and style-src of every
	// response (and to script-src-elem and style-src-elem if present),
	// creating script-src and style-src from default-src when they are
	// absent. A directive that is 'none' or empty gets no nonce. The
	// application reads the nonce from the X-CSP-Nonce request header, or
	// with [NonceFromContext]. Browsers ignore 'unsafe-inline' in a
	// directive that has a nonce. If false, no nonce (Helmet's behaviour).
	Nonce bool `yaml:"nonce,omitempty"`
	// UpgradeOverHTTP sends upgrade-insecure-requests to plain-HTTP
	// clients too, whose every request it would turn into an HTTPS one that
	// a plain-HTTP site cannot answer. If false, plain-HTTP clients get the
	// policy without it, HTTPS clients (direct, or as a trusted proxy
	// reports) with it.
	UpgradeOverHTTP bool `yaml:"upgradeOverHTTP,omitempty"`
	// ReportPath, a path such as /.bulwark/csp-report or an http(s) URL, is
	// added to the policy as report-uri; serve a [ReportHandler] there. If
	// empty, no report-uri is added.
	ReportPath string `yaml:"reportPath,omitempty"`
}

// Directives maps a directive name to its values, changing Helmet's
// defaults (or an empty policy if useDefaults is false). As in Helmet, a name
// may be written dashed (script-src) or camelCase (scriptSrc), and values
// that are keywords, nonces or hashes must carry their single quotes:
//
//	directives:
//	  script-src: ["'self'", "https://cdn.example.com"]   # replaces the default
//	  upgrade-insecure-requests: null                      # removes a default
//	  block-all-mixed-content: []                          # a directive without values
//
// In Go, a nil list removes the directive and an empty non-nil list sends it
// without values. Directives that replace a default keep its place; new ones
// follow the defaults in name order (Helmet keeps the order of the
// options object; browsers give the order no meaning).
type Directives map[string][]string

// MarshalYAML writes the directives in name order, with nil lists as null
// so that removals survive a round trip.
func (d Directives) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, name := range slices.Sorted(maps.Keys(d)) {
		v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		if d[name] != nil {
			v = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, s := range d[name] {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
			}
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, v)
	}
	return n, nil
}

// A directive is one directive of a policy, its name dashed.
type directive struct {
	name   string
	values []string
}

// defaultDirectives returns Helmet 8's default policy, in Helmet's order.
func defaultDirectives() []directive {
	return []directive{
		{"default-src", []string{"'self'"}},
		{"base-uri", []string{"'self'"}},
		{"font-src", []string{"'self'", "https:", "data:"}},
		{"form-action", []string{"'self'"}},
		{"frame-ancestors", []string{"'self'"}},
		{"img-src", []string{"'self'", "data:"}},
		{"object-src", []string{"'none'"}},
		{"script-src", []string{"'self'"}},
		{"script-src-attr", []string{"'none'"}},
		{"style-src", []string{"'self'", "https:", "'unsafe-inline'"}},
		{"upgrade-insecure-requests", []string{}},
	}
}

// shouldBeQuoted are the keywords Helmet refuses without single quotes.
var shouldBeQuoted = []string{
	"none", "self", "strict-dynamic", "report-sample", "inline-speculation-rules",
	"unsafe-inline", "unsafe-eval", "unsafe-hashes", "wasm-unsafe-eval",
}

var directiveName = regexp.MustCompile(`^[a-z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`)

// dashify turns Helmet's camelCase directive names into dashed ones.
func dashify(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (c *ContentSecurityPolicy) build(b *builder, path string) {
	if c == nil {
		c = &ContentSecurityPolicy{}
	}
	if c.Disable {
		return
	}
	failed := len(b.errs)
	var list []directive
	if c.UseDefaults == nil || *c.UseDefaults {
		list = defaultDirectives()
	}
	seen := map[string]string{} // dashed name → name as written
	for _, raw := range slices.Sorted(maps.Keys(c.Directives)) {
		p := path + ".directives." + raw
		if !directiveName.MatchString(raw) {
			b.fail(p, "invalid directive name; use letters, digits and dashes, starting with a lower-case letter (script-src or scriptSrc)")
			continue
		}
		name := dashify(raw)
		if prev, dup := seen[name]; dup {
			b.fail(p, "names the same directive as %s (%s); keep one", prev, name)
			continue
		}
		seen[name] = raw
		values := c.Directives[raw]
		if values == nil {
			if name == "default-src" {
				b.fail(p, "cannot be null: a policy needs a default-src (to send none, set %s.dangerouslyDisableDefaultSrc: true)", path)
				continue
			}
			list = slices.DeleteFunc(list, func(d directive) bool { return d.name == name })
			continue
		}
		for _, v := range values {
			checkSource(b, p, v)
		}
		if i := slices.IndexFunc(list, func(d directive) bool { return d.name == name }); i >= 0 {
			list[i].values = values
		} else {
			list = append(list, directive{name, values})
		}
	}
	if c.DangerouslyDisableDefaultSrc {
		if raw, ok := seen["default-src"]; ok {
			b.fail(path+".dangerouslyDisableDefaultSrc", "conflicts with directives.%s; remove one", raw)
		}
		list = slices.DeleteFunc(list, func(d directive) bool { return d.name == "default-src" })
	}
	if rp := c.ReportPath; rp != "" {
		p := path + ".reportPath"
		switch {
		case !strings.HasPrefix(rp, "/") && !strings.HasPrefix(rp, "https://") && !strings.HasPrefix(rp, "http://"):
			b.fail(p, "%q must be a path starting with / or an http(s) URL", rp)
		case strings.ContainsAny(rp, " ;,") || !printable(rp):
			b.fail(p, "%q must be printable ASCII without spaces, \";\" or \",\"", rp)
		}
		if raw, ok := seen["report-uri"]; ok {
			b.fail(p, "conflicts with directives.%s; remove one", raw)
		}
		list = append(list, directive{"report-uri", []string{rp}})
	}
	if len(b.errs) > failed {
		return
	}
	if len(list) == 0 {
		b.fail(path, "the policy has no directives; add some, or turn the header off with contentSecurityPolicy: false")
		return
	}
	if !c.DangerouslyDisableDefaultSrc && !slices.ContainsFunc(list, func(d directive) bool { return d.name == "default-src" }) {
		b.fail(path+".directives", "no default-src; add one, or set %s.dangerouslyDisableDefaultSrc: true", path)
		return
	}
	name := "Content-Security-Policy"
	if c.ReportOnly {
		name = "Content-Security-Policy-Report-Only"
	}
	upgrade := func(d directive) bool { return d.name == "upgrade-insecure-requests" }
	schemed := !c.UpgradeOverHTTP && slices.ContainsFunc(list, upgrade)
	plain := slices.DeleteFunc(slices.Clone(list), upgrade)
	if c.Nonce {
		b.p.nonce = newNonceCSP(name, list, c.Override)
		if schemed {
			b.p.nonceSchemed = true
			if len(plain) > 0 {
				b.p.noncePlain = newNonceCSP(name, plain, c.Override)
			}
		}
		return
	}
	if schemed {
		b.setSchemed(name, renderCSP(list), renderCSP(plain), c.Override)
		return
	}
	b.set(name, renderCSP(list), c.Override)
}

// checkSource reports a directive value that Helmet rejects, or that could
// not be sent in a header.
func checkSource(b *builder, path, v string) {
	switch {
	case strings.ContainsAny(v, ";,"):
		b.fail(path, "%q must not contain \";\" or \",\"; give each source as its own list item", v)
	case slices.Contains(shouldBeQuoted, v) || strings.HasPrefix(v, "nonce-") ||
		strings.HasPrefix(v, "sha256-") || strings.HasPrefix(v, "sha384-") || strings.HasPrefix(v, "sha512-"):
		b.fail(path, "%q must be quoted as %q", v, "'"+v+"'")
	case !printable(v):
		b.fail(path, "%q must be printable ASCII (write international host names in punycode)", v)
	}
}

// printable reports whether s may be sent in a header value as it is.
func printable(s string) bool {
	for i := range len(s) {
		if c := s[i]; (c < ' ' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// renderCSP writes a policy as Helmet does: "name value value;name".
func renderCSP(list []directive) string {
	var b strings.Builder
	for i, d := range list {
		if i > 0 {
			b.WriteByte(';')
		}
		writeDirective(&b, d)
	}
	return b.String()
}

func writeDirective(b *strings.Builder, d directive) {
	b.WriteString(d.name)
	if v := strings.Join(d.values, " "); v != "" {
		b.WriteByte(' ')
		b.WriteString(v)
	}
}
