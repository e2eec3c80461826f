package inspect

import "strings"

var rulePrototype = newRule("bw-proto-001", ProtoPollution, 5, "prototype pollution: __proto__, constructor.prototype in keys")

var reProto = pat(`__proto__|\bconstructor\s*(?:\.|\[\s*['"]?|\]\s*\[\s*['"]?|['"]?\s*\]\s*\[\s*['"]?)\s*prototype\b|\[\s*['"]?constructor['"]?\s*\]\s*\[\s*['"]?prototype|__definegetter__|__definesetter__|__lookupgetter__|__lookupsetter__`)

// protoKey detects prototype pollution in keys (JSON members, qs keys).
func (s *scan) protoKey(in *input) {
	if strings.Contains(in.low, "proto") {
		s.matchRule(rulePrototype, reProto, in, in.low)
	}
}

// protoValue detects prototype pollution spelled inside values, as in a
// JSON document sent as a string or a dotted path.
func (s *scan) protoValue(in *input) {
	if strings.Contains(in.low, "__proto__") || strings.Contains(in.low, "prototype") && strings.Contains(in.low, "constructor") {
		s.matchRule(rulePrototype, reProto, in, in.low)
	}
}
