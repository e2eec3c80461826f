package accounts

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/netip"
	"time"
	"unicode/utf8"

	"github.com/bulwark-sec/bulwark/event"
)

// A link token says "user's login from ip may be disowned until expiry";
// it is HMAC-SHA256 signed with the watch's key and carries a random
// nonce that is recorded when the link is used, so it works once.
//
//	version(1) expiry(8, Unix seconds) nonce(16) ip(16) user(…) mac(32)
type linkToken struct {
	user   string
	ip     netip.Addr
	expiry time.Time
	nonce  [16]byte
}

const (
	linkVersion = 1
	linkHeader  = 1 + 8 + 16 + 16
	linkMACSize = 32
	maxLinkUser = 256
)

// Errors from parsing a link token.
var (
	errLinkMalformed = errors.New("accounts: malformed link")
	errLinkForged    = errors.New("accounts: link signature does not match")
	errLinkExpired   = errors.New("accounts: link expired")
)

func (w *Watch) signLink(user string, ip netip.Addr, expiry time.Time) string {
	user = event.Truncate(user, maxLinkUser)
	b := make([]byte, linkHeader, linkHeader+len(user)+linkMACSize)
	b[0] = linkVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(expiry.Unix()))
	rand.Read(b[9:25])
	a16 := ip.As16()
	copy(b[25:41], a16[:])
	b = append(b, user...)
	b = append(b, w.linkMAC(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (w *Watch) linkMAC(payload []byte) []byte {
	m := hmac.New(sha256.New, w.key)
	m.Write([]byte("bulwark not-me link\x00"))
	m.Write(payload)
	return m.Sum(nil)
}

// parseLink checks s's signature and expiry and returns what it says.
// s comes from anyone: it is checked before anything in it is used.
func (w *Watch) parseLink(s string, now time.Time) (linkToken, error) {
	if len(s) > base64.RawURLEncoding.EncodedLen(linkHeader+maxLinkUser+linkMACSize) {
		return linkToken{}, errLinkMalformed
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < linkHeader+linkMACSize || b[0] != linkVersion {
		return linkToken{}, errLinkMalformed
	}
	payload, mac := b[:len(b)-linkMACSize], b[len(b)-linkMACSize:]
	if !hmac.Equal(mac, w.linkMAC(payload)) {
		return linkToken{}, errLinkForged
	}
	var t linkToken
	exp := binary.BigEndian.Uint64(payload[1:9])
	if exp > 1<<62 {
		return linkToken{}, errLinkMalformed
	}
	t.expiry = time.Unix(int64(exp), 0)
	copy(t.nonce[:], payload[9:25])
	t.ip = netip.AddrFrom16([16]byte(payload[25:41])).Unmap()
	t.user = string(payload[41:])
	if !utf8.ValidString(t.user) || t.user == "" {
		return linkToken{}, errLinkMalformed
	}
	if !now.Before(t.expiry) {
		return linkToken{}, errLinkExpired
	}
	return t, nil
}
