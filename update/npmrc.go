package update

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"regexp"
	"strings"
)

// A secret is a credential from .npmrc. It never reaches a log.
type secret string

func (secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }
func (secret) String() string       { return "[redacted]" }

// npmConfig is what update needs from .npmrc files: the registry of each
// package and the credentials for it.
type npmConfig struct {
	registry string            // default registry, with a trailing slash
	scopes   map[string]string // "@scope" → registry
	tokens   map[string]secret // "//host/path/" → _authToken
}

const defaultRegistry = "https://registry.npmjs.org/"

// loadNpmConfig reads the user's .npmrc (userconfig; empty to skip) then
// the project's, the later one winning, as npm does.
func loadNpmConfig(userconfig, project string, getenv func(string) string) npmConfig {
	c := npmConfig{registry: defaultRegistry, scopes: map[string]string{}, tokens: map[string]secret{}}
	for _, p := range []string{userconfig, project} {
		if p == "" {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			c.parse(data, getenv)
		}
	}
	return c
}

var envRef = regexp.MustCompile(`\$\{([^}]+)\}`)

// parse reads .npmrc lines (key=value, "#" and ";" comments, ${VAR}
// expansion) into c. Lines it does not know are ignored, as npm ignores
// keys it does not use; .npmrc is untrusted input and never errors.
func (c *npmConfig) parse(data []byte, getenv func(string) string) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		v = strings.Trim(v, `"'`)
		v = envRef.ReplaceAllStringFunc(v, func(ref string) string { return getenv(ref[2 : len(ref)-1]) })
		switch {
		case k == "registry":
			c.registry = withSlash(v)
		case strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry"):
			c.scopes[strings.TrimSuffix(k, ":registry")] = withSlash(v)
		case strings.HasPrefix(k, "//") && strings.HasSuffix(k, ":_authToken"):
			c.tokens[withSlash(strings.TrimSuffix(k, ":_authToken"))] = secret(v)
		}
	}
}

func withSlash(s string) string {
	if s != "" && !strings.HasSuffix(s, "/") {
		return s + "/"
	}
	return s
}

// registryFor returns the registry that serves package name.
func (c npmConfig) registryFor(name string) string {
	if strings.HasPrefix(name, "@") {
		if scope, _, ok := strings.Cut(name, "/"); ok {
			if r, ok := c.scopes[scope]; ok {
				return r
			}
		}
	}
	return c.registry
}

// tokenFor returns the token whose "//host/path/" key is the longest
// prefix of registry (with its scheme removed), as npm matches them.
func (c npmConfig) tokenFor(registry string) secret {
	_, rest, ok := strings.Cut(registry, ":")
	if !ok {
		return ""
	}
	best, tok := 0, secret("")
	for k, t := range c.tokens {
		if strings.HasPrefix(rest, k) && len(k) > best {
			best, tok = len(k), t
		}
	}
	return tok
}
