package inspect

import "strings"

var (
	ruleJNDI       = newRule("bw-jndi-001", JNDI, 5, "Log4Shell JNDI lookup: ${jndi:ldap://…}, obfuscated with nested lookups")
	ruleJNDILookup = newRule("bw-jndi-002", JNDI, 5, "Log4j lookup that leaks data or hides one: ${env:…}, ${sys:…}, ${${lower:j}…}")
)

var (
	reJNDI       = pat(`\$\{\s*jndi\s*:|\$\{\s*j\s*n\s*d\s*i\s*:|jndi:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?)\s*:`)
	reJNDILookup = pat(`\$\{[^}]{0,20}\$\{|\$\{\s*(?:env|sys|java|ctx|date|main|map|sd|spring|k8s|docker|web|log4j|lower|upper|base64|bundle|event|marker|jvmrunargs|::-)\s*:`)
)

// jndi detects Log4Shell-style lookups. Nested lookups are resolved the
// way Log4j does before matching: ${lower:J} is j, ${::-j} and ${x:-j} are j.
func (s *scan) jndi(in *input) {
	if !s.jndiCall(in) && in.has(cDollar) && in.has(cBrace) && strings.Contains(in.low, "${") {
		s.matchRule(ruleJNDILookup, reJNDILookup, in, in.low)
	}
}

// jndiCall reports a Log4Shell JNDI lookup in in, its obfuscation
// resolved, and whether it found one.
func (s *scan) jndiCall(in *input) bool {
	if !in.has(cDollar) || !in.has(cBrace) || !strings.Contains(in.low, "${") {
		return false
	}
	return s.matchRule(ruleJNDI, reJNDI, in, s.resolveLookups(in.low))
}

// resolveLookups replaces the innermost ${…} lookups that only spell
// characters (${lower:x}, ${upper:x}, ${::-x}, ${any:-x}, ${env:NAME:-x})
// with what they spell, repeatedly.
func (s *scan) resolveLookups(v string) string {
	for round := 0; round < 8 && s.spend(len(v)); round++ {
		changed := false
		start := len(s.buf)
		// brace is the first } at or after i+2, found once for all the
		// ${ before it (len(v) if there is none): looking for it at each
		// ${ read "${${${…" to its end as many times as it has lookups.
		brace := -1
		for i := 0; i < len(v); i++ {
			if v[i] == '$' && i+1 < len(v) && v[i+1] == '{' {
				if brace < i+2 {
					brace = len(v)
					if k := strings.IndexByte(v[i+2:], '}'); k >= 0 {
						brace = i + 2 + k
					}
				}
				if brace < len(v) {
					end := brace - (i + 2)
					inner := v[i+2 : brace]
					if !strings.Contains(inner, "${") {
						if out, ok := spellLookup(inner); ok {
							s.buf = append(s.buf, out...)
							i += 2 + end
							changed = true
							continue
						}
					}
				}
			}
			s.buf = append(s.buf, v[i])
		}
		if !changed {
			s.buf = s.buf[:start]
			return v
		}
		v = s.str(start)
	}
	return v
}

// spellLookup returns what a character-spelling lookup evaluates to.
func spellLookup(inner string) (string, bool) {
	if i := strings.Index(inner, ":-"); i >= 0 {
		return inner[i+2:], true
	}
	for _, p := range [...]string{"lower:", "upper:"} {
		if rest, ok := strings.CutPrefix(inner, p); ok {
			return rest, true
		}
	}
	if strings.HasPrefix(inner, "jndi:") {
		return "", false
	}
	return "", false
}
