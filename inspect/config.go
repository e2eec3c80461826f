package inspect

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/bulwark-sec/bulwark/config"
)

// Config configures an [Engine]. Its zero value blocks requests scoring at
// least 5 with every rule on, which is the recommended setting.
type Config struct {
	// Mode is block (refuse requests at or above the threshold) or detect
	// (let them pass and report them). If empty, block.
	Mode Mode `yaml:"mode,omitempty"`
	// Threshold is the anomaly score at which a request is blocked; a
	// critical finding scores 5, a warning 3. If zero, 5.
	Threshold int `yaml:"threshold,omitempty"`
	// MaxBody is the largest request body the middleware reads and
	// inspects, before and after its content codings are undone; a larger
	// one (but an upload, see MaxUpload) is refused with 413. If zero, 1MiB.
	MaxBody config.Size `yaml:"maxBody,omitempty"`
	// MaxUpload is the largest multipart/form-data body the middleware
	// passes: one over MaxBody is spooled to a temporary file (mode 0600,
	// removed at once) and forwarded from it; its text fields are
	// inspected whole (up to MaxBody in all), its files up to their first
	// 64KiB and the code found in the rest. A size is never an attack:
	// a larger body gets 413 and counts toward no ban. If zero, 10MiB,
	// as guard's server.maxBodyBytes.
	MaxUpload config.Size `yaml:"maxUpload,omitempty"`
	// MaxInputs is how many values (parameters, JSON values, cookies, parts)
	// are inspected; a request with more is blocked. If zero, 4096.
	MaxInputs int `yaml:"maxInputs,omitempty"`
	// MaxDepth is the deepest JSON or XML nesting inspected; a deeper body
	// is blocked. If zero, 64.
	MaxDepth int `yaml:"maxDepth,omitempty"`
	// Rules sets the mode of single rules by id: block (a match alone
	// blocks), detect (reported, never counted toward blocking) or off.
	// If empty, every rule counts its score.
	Rules map[string]Mode `yaml:"rules,omitempty"`
	// Routes sets the mode of requests by path and method: the first that
	// matches wins. If empty, every route has the global mode.
	Routes []Route `yaml:"routes,omitempty"`
	// Exclusions lets known-good inputs through some rules. If empty, none.
	Exclusions []Exclusion `yaml:"exclusions,omitempty"`
	// SSRF configures the server-side request forgery detector.
	SSRF SSRFOptions `yaml:"ssrf,omitempty"`
	// BlockBody is the plain-text body of a 403; "{id}" in it is replaced
	// by the request id. If empty, "Forbidden: this request was blocked
	// (request id {id}).\n".
	BlockBody string `yaml:"blockBody,omitempty"`
}

// A Mode says what to do with a rule's findings or a route's requests.
type Mode string

// Modes.
const (
	ModeBlock  Mode = "block"  // count toward blocking; for a rule: a match alone blocks
	ModeDetect Mode = "detect" // report, never block
	ModeOff    Mode = "off"    // do not inspect
)

// A Route selects requests by path and method.
type Route struct {
	// Path is an exact path, or a prefix ending in "/*" ("/api/*" matches
	// /api and everything below it). Required.
	Path string `yaml:"path"`
	// Method is an HTTP method. If empty, any.
	Method string `yaml:"method,omitempty"`
	// Mode is block, detect or off. Required.
	Mode Mode `yaml:"mode"`
}

// An Exclusion stops some rules from matching one input of some requests,
// for fields known to carry, say, HTML.
type Exclusion struct {
	// Path is an exact path or a prefix ending in "/*". If empty, any.
	Path string `yaml:"path,omitempty"`
	// Method is an HTTP method. If empty, any.
	Method string `yaml:"method,omitempty"`
	// Where names the input as findings do ("json:$.content", "query:q",
	// "header:referer"); a trailing "*" matches any suffix
	// ("json:$.posts[*"). If empty, every input.
	Where string `yaml:"where,omitempty"`
	// Classes are the classes of rules excluded. If empty (and Rules is
	// empty), all.
	Classes []Class `yaml:"classes,omitempty"`
	// Rules are the ids of rules excluded. If empty (and Classes is
	// empty), all.
	Rules []string `yaml:"rules,omitempty"`
}

// SSRFOptions configures the server-side request forgery detector.
type SSRFOptions struct {
	// AllowHosts are host names, IP addresses or CIDR prefixes that
	// URL-valued parameters may point to ("10.0.0.0/8",
	// "internal.example.com"). If empty, none.
	AllowHosts []string `yaml:"allowHosts,omitempty"`
}

