package blackbook

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bulwark-sec/bulwark/event"
)

// ErrBadTarget is wrapped by every error about a target that cannot be parsed.
var ErrBadTarget = errors.New("blackbook: bad target")

// A TargetKind says what a [Target] names.
type TargetKind uint8

// Kinds of target.
const (
	KindNone TargetKind = iota
	KindIP              // one address
	KindCIDR            // a prefix of addresses
	KindUser            // an application user name
)

func (k TargetKind) String() string {
	switch k {
	case KindIP:
		return "ip"
	case KindCIDR:
		return "cidr"
	case KindUser:
		return "user"
	}
	return "none"
}

// Shortest prefixes that may be banned: a ban wider than these would shut
// out a large part of the Internet by mistake.
const (
	minBits4 = 8
	minBits6 = 16
)

// maxUserLen bounds a user name, in bytes.
const maxUserLen = 256

// A Target is what a ban applies to: an IP address, a CIDR prefix, or a user.
// Its text forms are "203.0.113.9", "2001:db8::/64" and "user:alice". The
// zero Target names nothing. Targets are comparable and may be map keys.
type Target struct {
	prefix netip.Prefix // valid for KindIP (full length) and KindCIDR
	user   string       // for KindUser
}

// IPTarget returns the target for one address.
func IPTarget(a netip.Addr) Target {
	a = a.Unmap().WithZone("")
	return Target{prefix: netip.PrefixFrom(a, a.BitLen())}
}

// UserTarget returns the target for a user name.
func UserTarget(name string) Target { return Target{user: name} }

// ParseTarget parses "203.0.113.9", "2001:db8::/64" or "user:alice".
func ParseTarget(s string) (Target, error) {
	bad := func(format string, args ...any) (Target, error) {
		return Target{}, fmt.Errorf("%w %q: %s", ErrBadTarget, clip(s, 80), fmt.Sprintf(format, args...))
	}
	switch {
	case s == "":
		return bad("empty; want an IP (203.0.113.9), a CIDR (203.0.113.0/24) or user:NAME")
	case strings.HasPrefix(s, "user:"):
		name := s[len("user:"):]
		if err := checkUser(name); err != "" {
			return bad("%s", err)
		}
		return Target{user: name}, nil
	case strings.Contains(s, "/"):
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return bad("not a CIDR; want a form like 203.0.113.0/24 or 2001:db8::/64")
		}
		if p.Addr().Is4In6() {
			if p.Bits() < 96 {
				return bad("an IPv4-mapped prefix shorter than /96; write the IPv4 form")
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		if m := p.Masked(); m != p {
			return bad("host bits are set; did you mean %s?", m)
		}
		if p.Bits() == p.Addr().BitLen() {
			return Target{prefix: p}, nil
		}
		if min := minBits(p.Addr()); p.Bits() < min {
			return bad("wider than /%d; ban smaller ranges", min)
		}
		return Target{prefix: p}, nil
	default:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return bad("not an IP address, CIDR or user:NAME")
		}
		if a.Zone() != "" {
			return bad("has a zone; write the address without %%%s", a.Zone())
		}
		return IPTarget(a), nil
	}
}

func minBits(a netip.Addr) int {
	if a.Is4() {
		return minBits4
	}
	return minBits6
}

// checkUser returns what is wrong with a user name, or "".
func checkUser(name string) string {
	switch {
	case name == "":
		return "empty user name; write user:NAME"
	case len(name) > maxUserLen:
		return fmt.Sprintf("user name longer than %d bytes", maxUserLen)
	case !utf8.ValidString(name):
		return "user name is not valid UTF-8"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "user name has control characters"
	}
	return ""
}

// Kind says what t names.
func (t Target) Kind() TargetKind {
	switch {
	case t.user != "":
		return KindUser
	case !t.prefix.IsValid():
		return KindNone
	case t.prefix.IsSingleIP():
		return KindIP
	}
	return KindCIDR
}

// IsZero reports whether t names nothing.
func (t Target) IsZero() bool { return t.Kind() == KindNone }

// Prefix returns the addresses t names; for an IP, a full-length prefix. It
// is invalid for a user.
func (t Target) Prefix() netip.Prefix { return t.prefix }

// User returns the user name t names, or "".
func (t Target) User() string { return t.user }

// Contains reports whether the address a is in t.
func (t Target) Contains(a netip.Addr) bool {
	return t.prefix.IsValid() && t.prefix.Contains(a.Unmap())
}

// String returns the form ParseTarget reads.
func (t Target) String() string {
	switch t.Kind() {
	case KindUser:
		return "user:" + t.user
	case KindIP:
		return t.prefix.Addr().String()
	case KindCIDR:
		return t.prefix.String()
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (t Target) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseTarget].
func (t *Target) UnmarshalText(b []byte) error {
	v, err := ParseTarget(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// clip shortens s to at most n bytes, on a rune boundary, for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return event.Truncate(s, n) + "…"
}
