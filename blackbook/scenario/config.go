package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// Config configures an [Engine]. The zero value runs every built-in
// scenario and bans for real.
type Config struct {
	// Disable turns every scenario off. If false, they run.
	Disable bool `yaml:"disable,omitempty"`
	// Simulate makes every scenario only publish what it would decide. If
	// false, each scenario's own Simulate applies.
	Simulate bool `yaml:"simulate,omitempty"`
	// MaxBuckets bounds the buckets kept in memory across scenarios; when
	// full, drained buckets go first, then the least filled, then the
	// oldest. If zero, 100000.
	MaxBuckets int `yaml:"maxBuckets,omitempty"`
	// Scenarios changes built-in scenarios by name. If empty, they run
	// as built.
	Scenarios map[string]Override `yaml:"scenarios,omitempty"`
	// Custom adds scenarios of one's own. If empty, none.
	Custom []Scenario `yaml:"custom,omitempty"`
}

// An Override changes some numbers of a built-in scenario; a zero field
// keeps the built-in value.
type Override struct {
	// Disable turns the scenario off. If false, it runs.
	Disable bool `yaml:"disable,omitempty"`
	// Simulate makes the scenario only publish what it would decide. If
	// false, the built-in runs for real (unless Config.Simulate).
	Simulate bool `yaml:"simulate,omitempty"`
	// Capacity: see [Scenario].Capacity. If zero, the built-in value.
	Capacity int `yaml:"capacity,omitempty"`
	// Leak: see [Scenario].Leak. If zero, the built-in value.
	Leak time.Duration `yaml:"leak,omitempty"`
	// BanDuration: see [Scenario].BanDuration. If zero, the built-in value.
	BanDuration time.Duration `yaml:"banDuration,omitempty"`
	// MaxDistinct: see [Scenario].MaxDistinct. If zero, the built-in value.
	MaxDistinct int `yaml:"maxDistinct,omitempty"`
}

// DefaultMaxBuckets is the bound on buckets when Config.MaxBuckets is zero.
const DefaultMaxBuckets = 100_000

const maxMaxBuckets = 100_000_000

func (c Config) maxBuckets() int {
	if c.MaxBuckets == 0 {
		return DefaultMaxBuckets
	}
	return c.MaxBuckets
}

// Validate reports every mistake in c, each at its key
// ("scenarios.login-ip.capacity", "custom[0].match").
func (c Config) Validate() error {
	_, err := c.scenarios()
	return err
}

// Resolve returns the scenarios c runs: the built-ins with their
// overrides, then the custom ones, leaving out those disabled, with their
// Simulate flags resolved. The error is Validate's.
func (c Config) Resolve() ([]Scenario, error) { return c.scenarios() }

func (c Config) scenarios() ([]Scenario, error) {
	var errs []error
	if c.MaxBuckets < 0 || c.MaxBuckets > maxMaxBuckets {
		errs = append(errs, config.Field("maxBuckets", fmt.Errorf("must be between 0 and %d, got %d", maxMaxBuckets, c.MaxBuckets)))
	}
	builtins := Builtins()
	known := make([]string, len(builtins))
	for i, s := range builtins {
		known[i] = s.Name
	}
	names := make([]string, 0, len(c.Scenarios))
	for name := range c.Scenarios {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(known, name) {
			errs = append(errs, config.Field("scenarios."+name, fmt.Errorf(
				"no built-in scenario has this name (known: %s); to add one of your own, define it under custom", strings.Join(known, ", "))))
		}
	}
	var out []Scenario
	for _, s := range builtins {
		o, ok := c.Scenarios[s.Name]
		if ok {
			s = o.apply(s)
			errs = append(errs, config.Within("scenarios."+s.Name, overrideErrors(s.Validate())))
		}
		if !s.Disable && !c.Disable {
			s.Simulate = s.Simulate || c.Simulate
			out = append(out, s)
		}
	}
	seen := map[string]int{}
	for i, s := range c.Custom {
		p := fmt.Sprintf("custom[%d]", i)
		errs = append(errs, config.Within(p, s.Validate()))
		switch j, dup := seen[s.Name]; {
		case slices.Contains(known, s.Name):
			errs = append(errs, config.Field(p+".name", fmt.Errorf(
				"%q is a built-in scenario; change it under scenarios.%s, or give yours another name", s.Name, s.Name)))
		case dup && s.Name != "":
			errs = append(errs, config.Field(p+".name", fmt.Errorf("%q is already the name of custom[%d]", s.Name, j)))
		}
		seen[s.Name] = i
		if !s.Disable && !c.Disable {
			s.Simulate = s.Simulate || c.Simulate
			out = append(out, s)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func (o Override) apply(s Scenario) Scenario {
	s.Disable = s.Disable || o.Disable
	s.Simulate = s.Simulate || o.Simulate
	if o.Capacity != 0 {
		s.Capacity = o.Capacity
	}
	if o.Leak != 0 {
		s.Leak = o.Leak
	}
	if o.BanDuration != 0 {
		s.BanDuration = o.BanDuration
	}
	if o.MaxDistinct != 0 {
		s.MaxDistinct = o.MaxDistinct
	}
	return s
}

// overrideErrors keeps, of a built-in's validation errors after an
// override, those about keys an Override has: the others cannot be the
// user's doing.
func overrideErrors(err error) error {
	if err == nil {
		return nil
	}
	var fe *config.FieldError
	var out []error
	for _, e := range flatten(err) {
		if errors.As(e, &fe) {
			switch fe.Path {
			case "capacity", "leak", "banDuration", "maxDistinct":
				out = append(out, e)
				continue
			}
		}
		out = append(out, fmt.Errorf("built-in scenario is invalid (a bug): %w", e))
	}
	return errors.Join(out...)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
