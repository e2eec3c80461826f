package inspect

import "strings"

// path inspects the request path, decoded once as servers do; the
// inspection decodes it further.
func (s *scan) path(raw string) {
	if raw == "" || raw == "/" {
		return
	}
	if !s.count() {
		return
	}
	p := s.urlDecode(raw, false)
	s.inspect(&s.in, kindPath, "", p, false)
	plainPath := s.in.cls&^(plain|cSlash|cDot) == 0
	if strings.Contains(p, "proto") {
		s.protoPath(p)
	}
	if strings.IndexByte(p, ' ') >= 0 || strings.IndexByte(p, '+') >= 0 {
		s.pathSegments(p, plainPath)
	}
	// Matrix and Tomcat path parameters (/a;jsessionid=…) are values too.
	if strings.IndexByte(p, ';') >= 0 && strings.IndexByte(p, '=') >= 0 {
		for _, seg := range strings.Split(p, "/") {
			if i := strings.IndexByte(seg, ';'); i >= 0 {
				s.params(kindPath, strings.ReplaceAll(seg[i+1:], ";", "&"))
			}
		}
	}
}

// pathSegments inspects for SQL injection each segment of p, the decoded
// path, that holds a space (or a +, read as one by some servers): REST
// routes put segments in queries (/api/users/:id), and the path as a
// whole reads as no SQL. plain tells whether the path holds only letters,
// digits, spaces, - . and /, which the other detectors skip; otherwise
// they have seen it and only the number-led tail is left.
func (s *scan) pathSegments(p string, plain bool) {
	for rest := p; rest != "" && !s.stopped; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if strings.IndexByte(seg, ' ') < 0 && strings.IndexByte(seg, '+') < 0 {
			continue
		}
		in := &s.in
		*in = input{kind: kindPath, raw: seg}
		in.dec = s.decode(seg)
		if strings.IndexByte(in.dec, '+') >= 0 {
			in.dec = s.plusAsSpace(in.dec)
		}
		in.low = s.lower(in.dec)
		in.cls = classes(in.low)
		in.hints = scanHints(in.low)
		if plain {
			s.sqli(in)
		} else if in.has(cSpace | cParen | cStar) {
			s.sqlNum(in, in.low)
		}
	}
}

// plusAsSpace returns v with every + a space, in the arena.
func (s *scan) plusAsSpace(v string) string {
	start := len(s.buf)
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == '+' {
			s.buf = append(s.buf, ' ')
		} else {
			s.buf = append(s.buf, c)
		}
	}
	return s.str(start)
}
