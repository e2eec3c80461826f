package limit

import (
	"encoding/binary"
	"net/netip"
)

// A key is one client or network as a uint64: an IPv6 key is the address's
// first 64 bits (a /64 is one host), masked to a network's length; an IPv4
// key carries v4Tag above the 32-bit address. Each limit has its own table,
// so the key does not need the limit in it, and eight bytes keep the map half
// the size that a [16]byte would. v4Tag lies in ffff:ffff::/32, multicast
// space no client can send from, so IPv4 and IPv6 keys never collide. An
// invalid address (no client known) is key 0, one shared budget.
type key = uint64

const v4Tag = 0xffff_ffff << 32

// keyKind says how a limit derives keys from addresses.
type keyKind uint8

const (
	byIP      keyKind = iota // IPv4 address, IPv6 /64
	byNetwork                // IPv4 /v4bits, IPv6 /v6bits
	byNothing                // one key for everyone
)

// keyOf returns the key of a (unmapped) for a limit of kind k.
func keyOf(a netip.Addr, k keyKind, v4bits, v6bits int) key {
	switch {
	case k == byNothing || !a.IsValid():
		return 0
	case a.Is4():
		b := a.As4()
		v := uint64(binary.BigEndian.Uint32(b[:]))
		if k == byNetwork {
			v &= ^uint64(0) << (32 - v4bits) & 0xffff_ffff
		}
		return v4Tag | v
	default:
		b := a.As16()
		v := binary.BigEndian.Uint64(b[:8])
		if k == byNetwork {
			v &= ^uint64(0) << (64 - v6bits)
		}
		return v
	}
}

// prefixOf turns a key back into the prefix it stands for; the zero Prefix
// for a limit that has one key for everyone.
func prefixOf(x key, k keyKind, v4bits, v6bits int) netip.Prefix {
	if k == byNothing {
		return netip.Prefix{}
	}
	if x>>32 == v4Tag>>32 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(x))
		bits := 32
		if k == byNetwork {
			bits = v4bits
		}
		return netip.PrefixFrom(netip.AddrFrom4(b), bits)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], x)
	bits := 64
	if k == byNetwork {
		bits = v6bits
	}
	return netip.PrefixFrom(netip.AddrFrom16(b), bits)
}
