package accounts

import (
	"context"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// With Options.Fleet, sessions are shared too, so that a session revoked
// on one gateway is refused by all within [revokedPoll]:
//
//	{au:U}:ss     the user's session hashes, scored by when they were
//	              last seen issued (Sessions.TTL; at most maxUserSessions)
//	{rv}:revoked  every revoked session hash, scored by when it was
//	              revoked (Sessions.TTL)
//
// Scores are the Redis server's clock, so gateways need not agree on the
// time. Each gateway polls the revoked set for what was added since its
// last look and refuses those sessions from memory: a request never waits
// on Redis for this check. Hashes are keyed with accounts.key, which the
// gateways of a fleet share, so one cookie has one hash fleet-wide.

// revokedPoll is how often a gateway reads the sessions revoked elsewhere:
// the longest a revoked session still passes another gateway, Redis up.
const revokedPoll = time.Second

// maxUserSessions bounds the session hashes Redis keeps per user; the
// oldest go first.
const maxUserSessions = 1000

// maxPending bounds what a gateway keeps to push when Redis returns.
const maxPending = 10000

// redisNowLua reads the server's clock in ms.
const redisNowLua = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

// sessionAddScript records session hashes of a user. KEYS: the user's
// sessions. ARGV: ttl ms, the most kept, then the hashes.
var sessionAddScript = redis.NewScript(redisNowLua + `
local ttl = tonumber(ARGV[1])
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], now, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ttl)
return 1`)

// sessionTakeScript returns a user's session hashes and forgets them: they
// are being revoked. KEYS: the user's sessions.
var sessionTakeScript = redis.NewScript(`
local m = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return m`)

// revokedAddScript adds hashes to the revoked set. KEYS: the set. ARGV:
// ttl ms, then the hashes.
var revokedAddScript = redis.NewScript(redisNowLua + `
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return now`)

// revokedSinceScript reads the revoked set from a time on. KEYS: the set.
// ARGV: since (ms), the most returned. It returns {now, hash, score, …}.
var revokedSinceScript = redis.NewScript(redisNowLua + `
local out = {now}
local m = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #m do out[#out+1] = m[i] end
return out`)

// sharedSessions is the Redis side of the sessions: the poll of revoked
// hashes and what was done alone while Redis was away.
type sharedSessions struct {
	w      *Watch
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	since   int64                      // server ms of the last poll, less a margin
	adds    map[string]map[string]bool // user → hashes seen issued while Redis was away
	users   map[string]bool            // users whose sessions were revoked meanwhile
	revoked map[string]bool            // hashes revoked meanwhile
}

// startSharedSessions starts polling the revoked set; Close stops it.
func (w *Watch) startSharedSessions() {
	s := &sharedSessions{w: w, adds: map[string]map[string]bool{}, users: map[string]bool{}, revoked: map[string]bool{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	w.shared = s
	w.fleet.OnResume(s.resume)
	s.wg.Add(1)
	go s.poll()
}

func (s *sharedSessions) close() {
	s.cancel()
	s.wg.Wait()
}

func (w *Watch) sessionsKey(user string) string { return w.fleet.Key(w.userTag(user), "ss") }
func (w *Watch) revokedKey() string             { return w.fleet.Key("rv", "revoked") }
func hashHex(h sessionHash) string              { return hex.EncodeToString(h[:]) }

// added shares that user's session h was issued, or keeps it to push.
func (s *sharedSessions) added(ctx context.Context, user string, h sessionHash) {
	w := s.w
	if w.fleet.Up() {
		c := fleet.Call{Script: sessionAddScript, Keys: []string{w.sessionsKey(user)},
			Args: []any{w.cfg.Sessions.TTL.Milliseconds(), maxUserSessions, hashHex(h)}}
		if later(ctx, c, func() { s.keep(user, h) }) {
			return
		}
		if _, err := w.fleet.Run(ctx, c); err == nil {
			return
		}
	}
	s.keep(user, h)
}

// keep holds user's session h to push when Redis answers again.
func (s *sharedSessions) keep(user string, h sessionHash) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.adds[user] == nil {
		if len(s.adds) >= maxPending {
			return
		}
		s.adds[user] = map[string]bool{}
	}
	if len(s.adds[user]) < maxUserSessions {
		s.adds[user][hashHex(h)] = true
	}
}

// revokedOne shares that session h was revoked, or keeps it to push.
func (s *sharedSessions) revokedOne(ctx context.Context, h sessionHash) {
	if s.pushRevoked(ctx, []string{hashHex(h)}) != nil {
		s.mu.Lock()
		if len(s.revoked) < maxPending {
			s.revoked[hashHex(h)] = true
		}
		s.mu.Unlock()
	}
}

// revokedUser revokes fleet-wide every session of user any gateway saw
// issued, beside local (those this gateway knows), and returns the hashes
// the fleet knew that this gateway did not. With Redis away it keeps the
// revocation to push when Redis returns.
func (s *sharedSessions) revokedUser(ctx context.Context, user string, local []sessionHash) []sessionHash {
	w := s.w
	var others []sessionHash
	var hs []string
	seen := map[string]bool{}
	for _, h := range local {
		seen[hashHex(h)] = true
		hs = append(hs, hashHex(h))
	}
	ok := false
	if w.fleet.Up() {
		if cmds, err := w.fleet.Run(ctx, fleet.Call{Script: sessionTakeScript, Keys: []string{w.sessionsKey(user)}}); err == nil {
			m, _ := cmds[0].StringSlice()
			for _, x := range m {
				if seen[x] {
					continue
				}
				if h, good := parseHash(x); good {
					others = append(others, h)
					hs = append(hs, x)
				}
			}
			ok = s.pushRevoked(ctx, hs) == nil
		}
	}
	if !ok {
		s.mu.Lock()
		if len(s.users) < maxPending {
			s.users[user] = true
		}
		for _, x := range hs {
			if len(s.revoked) < maxPending {
				s.revoked[x] = true
			}
		}
		s.mu.Unlock()
	}
	return others
}

func (s *sharedSessions) pushRevoked(ctx context.Context, hs []string) error {
	w := s.w
	if len(hs) == 0 {
		return nil
	}
	if !w.fleet.Up() {
		return fleet.ErrDown
	}
	args := []any{w.cfg.Sessions.TTL.Milliseconds()}
	for _, x := range hs {
		args = append(args, x)
	}
	_, err := w.fleet.Run(ctx, fleet.Call{Script: revokedAddScript, Keys: []string{w.revokedKey()}, Args: args})
	return err
}

// poll reads, every revokedPoll, the hashes revoked since its last look
// and refuses them here.
func (s *sharedSessions) poll() {
	defer s.wg.Done()
	t := time.NewTicker(revokedPoll)
	defer t.Stop()
	for {
		s.pollOnce()
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollBatch bounds the hashes one poll reads.
const pollBatch = 4096

func (s *sharedSessions) pollOnce() {
	w := s.w
	for w.fleet.Up() {
		s.mu.Lock()
		since := s.since
		s.mu.Unlock()
		cmds, err := w.fleet.Run(s.ctx, fleet.Call{Script: revokedSinceScript, Keys: []string{w.revokedKey()}, Args: []any{since, pollBatch}})
		if err != nil {
			return
		}
		r, err := cmds[0].Slice()
		if err != nil || len(r) == 0 {
			return
		}
		now, _ := r[0].(int64)
		var hs []sessionHash
		last := since
		for i := 1; i+1 < len(r); i += 2 {
			x, _ := r[i].(string)
			if h, ok := parseHash(x); ok {
				hs = append(hs, h)
			}
			if sc, ok := r[i+1].(string); ok {
				if v, err := strconv.ParseFloat(sc, 64); err == nil {
					last = max(last, int64(v))
				}
			}
		}
		if len(hs) > 0 {
			if err := w.sessions.revokeHashes(s.ctx, hs, w.clock()); err != nil {
				w.logError(s.ctx, "recording sessions revoked by another gateway", err)
			}
		}
		s.mu.Lock()
		if (len(r)-1)/2 < pollBatch {
			// A script reads the clock when it runs, and scripts run one at
			// a time: nothing added later scores below now. The margin
			// covers a server clock stepped back a little.
			s.since = max(s.since, now-time.Second.Milliseconds())
		} else {
			s.since = max(s.since, last)
		}
		full := (len(r)-1)/2 >= pollBatch && last > since
		s.mu.Unlock()
		if !full {
			return
		}
	}
}

// resume pushes what this gateway did alone while Redis was away: the
// sessions it saw issued, the users whose sessions it revoked (with what
// the fleet knew of them) and the sessions it revoked. It is
// [fleet.Shared.OnResume]'s.
func (s *sharedSessions) resume(ctx context.Context) error {
	w := s.w
	s.mu.Lock()
	adds, users, revoked := s.adds, s.users, s.revoked
	s.adds, s.users, s.revoked = map[string]map[string]bool{}, map[string]bool{}, map[string]bool{}
	s.mu.Unlock()
	keep := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for u, hs := range adds {
			if s.adds[u] == nil {
				s.adds[u] = hs
			}
		}
		for u := range users {
			s.users[u] = true
		}
		for x := range revoked {
			s.revoked[x] = true
		}
	}
	var calls []fleet.Call
	for u, hs := range adds {
		args := []any{w.cfg.Sessions.TTL.Milliseconds(), maxUserSessions}
		for x := range hs {
			args = append(args, x)
		}
		calls = append(calls, fleet.Call{Script: sessionAddScript, Keys: []string{w.sessionsKey(u)}, Args: args})
	}
	if len(calls) > 0 {
		if _, err := w.fleet.RunNow(ctx, calls...); err != nil {
			keep()
			return err
		}
	}
	// The users revoked alone: what other gateways saw issued to them
	// (before or during the outage) is revoked now.
	for u := range users {
		cmds, err := w.fleet.RunNow(ctx, fleet.Call{Script: sessionTakeScript, Keys: []string{w.sessionsKey(u)}})
		if err != nil {
			keep()
			return err
		}
		m, _ := cmds[0].StringSlice()
		for _, x := range m {
			revoked[x] = true
		}
	}
	if len(revoked) > 0 {
		args := []any{w.cfg.Sessions.TTL.Milliseconds()}
		for x := range revoked {
			args = append(args, x)
		}
		if _, err := w.fleet.RunNow(ctx, fleet.Call{Script: revokedAddScript, Keys: []string{w.revokedKey()}, Args: args}); err != nil {
			keep()
			return err
		}
	}
	return nil
}

func parseHash(x string) (sessionHash, bool) {
	var h sessionHash
	if len(x) != 2*len(h) {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(x)); err != nil {
		return h, false
	}
	return h, true
}

// revokeUserSessions refuses every session of user, the ones this gateway
// saw issued and, with a fleet, every one another gateway saw, and
// reports how many.
func (w *Watch) revokeUserSessions(ctx context.Context, user string, now time.Time) (int, error) {
	local, err := w.sessions.revokeUser(ctx, user, now)
	if err != nil || w.shared == nil {
		return len(local), err
	}
	others := w.shared.revokedUser(ctx, user, local)
	if len(others) > 0 {
		if err := w.sessions.revokeHashes(ctx, others, now); err != nil {
			w.logError(ctx, "recording sessions revoked on another gateway's word", err)
		}
	}
	return len(local) + len(others), nil
}
