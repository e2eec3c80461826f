package headers

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// PermissionsPolicy configures Permissions-Policy, which is not in Helmet
// and off unless the section is present.
type PermissionsPolicy struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Features maps a feature (camera, geolocation, fullscreen...) to the
	// origins allowed to use it: self, * (every origin), or origins such as
	// https://maps.example.com or https://*.example.com. An empty list
	// forbids the feature everywhere. For example
	//
	//	features: {camera: [], geolocation: [self], fullscreen: [self, "https://x.example"]}
	//
	// is sent as camera=(), fullscreen=(self "https://x.example"),
	// geolocation=(self), in name order. It must not be empty.
	Features map[string][]string `yaml:"features,omitempty"`
}

var (
	featureName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	// permissionsOrigin is an origin, maybe with a wildcard subdomain.
	permissionsOrigin = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://(\*\.)?(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*)(:[0-9]{1,5})?$`)
)

func (c *PermissionsPolicy) build(b *builder, path string) {
	if c == nil || c.Disable {
		return
	}
	path += ".features"
	if len(c.Features) == 0 {
		b.fail(path, "no features; list some, such as camera: [] or geolocation: [self]")
		return
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(c.Features)) {
		p := path + "." + name
		if !featureName.MatchString(name) {
			b.fail(p, "invalid feature name; use lower-case letters, digits and dashes (camera, publickey-credentials-get)")
			continue
		}
		allow := c.Features[name]
		if slices.Contains(allow, "*") {
			if len(allow) > 1 {
				b.fail(p, "* already allows every origin; list nothing else with it")
				continue
			}
			out = append(out, name+"=*")
			continue
		}
		items := make([]string, 0, len(allow))
		for _, a := range allow {
			switch {
			case a == "self":
				items = append(items, a)
			case a == "'self'" || a == "'none'" || a == "none" || a == "'src'" || a == "src":
				b.fail(p, "%q is not allowed here; write self without quotes, and [] for none", a)
			case permissionsOrigin.MatchString(strings.TrimSuffix(a, "/")):
				items = append(items, `"`+strings.TrimSuffix(a, "/")+`"`)
			default:
				b.fail(p, "%q is not self, * or an origin such as https://example.com", a)
			}
		}
		out = append(out, name+"=("+strings.Join(items, " ")+")")
	}
	b.set("Permissions-Policy", strings.Join(out, ", "), c.Override)
}
