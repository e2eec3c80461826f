package headers

// XDNSPrefetchControl configures X-DNS-Prefetch-Control.
type XDNSPrefetchControl struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Allow sends "on" instead of "off". If false, off.
	Allow bool `yaml:"allow,omitempty"`
}

// XPermittedCrossDomainPolicies configures X-Permitted-Cross-Domain-Policies.
type XPermittedCrossDomainPolicies struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// PermittedPolicies is none, master-only, by-content-type or all. If
	// empty, none.
	PermittedPolicies string `yaml:"permittedPolicies,omitempty"`
}

func (c *XDNSPrefetchControl) build(b *builder, _ string) {
	if c == nil {
		c = &XDNSPrefetchControl{}
	}
	if c.Disable {
		return
	}
	v := "off"
	if c.Allow {
		v = "on"
	}
	b.set("X-DNS-Prefetch-Control", v, c.Override)
}

func (c *XPermittedCrossDomainPolicies) build(b *builder, path string) {
	if c == nil {
		c = &XPermittedCrossDomainPolicies{}
	}
	if c.Disable {
		return
	}
	v := b.oneOf(path+".permittedPolicies", c.PermittedPolicies, "none", "none", "master-only", "by-content-type", "all")
	b.set("X-Permitted-Cross-Domain-Policies", v, c.Override)
}
