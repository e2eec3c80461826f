package headers

import "strings"

// XFrameOptions configures X-Frame-Options.
type XFrameOptions struct {
	// Disable turns the header off. If false, it is sent.
	Disable bool `yaml:"disable,omitempty"`
	// Override replaces the application's own value. If false, the
	// application's value wins.
	Override bool `yaml:"override,omitempty"`
	// Action is deny or sameorigin (also same-origin), in any case. If
	// empty, sameorigin.
	Action string `yaml:"action,omitempty"`
}

func (c *XFrameOptions) build(b *builder, path string) {
	if c == nil {
		c = &XFrameOptions{}
	}
	if c.Disable {
		return
	}
	v := "SAMEORIGIN"
	if c.Action != "" {
		switch strings.ToUpper(c.Action) {
		case "DENY":
			v = "DENY"
		case "SAMEORIGIN", "SAME-ORIGIN":
		default:
			b.fail(path+".action", "%q is not an action; use deny or sameorigin", c.Action)
			return
		}
	}
	b.set("X-Frame-Options", v, c.Override)
}
