package headers

// CrossOriginEmbedderPolicy configures Cross-Origin-Embedder-Policy. It is
// off unless the section is present (see [Config]).
type CrossOriginEmbedderPolicy struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Policy is require-corp, credentialless or unsafe-none. If empty,
	// require-corp.
	Policy string `yaml:"policy,omitempty"`
}

// CrossOriginOpenerPolicy configures Cross-Origin-Opener-Policy.
type CrossOriginOpenerPolicy struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Policy is same-origin, same-origin-allow-popups, noopener-allow-popups
	// or unsafe-none. If empty, same-origin.
	Policy string `yaml:"policy,omitempty"`
}

// CrossOriginResourcePolicy configures Cross-Origin-Resource-Policy.
type CrossOriginResourcePolicy struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Policy is same-origin, same-site or cross-origin. If empty, same-origin.
	Policy string `yaml:"policy,omitempty"`
}

func (c *CrossOriginEmbedderPolicy) build(b *builder, path string) {
	if c == nil || c.Disable { // off by default, as in Helmet 8
		return
	}
	v := b.oneOf(path+".policy", c.Policy, "require-corp", "require-corp", "credentialless", "unsafe-none")
	b.set("Cross-Origin-Embedder-Policy", v, c.Override)
}

func (c *CrossOriginOpenerPolicy) build(b *builder, path string) {
	if c == nil {
		c = &CrossOriginOpenerPolicy{}
	}
	if c.Disable {
		return
	}
	v := b.oneOf(path+".policy", c.Policy, "same-origin", "same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none")
	b.set("Cross-Origin-Opener-Policy", v, c.Override)
}

func (c *CrossOriginResourcePolicy) build(b *builder, path string) {
	if c == nil {
		c = &CrossOriginResourcePolicy{}
	}
	if c.Disable {
		return
	}
	v := b.oneOf(path+".policy", c.Policy, "same-origin", "same-origin", "same-site", "cross-origin")
	b.set("Cross-Origin-Resource-Policy", v, c.Override)
}
