package fleet

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// claimScript holds KEYS[1] for the owner ARGV[1] for ARGV[2] ms, unless
// another owner holds it: it returns "" when the owner holds it now, or
// the other owner's name.
var claimScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return cur end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ''
`)

// ClaimInstance holds a gateway's instance id ([StreamOptions.Instance])
// for owner (who runs it: a host and a store) for lease, renewing an
// earlier claim of the same owner. It returns "" when owner holds the id
// now, or the owner that holds it: then another gateway, running from a
// copy of this one's store, already uses it. It is off the request's path:
// ctx bounds it, not the link's timeout, and a failure does not take the
// link down.
func (s *Shared) ClaimInstance(ctx context.Context, id, owner string, lease time.Duration) (holder string, err error) {
	return claimScript.Run(ctx, s.c, []string{s.Key("view", "instance", id)}, owner, lease.Milliseconds()).Text()
}
