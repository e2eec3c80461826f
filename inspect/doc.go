// Package inspect is Bulwark's attack detection engine: it reads every place
// of a request an attacker can put input, decodes it the way backends do,
// runs named detectors over it and returns a [Verdict] (allow, log or block)
// by anomaly score.
//
// A request's inputs are its path segments, query parameters (keys too, with
// qs-style bracket keys such as a[b][$ne]), urlencoded, multipart, JSON and
// XML bodies, cookies and the header values applications read. Each value is
// decoded before matching: URL decoding repeated up to three times, %uXXXX,
// overlong UTF-8, HTML entities, JavaScript escapes, fullwidth and other
// look-alike characters, null bytes and case; SQL and shell detectors see
// further forms without comments and quoting tricks.
//
// Detectors are rules with stable ids ("bw-sqli-001"), a [Class] and a score.
// A request's score is the sum of the scores of the rules it matched (each
// rule counted once); at or above [Config.Threshold] it is blocked, below it
// logged. Rules, routes and single fields can be set to detect-only or off
// ([Config.Rules], [Config.Routes], [Config.Exclusions]).
//
//	inspect:
//	  mode: block            # or detect: log, never block
//	  threshold: 5
//	  rules: {bw-xss-003: detect}
//	  routes:
//	    - {path: /api/webhooks/*, mode: off}
//	  exclusions:
//	    - {path: /api/posts, method: POST, where: "json:$.content", classes: [xss]}
//
// Work per request is bounded: bodies beyond [Config.MaxBody] are refused by
// the middleware, parsing stops at [Config.MaxInputs] values and
// [Config.MaxDepth] nesting (reported as a finding, so the request is
// blocked rather than half inspected), and all patterns are RE2 regular
// expressions, which run in time linear in their input.
//
// An [Engine] is safe for concurrent use.
package inspect
