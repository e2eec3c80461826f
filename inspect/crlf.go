package inspect

var ruleCRLF = newRule("bw-crlf-001", CRLF, 5, "CR or LF followed by a header line (response splitting, header injection)")

var (
	reCRLF     = pat(`[\r\n]\s*(?:[a-z0-9!#$%&'*+.^_\x60|~-]{2,40})\s*:\s*\S|[\r\n]\s*[\r\n]\s*<|[\r\n]\s*http/\d`)
	reCRLFBody = pat(`[\r\n]\s*(?:set-cookie|location|content-type|content-length|content-disposition|transfer-encoding|refresh|access-control-allow-\w+|x-xss-protection|content-security-policy|link|host|x-forwarded-\w+)\s*:\s*\S|[\r\n]\s*http/\d\.\d\s+\d{3}`)
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
