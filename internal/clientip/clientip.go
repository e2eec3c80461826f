// Package clientip decides which address a request came from. The
// X-Forwarded-For and Forwarded headers are believed only when the peer that
// sent them is a configured trusted proxy; otherwise the socket address is
// the client, whatever the headers say.
package clientip

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// maxHops bounds the forwarding chain walked per request.
const maxHops = 32

// A Resolver is safe for concurrent use.
type Resolver struct {
	trusted []netip.Prefix
}

// New returns a Resolver trusting the given proxies, each a CIDR
// ("10.0.0.0/8") or a single address ("192.0.2.7").
func New(trusted []string) (*Resolver, error) {
	r := &Resolver{}
	for _, s := range trusted {
		p, err := ParsePrefix(s)
		if err != nil {
			return nil, err
		}
		r.trusted = append(r.trusted, p)
	}
	return r, nil
}

// ParsePrefix parses a CIDR or a single address (as a /32 or /128).
func ParsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("invalid CIDR %q: want a form like 10.0.0.0/8 or fd00::/8", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("invalid address %q: want an IP or a CIDR such as 10.0.0.0/8", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Trusted reports whether a is one of the trusted proxies.
func (r *Resolver) Trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Peer returns the address of the socket peer.
func Peer(req *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(req.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// ClientIP returns the client's address: the peer, or, when the peer is a
// trusted proxy, the rightmost address in the forwarding chain that is not a
// trusted proxy. A malformed entry stops the walk at the last address known
// good, so garbage cannot choose the answer.
func (r *Resolver) ClientIP(req *http.Request) netip.Addr {
	client := Peer(req)
	if len(r.trusted) == 0 || !r.Trusted(client) {
		return client
	}
	chain := forwardedFor(req.Header)
	for i, hops := len(chain)-1, 0; i >= 0 && hops < maxHops; i, hops = i-1, hops+1 {
		a, ok := parseHop(chain[i])
		if !ok {
			return client
		}
		client = a
		if !r.Trusted(a) {
			return a
		}
	}
	return client
}

// HTTPS reports whether the client spoke HTTPS: directly, or to a trusted
// proxy that says so in X-Forwarded-Proto or Forwarded proto=.
func (r *Resolver) HTTPS(req *http.Request) bool {
	if req.TLS != nil {
		return true
	}
	if len(r.trusted) == 0 || !r.Trusted(Peer(req)) {
		return false
	}
	if p := req.Header.Get("X-Forwarded-Proto"); p != "" {
		return strings.EqualFold(strings.TrimSpace(lastItem(p)), "https")
	}
	for _, v := range req.Header.Values("Forwarded") {
		for _, elem := range strings.Split(lastItem(v), ";") {
			k, val, _ := strings.Cut(strings.TrimSpace(elem), "=")
			if strings.EqualFold(k, "proto") {
				return strings.EqualFold(strings.Trim(val, `"`), "https")
			}
		}
	}
	return false
}

func lastItem(s string) string {
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		return s[i+1:]
	}
	return s
}

// forwardedFor returns the forwarding chain, oldest first, from
// X-Forwarded-For, or from Forwarded for= when there is no X-Forwarded-For.
func forwardedFor(h http.Header) []string {
	var chain []string
	if xff := h.Values("X-Forwarded-For"); len(xff) > 0 {
		for _, line := range xff {
			chain = append(chain, strings.Split(line, ",")...)
		}
		return chain
	}
	for _, line := range h.Values("Forwarded") {
		for _, elem := range strings.Split(line, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(pair), "=")
				if strings.EqualFold(k, "for") {
					chain = append(chain, v)
				}
			}
		}
	}
	return chain
}

// parseHop parses one chain entry: "203.0.113.9", "203.0.113.9:1234",
// "2001:db8::1", "[2001:db8::1]:443", or a quoted Forwarded form of these.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), a.Zone() == ""
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a.Unmap(), a.Zone() == ""
		}
	}
	return netip.Addr{}, false
}
