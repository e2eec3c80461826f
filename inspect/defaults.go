package inspect

// WithDefaults returns c with every zero field set to its documented
// default: what [New] runs with, and what `bulwark config check` prints.
func (c Config) WithDefaults() Config {
	if c.Mode == "" {
		c.Mode = ModeBlock
	}
	if c.Threshold == 0 {
		c.Threshold = DefaultThreshold
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxUpload == 0 {
		c.MaxUpload = DefaultMaxUpload
	}
	if c.MaxInputs == 0 {
		c.MaxInputs = DefaultMaxInputs
	}
	if c.MaxDepth == 0 {
		c.MaxDepth = DefaultMaxDepth
	}
	if c.BlockBody == "" {
		c.BlockBody = "Forbidden: this request was blocked (request id {id}).\n"
	}
	return c
}
