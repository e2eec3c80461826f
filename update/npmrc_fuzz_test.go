package update

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// FuzzNpmrc feeds .npmrc files (untrusted: they come with the project) to
// the parser, and checks what it keeps: written back as an .npmrc, the
// configuration parses to itself (no registry or token is lost, moved to
// another key or changed on the way), every registry ends in a slash, a
// scoped package goes to its scope's registry, and no token prints.
func FuzzNpmrc(f *testing.F) {
	f.Add([]byte("registry=http://127.0.0.1:4873/\n@a:registry=https://x/\n//x/:_authToken=${T}\n"))
	f.Add([]byte("; c\n# c\n=\n==\n${${}}\n@:registry\n"))
	f.Add([]byte("registry = \" http://r \"\n@a:registry='https://x'\n//x:_authToken=\"a=b\"\n//x/:_authToken=c\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := npmConfig{scopes: map[string]string{}, tokens: map[string]secret{}}
		c.parse(data, func(string) string { return "v" })
		r := c.registryFor("@a/b")
		tok := c.tokenFor(r)
		if want, ok := c.scopes["@a"]; ok && r != want {
			t.Fatalf("registryFor(@a/b) = %q, want the scope's %q", r, want)
		}
		for _, reg := range append(slices.Collect(maps.Values(c.scopes)), c.registry) {
			if reg != "" && !strings.HasSuffix(reg, "/") {
				t.Fatalf("registry %q has no trailing slash", reg)
			}
		}
		if tok != "" && fmt.Sprint(tok) != "[redacted]" {
			t.Fatalf("a token prints as %q", fmt.Sprint(tok))
		}
		if len(data) > 60<<10 { // written back, a line near the 64 KiB bound may cross it
			return
		}
		again := npmConfig{scopes: map[string]string{}, tokens: map[string]secret{}}
		again.parse(writeNpmrc(c), func(name string) string { return "${" + name + "}" })
		if again.registry != c.registry || !maps.Equal(again.scopes, c.scopes) || !maps.Equal(again.tokens, c.tokens) {
			t.Fatalf("written back and parsed again, the configuration changed:\nfirst  %q %q %q\nagain  %q %q %q",
				c.registry, c.scopes, revealAll(c.tokens), again.registry, again.scopes, revealAll(again.tokens))
		}
	})
}

// writeNpmrc writes c as an .npmrc, values quoted so that their spaces
// stay, keys in order.
func writeNpmrc(c npmConfig) []byte {
	var b strings.Builder
	b.WriteString("registry=\"" + c.registry + "\"\n")
	for _, k := range slices.Sorted(maps.Keys(c.scopes)) {
		b.WriteString(k + ":registry=\"" + c.scopes[k] + "\"\n")
	}
	for _, k := range slices.Sorted(maps.Keys(c.tokens)) {
		b.WriteString(k + ":_authToken=\"" + string(c.tokens[k]) + "\"\n")
	}
	return []byte(b.String())
}

// revealAll shows tokens, for a failing fuzz case only.
func revealAll(tokens map[string]secret) map[string]string {
	out := map[string]string{}
	for k, v := range tokens {
		out[k] = string(v)
	}
	return out
}
