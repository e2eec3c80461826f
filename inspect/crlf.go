package inspect

var ruleCRLF = newRule("bw-crlf-001", CRLF, 5, "CR or LF followed by a header line (response splitting, header injection)")

var (
	reCRLF = pat(anyOf(
		`[\r\n]\s*(?:[a-z0-9!#$%&'*+.^_\x60|~-]{2,40})\s*:\s*\S`, // %0d%0aSet-Cookie: x=1: a line break then any header line
		`[\r\n]\s*[\r\n]\s*<`, // %0d%0a%0d%0a<script>: end of headers then a body of the attacker's
		`[\r\n]\s*http/\d`,    // %0d%0aHTTP/1.1 200 OK: a second response (response splitting)
	))
	reCRLFBody = pat(anyOf(
		// in a body, a line break then a header that matters to a response: \r\nLocation: …, \nSet-Cookie: …
		`[\r\n]\s*(?:`+anyOf(
			`set-cookie|location`, // session fixation, open redirect
			`content-type|content-length|content-disposition|transfer-encoding`, // the body's type and framing (smuggling)
			`refresh`, // redirect after a delay
			`access-control-allow-\w+|x-xss-protection|content-security-policy`, // browser protections changed
			`link`,                 // preload or stylesheet from elsewhere
			`host|x-forwarded-\w+`, // routing by a proxy
		)+`)\s*:\s*\S`,
		`[\r\n]\s*http/\d\.\d\s+\d{3}`, // \r\nHTTP/1.1 200 OK: a status line (response splitting)
	))
)

// crlf detects header injection. Query, path, cookie and header values
// must not hold line breaks at all; bodies (text areas) often do, so there
// only header names that matter to a response count.
func (s *scan) crlf(in *input) {
	if !in.has(cNewline) || in.text {
		return // lines of free text are not a header block
	}
	switch in.kind {
	case kindQuery, kindPath, kindHeader, kindCookie:
		s.matchRule(ruleCRLF, reCRLF, in, in.low)
	default:
		s.matchRule(ruleCRLF, reCRLFBody, in, in.low)
	}
}
