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
	// Matrix and Tomcat path parameters (/a;jsessionid=…) are values too.
	if strings.IndexByte(p, ';') >= 0 && strings.IndexByte(p, '=') >= 0 {
		for _, seg := range strings.Split(p, "/") {
			if i := strings.IndexByte(seg, ';'); i >= 0 {
				s.params(kindPath, strings.ReplaceAll(seg[i+1:], ";", "&"))
			}
		}
	}
}
