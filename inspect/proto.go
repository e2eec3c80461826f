package inspect

import "strings"

var (
	rulePrototype = newRule("bw-proto-001", ProtoPollution, 5, "prototype pollution: __proto__, constructor.prototype in keys")
	// A path given as an array (lodash _.set(o, ["constructor", "prototype",
	// "isAdmin"], v), qs path[]=…) spreads the chain over elements, which
	// are inspected one at a time: each word scores alone, both block.
	ruleProtoCtor  = newRule("bw-proto-002", ProtoPollution, 2, `array element "constructor" (a property path spelled as an array)`)
	ruleProtoProto = newRule("bw-proto-003", ProtoPollution, 3, `array element "prototype" (a property path spelled as an array)`)
)

var reProto = pat(anyOf(
	`__proto__`, // {"__proto__": {"isAdmin": true}}, a.__proto__.b
	`\bconstructor\s*(?:`+anyOf( // constructor then prototype, joined by
		`\.`,                      // constructor.prototype
		`\[\s*['"]?`,              // constructor["prototype"], constructor[prototype]
		`\]\s*\[\s*['"]?`,         // a[constructor][prototype] (a qs key)
		`['"]?\s*\]\s*\[\s*['"]?`, // ["constructor"]["prototype"] (the end of one bracket)
	)+`)\s*prototype\b`,
	`\[\s*['"]?constructor['"]?\s*\]\s*\[\s*['"]?prototype`, // [constructor][prototypes]: both brackets, prototype not a whole word
	`__definegetter__`, // o.__defineGetter__("isAdmin", f)
	`__definesetter__`, // o.__defineSetter__("isAdmin", f)
	`__lookupgetter__`, // o.__lookupGetter__("isAdmin")
	`__lookupsetter__`, // o.__lookupSetter__("isAdmin")
))

// protoKey detects prototype pollution in keys (JSON members, qs keys),
// including a prototype member nested in a constructor member, whose path
// (the input's name) ends in .constructor.prototype.
func (s *scan) protoKey(in *input) {
	if !strings.Contains(in.low, "proto") {
		return
	}
	if s.matchRule(rulePrototype, reProto, in, in.low) {
		return
	}
	if in.dec == "prototype" && strings.HasSuffix(in.name, ".constructor.prototype") {
		s.report(rulePrototype, in, "constructor.prototype")
	}
}

// protoValue detects prototype pollution spelled inside values, as in a
// JSON document sent as a string or a dotted path, a value that is a
// property name an application may use as a key ("__proto__"), and the
// elements of an array that spells a path.
func (s *scan) protoValue(in *input) {
	if strings.Contains(in.low, "__proto__") && // a.__proto__.b, {"__proto__": …}
		!wordsOnly(in.low, "__proto__") && // but not "the name __proto__ appears twice"
		!(endsAtProto(in.low) && s.searchTerm(in)) || // nor a search ending at it ("object.__proto__")
		strings.Contains(in.low, "prototype") && strings.Contains(in.low, "constructor") { // constructor.prototype
		s.matchRule(rulePrototype, reProto, in, in.low)
		return
	}
	if len(in.dec) > len("constructor") || !arrayElement(in) {
		return
	}
	// JavaScript names are case-sensitive: "Constructor" is not one.
	switch in.dec {
	case "constructor":
		s.report(ruleProtoCtor, in, in.dec)
	case "prototype":
		s.report(ruleProtoProto, in, in.dec)
	}
}

// wordsOnly reports whether every w in v is a word of a sentence: a space
// before and after it. A path that pollutes a prototype ("a.__proto__.b",
// "__proto__[x]") has none; "the name __proto__ appears twice" does.
func wordsOnly(v, w string) bool {
	for i := 0; i < len(v); {
		j := strings.Index(v[i:], w)
		if j < 0 {
			return true
		}
		j += i
		if j == 0 || v[j-1] != ' ' || j+len(w) >= len(v) || v[j+len(w)] != ' ' {
			return false
		}
		i = j + len(w)
	}
	return true
}

// endsAtProto reports whether every __proto__ in v, a value with more
// than __proto__ in it, ends a property path: nothing follows it but the
// end of the value or a space ("Object.prototype.__proto__", searched for
// in documentation). Assigned at such a path, a value sets nothing on a
// shared prototype — that needs a property after __proto__
// ("a.__proto__.isAdmin", "__proto__[x]") — but an app that merges a
// value into what a path names would merge into Object.prototype, so it
// passes only in a search term (see searchTerm). A value that is
// __proto__ alone is still looked at: an app may use it as a key.
func endsAtProto(v string) bool {
	const w = "__proto__"
	if v == w {
		return false
	}
	for i := 0; i < len(v); {
		j := strings.Index(v[i:], w)
		if j < 0 {
			return true
		}
		end := i + j + len(w)
		if end < len(v) && v[end] != ' ' && v[end] != '\t' && v[end] != '\n' && v[end] != '\r' {
			return false
		}
		i = end
	}
	return true
}

// searchTerm reports whether in is a search: a query parameter named as
// one (q, query, search…) or learned as free text (see byType). A search
// is matched against content, never walked as a property path, and people
// search documentation for the names of prototypes.
func (s *scan) searchTerm(in *input) bool {
	if in.kind != kindQuery || in.key {
		return false
	}
	if searchNames[strings.ToLower(in.name)] {
		return true
	}
	t, ok := s.req.Types[in.where(s)]
	return ok && t.Free()
}

var searchNames = words(`q query search s term terms keyword keywords search_query searchterm`)

// arrayElement reports whether in is an element of an array: a JSON path
// ending in [n], a qs key ending in [] or [n].
func arrayElement(in *input) bool {
	return !in.key && strings.HasSuffix(in.name, "]")
}

// protoPath detects prototype pollution in a path's segments, which
// routers hand to handlers as keys (/settings/:section/:key): a segment
// __proto__, or constructor followed by prototype. p is the decoded path.
func (s *scan) protoPath(p string) {
	for _, w := range [...]string{"__proto__", "constructor/prototype"} {
		for off := 0; ; {
			j := strings.Index(p[off:], w)
			if j < 0 {
				break
			}
			if segmentAt(p, off+j, len(w)) {
				in := input{kind: kindPath}
				s.report(rulePrototype, &in, p[off+j:])
				return
			}
			off += j + 1
		}
	}
}

// segmentAt reports whether p[i:i+n] is made of whole path segments.
func segmentAt(p string, i, n int) bool {
	return (i == 0 || p[i-1] == '/') && (i+n == len(p) || p[i+n] == '/' || p[i+n] == ';')
}
