package headers

import (
	"slices"
	"strings"
)

// ReferrerPolicy configures Referrer-Policy.
type ReferrerPolicy struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Policy is one or more policy tokens, sent comma-separated so that
	// browsers use the last one they know (e.g. [no-referrer,
	// strict-origin-when-cross-origin]). If nil, [no-referrer]; an empty,
	// non-nil list is an error, as in Helmet.
	Policy []string `yaml:"policy,omitempty"`
}

// referrerTokens are the tokens Helmet allows; the empty token is one.
var referrerTokens = []string{
	"no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
	"strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin",
	"unsafe-url", "",
}

func (c *ReferrerPolicy) build(b *builder, path string) {
	if c == nil {
		c = &ReferrerPolicy{}
	}
	if c.Disable {
		return
	}
	tokens := c.Policy
	if tokens == nil {
		tokens = []string{"no-referrer"}
	}
	path += ".policy"
	if len(tokens) == 0 {
		b.fail(path, "empty list; give at least one policy, or turn the header off with referrerPolicy: false")
		return
	}
	for i, t := range tokens {
		switch {
		case !slices.Contains(referrerTokens, t):
			b.fail(path, "%q is not a referrer policy; use one of %s", t, strings.Join(referrerTokens[:len(referrerTokens)-1], ", "))
		case slices.Contains(tokens[:i], t):
			b.fail(path, "%q is listed twice", t)
		}
	}
	b.set("Referrer-Policy", strings.Join(tokens, ","), c.Override)
}