// Validate reports every mistake in c. Each error has a Field method naming
// the YAML key path it is about, relative to c ("routes[1].path").
func (c Config) Validate() error {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, config.Field(path, fmt.Errorf(format, args...)))
	}
	switch c.Mode {
	case "", ModeBlock, ModeDetect:
	default:
		fail("mode", "%q is not block or detect", c.Mode)
	}
	if c.Threshold < 0 {
		fail("threshold", "must be at least 1, got %d", c.Threshold)
	}
	if c.MaxBody < 0 {
		fail("maxBody", "must not be negative")
	}
	if c.MaxUpload < 0 {
		fail("maxUpload", "must not be negative")
	}
	if c.MaxInputs < 0 {
		fail("maxInputs", "must not be negative")
	}
	if c.MaxDepth < 0 {
		fail("maxDepth", "must not be negative")
	}
	for id, m := range c.Rules {
		if ruleByID(id) == nil {
			fail("rules."+id, "no rule has this id (see `bulwark inspect --rules`)")
		}
		if !m.valid() {
			fail("rules."+id, "%q is not block, detect or off", m)
		}
	}
	for i, r := range c.Routes {
		p := fmt.Sprintf("routes[%d]", i)
		if err := checkPath(r.Path, true); err != nil {
			fail(p+".path", "%v", err)
		}
		if err := checkMethod(r.Method); err != nil {
			fail(p+".method", "%v", err)
		}
		if r.Mode == "" || !r.Mode.valid() {
			fail(p+".mode", "%q is not block, detect or off", r.Mode)
		}
	}
	for i, x := range c.Exclusions {
		p := fmt.Sprintf("exclusions[%d]", i)
		if err := checkPath(x.Path, false); err != nil {
			fail(p+".path", "%v", err)
		}
		if err := checkMethod(x.Method); err != nil {
			fail(p+".method", "%v", err)
		}
		if x.Where != "" && !strings.Contains(x.Where, ":") && x.Where != "path" && x.Where != "body" && x.Where != "*" {
			fail(p+".where", "%q does not name an input; write it as findings do, e.g. json:$.content or query:q", x.Where)
		}
		for _, cl := range x.Classes {
			if !knownClass(cl) {
				fail(p+".classes", "unknown class %q (known: %s)", cl, classList())
			}
		}
		for _, id := range x.Rules {
			if ruleByID(id) == nil {
				fail(p+".rules", "no rule has id %q", id)
			}
		}
	}
	for i, h := range c.SSRF.AllowHosts {
		if _, err := parseAllowHost(h); err != nil {
			fail(fmt.Sprintf("ssrf.allowHosts[%d]", i), "%v", err)
		}
	}
	return errors.Join(errs...)
}

func (m Mode) valid() bool { return m == ModeBlock || m == ModeDetect || m == ModeOff }

func checkPath(p string, required bool) error {
	switch {
	case p == "" && required:
		return errors.New("is required (an exact path, or a prefix ending in /*)")
	case p == "":
		return nil
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q must start with /", p)
	case strings.Contains(strings.TrimSuffix(p, "/*"), "*"):
		return fmt.Errorf("%q: * is only allowed as a final /*", p)
	}
	return nil
}

func checkMethod(m string) error {
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return fmt.Errorf("%q is not an upper-case HTTP method such as POST", m)
		}
	}
	return nil
}

// pathMatches reports whether path matches pattern: exact, or a prefix
// ending in "/*". An empty pattern matches every path.
func pathMatches(pattern, path string) bool {
	if pattern == "" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/") || prefix == ""
	}
	return path == pattern
}

// parseAllowHost reads an ssrf.allowHosts entry.
func parseAllowHost(h string) (netip.Prefix, error) {
	if h == "" {
		return netip.Prefix{}, errors.New("is empty")
	}
	if p, err := netip.ParsePrefix(h); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	if strings.ContainsAny(h, "/:* ") {
		return netip.Prefix{}, fmt.Errorf("%q is not a host name, IP address or CIDR prefix", h)
	}
	return netip.Prefix{}, nil // a host name
}

var allClasses = []Class{SQLi, XSS, Traversal, RFI, CmdI, SSRF, JNDI, SSTI, XXE, CRLF, Scanner,
	NoSQLi, ProtoPollution, SensitiveFile, PHP, Java, CodeI, Protocol, Injection}

func knownClass(c Class) bool {
	for _, k := range allClasses {
		if k == c {
			return true
		}
	}
	return false
}

func classList() string {
	s := make([]string, len(allClasses))
	for i, c := range allClasses {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
