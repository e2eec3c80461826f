package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// With Options.Fleet, the watch's counts and one-time state live in Redis,
// shared by every gateway using it. Keys, hashed so that no byte an
// attacker chose reaches Redis, carry one hash tag per user ({au:…}) or
// per address ({ai:…}) so that each script runs on one Cluster shard:
//
//	{au:U}:s:IP   the pair's consecutive failures (expires after Window)
//	{au:U}:ips    failing addresses of the user, scored by time (Window)
//	{au:U}:b:IP   the pair's block (expires with it)
//	{au:U}:seen   networks and devices the user logged in from (400 days)
//	{ai:IP}:users failing users of the address, scored by time (Window)
//	{al:N}        a used "this wasn't me" link's nonce (until it expires)
//
// Sets hold at most their limit plus one member, so an address spray
// costs Redis what it costs the local maps.

// userFailScript counts a failure of a user from an address. KEYS: the
// pair's streak, the user's addresses, the pair's block. ARGV: address,
// now ms, window ms, pair failures, user-address limit, block ms. It
// returns {streak, blocked (0/1), distinct addresses}.
var userFailScript = redis.NewScript(distinctLua + `
local streak = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local blocked = 0
if streak >= tonumber(ARGV[4]) then
  blocked = 1
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[6])
end
return {streak, blocked, distinct(KEYS[2], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[5]))}`)

// ipFailScript counts a failing user of an address. KEYS: the address's
// users. ARGV: user, now ms, window ms, limit. It returns the distinct
// users.
var ipFailScript = redis.NewScript(distinctLua + `return distinct(KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))`)

// distinctLua adds member to a sorted set at now, drops members older than
// window and returns how many remain; the set never grows past limit+1.
// now and window (ms) come as the strings the caller sent, passed on as
// they are: Redis's Lua turns a number back into a string slowly.
const distinctLua = `
local function distinct(key, member, now, window, limit)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('(%d', tonumber(now) - tonumber(window)))
  if redis.call('ZSCORE', key, member) or redis.call('ZCARD', key) <= limit then
    redis.call('ZADD', key, now, member)
  end
  redis.call('PEXPIRE', key, window)
  return redis.call('ZCARD', key)
end
`

// successScript ends a pair's streak. KEYS: the streak.
var successScript = redis.NewScript(`return redis.call('DEL', KEYS[1])`)

// blockedScript returns how long the pair stays blocked, in ms (<= 0: not).
var blockedScript = redis.NewScript(`return redis.call('PTTL', KEYS[1])`)

// seenScript records the login's network and device. KEYS: the user's
// set. ARGV: ttl ms, then values known here (from the store), then "--",
// then the login's values. It returns {values known before, then 1 per
// login value that is new}: the gateway that gets a 1 mails, no other.
var seenScript = redis.NewScript(`
local i = 2
while ARGV[i] ~= '--' do redis.call('SADD', KEYS[1], ARGV[i]); i = i + 1 end
local out = {redis.call('SCARD', KEYS[1])}
for j = i + 1, #ARGV do out[#out+1] = redis.call('SADD', KEYS[1], ARGV[j]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return out`)

