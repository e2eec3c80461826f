package inspect

import "unsafe"

// check runs the detectors that apply to in.
func (s *scan) check(in *input) {
	if s.req.Types != nil || s.req.Seen != nil {
		s.readHints(in)
		if s.byType(in) {
			return
		}
	}
	if s.freeText(in) {
		return
	}
	s.checkValue(in)
}

// checkValue runs the detectors that apply to in, a value (not free text).
func (s *scan) checkValue(in *input) {
	s.readHints(in)
	if in.kind == kindPath {
		s.pathProbe(in)
		s.traversal(in)
		if in.cls&^(plain|cSlash|cDot) == 0 {
			return
		}
	}
	if in.kind == kindHeader && in.name == "user-agent" {
		s.scannerUA(in)
	}
	if in.key {
		s.nosqlKey(in)
		s.protoKey(in)
	}
	if in.cls&^plain == 0 {
		// Words only: few attacks need no symbol at all.
		if in.has(cAlpha) {
			s.protoValue(in) // __proto__, an array element "prototype"
			s.sqli(in)
			if !in.noXSS {
				s.xss(in)
			}
			s.cmdi(in)
			s.java(in)
			if in.kind == kindFilename || fileHeader(in) {
				s.php(in) // an upload named sess_…
			}
			if in.kind == kindCookie && !in.key && !in.base64 {
				s.base64(in) // a serialized object
			}
			if in.key {
				s.code(in)
			}
		}
		return
	}
	s.sqli(in)
	if !in.noXSS {
		s.xss(in)
	}
	if in.kind != kindPath {
		s.traversal(in)
		s.fileParam(in)
	}
	s.cmdi(in)
	s.urlParam(in)
	s.jndi(in)
	s.ssti(in)
	s.crlf(in)
	s.nosqlValue(in)
	s.protoValue(in)
	s.php(in)
	s.java(in)
	s.code(in)
	if !in.base64 {
		s.base64(in)
	}
}

// readHints reads the hints of in if they are not yet: a value judged as
// free text needs only those of its prose.
func (s *scan) readHints(in *input) {
	if in.unread {
		in.hints, in.unread = s.scanHints(in.low), false
	}
}

// find returns the first match of p in v, an input's low form or a form
// derived from it.
func (in *input) find(p *pattern, v string) (string, bool) {
	m := in.hintsOf(v)
	return findIn(p, v, &m)
}

// hintsOf returns the patterns whose hints occur in v, an input's low form
// or a form derived from it.
func (in *input) hintsOf(v string) hintMask {
	if len(v) == len(in.low) && unsafe.StringData(v) == unsafe.StringData(in.low) {
		return in.hints
	}
	return scanHints(v)
}

// findIn returns the first match of p in v, whose hints are m.
func findIn(p *pattern, v string, m *hintMask) (string, bool) {
	if !m.admits(p) {
		return "", false
	}
	loc := p.re.FindStringIndex(v)
	if loc == nil {
		return "", false
	}
	return v[loc[0]:loc[1]], true
}

// matchRule reports r if re matches v. It reports false, matching
// nothing, once the request's budget is spent (see [scan.spend]).
func (s *scan) matchRule(r *rule, p *pattern, in *input, v string) bool {
	hints := s.hintsOf(in, v)
	if m, ok := s.findIn(p, v, &hints); ok {
		s.report(r, in, fragmentAround(v, m))
		return true
	}
	return false
}

// matchAny reports r if any of ps matches v. The hints of v are found
// once for all of ps.
func (s *scan) matchAny(r *rule, ps []*pattern, in *input, v string) bool {
	hints := s.hintsOf(in, v)
	for _, p := range ps {
		if m, ok := s.findIn(p, v, &hints); ok {
			s.report(r, in, fragmentAround(v, m))
			return true
		}
	}
	return false
}

// hintsOf is [input.hintsOf], its work counted.
func (s *scan) hintsOf(in *input, v string) hintMask {
	if len(v) == len(in.low) && unsafe.StringData(v) == unsafe.StringData(in.low) {
		return in.hints
	}
	s.spend(len(v))
	return s.scanHints(v)
}

// scanHints is [scanHints]; a long value's, which windows will search,
// is read with its hint events, once (see [eventCache]).
func (s *scan) scanHints(v string) hintMask {
	if len(v) >= minWindowed && len(v) <= maxWindowed {
		return s.events.hints(v)
	}
	return scanHints(v)
}

// findIn is [findIn], its work counted: nothing is found once the budget
// is spent.
func (s *scan) findIn(p *pattern, v string, m *hintMask) (string, bool) {
	if !m.admits(p) || !s.spend(len(v)) {
		return "", false
	}
	if p.plans != nil && len(v) >= minWindowed && len(v) <= maxWindowed {
		loc, ok := findIndexed(p, v, m, s.events.index(v))
		if windowCheck != nil {
			windowCheck(p, v, loc, ok)
		}
		if ok {
			if loc == nil {
				return "", false
			}
			return v[loc[0]:loc[1]], true
		}
	}
	return findIn(p, v, m)
}

// windowCheck, if set (by tests), is told each windowed search.
var windowCheck func(p *pattern, v string, loc []int, ok bool)

// fragmentAround returns m, widened a little when it is short.
func fragmentAround(_ string, m string) string { return m }
