package inspect

import "strings"

// quietHeaders carry values set by browsers and proxies that applications
// do not read as data; they are only checked for Log4Shell lookups and
// line breaks, which attackers spray into every header.
var quietHeaders = map[string]bool{
	"Accept": true, "Accept-Encoding": true, "Accept-Language": true, "Accept-Charset": true, "Connection": true,
	"Content-Length": true, "Content-Type": true, "Cache-Control": true, "Pragma": true, "Host": true,
	"If-None-Match": true, "If-Modified-Since": true, "If-Match": true, "If-Unmodified-Since": true, "If-Range": true,
	"Upgrade-Insecure-Requests": true, "Dnt": true, "Te": true, "Priority": true, "Keep-Alive": true,
	"Sec-Fetch-Site": true, "Sec-Fetch-Mode": true, "Sec-Fetch-Dest": true, "Sec-Fetch-User": true,
	"Sec-Ch-Ua": true, "Sec-Ch-Ua-Mobile": true, "Sec-Ch-Ua-Platform": true, "Sec-Gpc": true, "Range": true,
	"Traceparent": true, "Tracestate": true, "Baggage": true, "Sec-Websocket-Key": true, "Sec-Websocket-Version": true,
	"Sec-Websocket-Extensions": true, "Upgrade": true, "Content-Encoding": true, "Transfer-Encoding": true,
	"X-Request-Id": true, "Via": true, "Cdn-Loop": true, "Proxy-Connection": true, "Expect": true,
	"Authorization": true, "Proxy-Authorization": true,
}

// headers inspects header values and cookies.
func (s *scan) headers() {
	if s.req.Host != "" && s.req.Header.Get("Host") == "" {
		// net/http takes Host out of the header; it is still the client's.
		if !s.quietHeader("host", s.req.Host) {
			return
		}
	}
	for name, vals := range s.req.Header {
		if s.stopped {
			return
		}
		if name == "Cookie" {
			for _, v := range vals {
				s.cookies(v)
			}
			continue
		}
		lname := s.lower(name)
		for _, v := range vals {
			if v == "" {
				continue
			}
			if quietHeaders[name] {
				if !s.quietHeader(lname, v) {
					return
				}
				if name == "Authorization" || name == "Proxy-Authorization" {
					s.authorization(lname, v)
				}
				continue
			}
			switch name {
			case "User-Agent":
				s.userAgent(lname, v)
			case "Referer", "Origin":
				s.referer(lname, v)
			default:
				s.value(kindHeader, lname, v)
			}
		}
	}
}

// cookies inspects the names and values of a Cookie header.
func (s *scan) cookies(h string) {
	for h != "" && !s.stopped {
		var c string
		c, h, _ = strings.Cut(h, ";")
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		name, val, _ := strings.Cut(c, "=")
		name = strings.TrimSpace(name)
		if !s.count() {
			return
		}
		s.inspect(&s.in, kindCookie, name, name, true)
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if val != "" {
			dec := s.urlDecode(val, false)
			s.inspect(&s.in, kindCookie, name, dec, false)
			// cookie-parser reads a value "j:…" as JSON, an object the
			// application gets as is: inspect its members as JSON's.
			if j, ok := strings.CutPrefix(dec, "j:"); ok && !s.stopped {
				s.jsonAs(kindCookie, name, stringBytes(j))
			}
		}
	}
}

// referer inspects a Referer or Origin: a URL the browser built, so an
// attack in it is in its path or query (put there by a link an attacker
// made), or in a value that is not a URL at all.
func (s *scan) referer(name, v string) {
	rest, ok := strings.CutPrefix(v, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(v, "http://")
	}
	slash := strings.IndexAny(rest, "/?#")
	if !ok || strings.ContainsAny(v, " \t\r\n\"'<>`\\{}|^") || slash < 0 && !plainHost(rest) || slash >= 0 && !plainHost(rest[:slash]) {
		s.value(kindHeader, name, v)
		return
	}
	if slash < 0 {
		return
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 && i+1 < len(rest) && s.count() {
		// Browsers never send a fragment in a Referer: one is the sender's.
		s.inspect(&s.in, kindHeader, name, s.urlDecode(rest[i+1:], true), false)
	}
	path, query, _ := splitURI(rest[slash:])
	if path != "" && path != "/" && s.count() {
		s.inspect(&s.in, kindHeader, name, s.urlDecode(path, false), false)
	}
	if query != "" {
		s.params(kindHeader, query)
	}
}

// plainHost reports whether h is a host[:port] made of the characters
// host names have.
func plainHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':') {
			return false
		}
	}
	return h != ""
}

// quietHeader inspects v, the value of a header that holds no words
// (quietHeaders), for what can hide in any header: Log4Shell lookups,
// CRLF and Shellshock. It reports false when no more inputs may be
// inspected.
func (s *scan) quietHeader(lname, v string) bool {
	if !strings.Contains(v, "${") && !strings.ContainsAny(v, "\r\n") && !strings.Contains(v, "%0") && !strings.Contains(v, "() {") {
		return true
	}
	if !s.count() {
		return false
	}
	in := &s.in
	*in = input{kind: kindHeader, name: lname, raw: v}
	in.dec = s.decode(v)
	in.low = s.lower(in.dec)
	in.cls = classes(in.low)
	in.hints = scanHints(in.low)
	s.jndi(in)
	s.crlf(in)
	s.cmdi(in)
	return true
}