// nonceScript records a link's nonce, once. KEYS: the nonce. ARGV: ms it
// is kept. It returns 1 the first time, 0 after.
var nonceScript = redis.NewScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return 0`)

// releaseScript gives a nonce back after a failed revocation.
var releaseScript = redis.NewScript(`return redis.call('DEL', KEYS[1])`)

// seenTTL is how long Redis remembers a user's networks and devices after
// their last login; the store keeps them for good.
const seenTTL = 400 * 24 * time.Hour

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func addrKey(ip netip.Addr) string {
	if !ip.IsValid() {
		return "-"
	}
	return ip.String()
}

func (w *Watch) userTag(user string) string { return "au:" + digest("user", user) }
func (w *Watch) ipTag(ip netip.Addr) string { return "ai:" + digest("ip", addrKey(ip)) }

// failureShared counts a failure in Redis; false when Redis did not
// answer (the caller counts locally).
func (w *Watch) failureShared(ctx context.Context, user string, ip netip.Addr, now time.Time, v *verdict) bool {
	t := w.cfg.Thresholds
	var calls []fleet.Call
	if user != "" {
		ut, pair := w.userTag(user), digest("ip", addrKey(ip))
		calls = append(calls, fleet.Call{Script: userFailScript,
			Keys: []string{w.fleet.Key(ut, "s", pair), w.fleet.Key(ut, "ips"), w.fleet.Key(ut, "b", pair)},
			Args: []any{pair, now.UnixMilli(), t.Window.Milliseconds(), t.PairFailures, t.UserIPs, t.PairBlock.Milliseconds()}})
	}
	if ip.IsValid() {
		calls = append(calls, fleet.Call{Script: ipFailScript, Keys: []string{w.fleet.Key(w.ipTag(ip), "users")},
			Args: []any{digest("user", user), now.UnixMilli(), t.Window.Milliseconds(), t.IPUsers}})
	}
	if len(calls) == 0 {
		return true
	}
	cmds, err := w.send(ctx, calls...)
	if err != nil {
		return false
	}
	i := 0
	if user != "" {
		r, err := cmds[0].Int64Slice()
		if err != nil || len(r) != 3 {
			return false
		}
		v.streak, v.blockPair, v.userIPs = int(r[0]), r[1] == 1, int(r[2])
		v.alertUser = v.userIPs == t.UserIPs
		i++
	}
	if ip.IsValid() {
		n, err := cmds[i].Int64()
		if err != nil {
			return false
		}
		v.ipUsers = int(n)
		v.banIP = v.ipUsers == t.IPUsers
	}
	return true
}

// successShared ends the pair's streak in Redis, or queues that in ctx's
// pipe with alone to run if Redis does not take it.
func (w *Watch) successShared(ctx context.Context, user string, ip netip.Addr, alone func()) bool {
	if user == "" {
		return true
	}
	c := fleet.Call{Script: successScript, Keys: []string{w.fleet.Key(w.userTag(user), "s", digest("ip", addrKey(ip)))}}
	if later(ctx, c, alone) {
		return true
	}
	_, err := w.fleet.Run(ctx, c)
	return err == nil
}

// blockedShared reports until when Redis has the pair blocked; ok is false
// when Redis did not answer.
func (w *Watch) blockedShared(ctx context.Context, user string, ip netip.Addr, now time.Time) (until time.Time, blocked, ok bool) {
	ut := w.userTag(user)
	cmds, err := w.fleet.Run(ctx, fleet.Call{Script: blockedScript, Keys: []string{w.fleet.Key(ut, "b", digest("ip", addrKey(ip)))}})
	if err != nil {
		return time.Time{}, false, false
	}
	ms, err := cmds[0].Int64()
	if err != nil {
		return time.Time{}, false, false
	}
	if ms <= 0 {
		return time.Time{}, false, true
	}
	return now.Add(time.Duration(ms) * time.Millisecond), true, true
}

// seenShared records the login's values in Redis, seeding it with what
// the store knows, and reports how many were known before and which of
// the login's values are new fleet-wide; ok is false when Redis did not
// answer.
func (w *Watch) seenShared(ctx context.Context, user string, local []string, login []string) (known int, fresh []bool, ok bool) {
	args := []any{seenTTL.Milliseconds()}
	for _, v := range local {
		args = append(args, v)
	}
	args = append(args, "--")
	for _, v := range login {
		args = append(args, v)
	}
	cmds, err := w.send(ctx, fleet.Call{Script: seenScript, Keys: []string{w.fleet.Key(w.userTag(user), "seen")}, Args: args})
	if err != nil {
		return 0, nil, false
	}
	r, err := cmds[0].Int64Slice()
	if err != nil || len(r) != 1+len(login) {
		return 0, nil, false
	}
	for _, x := range r[1:] {
		fresh = append(fresh, x == 1)
	}
	return int(r[0]), fresh, true
}

// useNonceShared records a link's nonce in Redis: used reports an earlier
// use anywhere in the fleet; ok is false when Redis did not answer.
func (w *Watch) useNonceShared(ctx context.Context, nonce [16]byte, expiry, now time.Time) (used, ok bool) {
	keep := max(expiry.Sub(now), time.Second)
	cmds, err := w.fleet.Run(ctx, fleet.Call{Script: nonceScript, Keys: []string{w.fleet.Key("al:" + hex.EncodeToString(nonce[:]))},
		Args: []any{keep.Milliseconds()}})
	if err != nil {
		return false, false
	}
	n, err := cmds[0].Int64()
	if err != nil {
		return false, false
	}
	return n == 0, true
}

// releaseNonceShared forgets a nonce whose use failed.
func (w *Watch) releaseNonceShared(ctx context.Context, nonce [16]byte) {
	w.fleet.Run(ctx, fleet.Call{Script: releaseScript, Keys: []string{w.fleet.Key("al:" + hex.EncodeToString(nonce[:]))}})
}

// failure counts a failed login through Redis when it answers, else here.
func (w *Watch) failure(ctx context.Context, user string, ip netip.Addr, now time.Time) verdict {
	if w.fleet.Up() {
		var v verdict
		if w.failureShared(ctx, user, ip, now, &v) {
			w.counts.ratio(false, now, &v)
			return v
		}
	}
	if w.fleet != nil {
		w.fleet.Local("accounts")
	}
	v := w.counts.failure(user, ip, now)
	w.countedAlone('f', user, ip, now)
	if v.blockPair && user != "" {
		w.countedAlone('b', user, ip, now)
	}
	return v
}

// success ends the pair's streak through Redis when it answers, else here.
func (w *Watch) success(ctx context.Context, user string, ip netip.Addr, now time.Time) verdict {
	alone := func() { // the pair's streak ends here, and in Redis at the merge
		w.countedAlone('s', user, ip, now)
		w.counts.mu.Lock()
		delete(w.counts.streak, pairKey{user, ip})
		w.counts.mu.Unlock()
	}
	if w.fleet.Up() && w.successShared(ctx, user, ip, alone) {
		var v verdict
		w.counts.ratio(true, now, &v)
		return v
	}
	w.countedAlone('s', user, ip, now)
	return w.counts.success(user, ip, now)
}

// seenFleet records the login's network and device in Redis. It returns
// how many values the fleet knew before and, for network then device,
// whether each is new fleet-wide; known is -1 when there is no fleet or
// Redis did not answer (the store decides alone).
func (w *Watch) seenFleet(ctx context.Context, user string, local map[string]bool, network, family string) (known int, fresh [2]bool) {
	if !w.fleet.Up() {
		if w.fleet != nil {
			w.fleet.Local("accounts")
		}
		return -1, fresh
	}
	var have []string
	for kv := range local {
		if len(have) == maxSeedValues {
			break
		}
		have = append(have, digest(kv))
	}
	var login []string
	var idx []int
	for i, kv := range [][2]string{{"network", network}, {"device", family}} {
		if kv[1] != "" {
			login = append(login, digest(kv[0]+" "+kv[1]))
			idx = append(idx, i)
		}
	}
	n, isNew, ok := w.seenShared(ctx, user, have, login)
	if !ok {
		w.fleet.Local("accounts")
		return -1, fresh
	}
	for j, i := range idx {
		fresh[i] = isNew[j]
	}
	return n, fresh
}

// maxSeedValues bounds the values of the store a login sends to Redis.
const maxSeedValues = 64
