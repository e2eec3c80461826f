package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/redis/go-redis/v9"
)

// A LoginLimit counts the console's login attempts per client for every
// gateway of the fleet, in a fixed window: PREFIX:{cl:H} holds the count
// of client H (a hash of the address) and expires with the window. It
// satisfies console.LoginCounter and is safe for concurrent use.
type LoginLimit struct{ s *Shared }

// NewLoginLimit returns the console's login counter through s.
func NewLoginLimit(s *Shared) *LoginLimit { return &LoginLimit{s} }

// loginScript counts an attempt unless ARGV[1] were counted; ARGV[2] is
// the window in ms. It returns 0 when the attempt may go on, else the ms
// to wait.
var loginScript = redis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
  return ttl
end
redis.call('INCR', KEYS[1])
if n == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

var forgetScript = redis.NewScript(`return redis.call('DEL', KEYS[1])`)

func (l *LoginLimit) key(client string) string {
	h := sha256.Sum256([]byte("console login\x00" + client))
	return l.s.Key("cl:" + hex.EncodeToString(h[:12]))
}

// Attempt counts an attempt of client; ok is false while Redis is away.
func (l *LoginLimit) Attempt(ctx context.Context, client string, max int, window time.Duration) (time.Duration, bool) {
	cmds, err := l.s.Run(ctx, Call{Script: loginScript, Keys: []string{l.key(client)}, Args: []any{max, window.Milliseconds()}})
	if err != nil {
		l.s.Local("console")
		return 0, false
	}
	ms, err := cmds[0].Int64()
	if err != nil {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}

// Forget ends client's window.
func (l *LoginLimit) Forget(ctx context.Context, client string) {
	l.s.Run(ctx, Call{Script: forgetScript, Keys: []string{l.key(client)}})
}
