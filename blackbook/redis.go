package blackbook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Ban changes travel through Redis as follows. Each ban in force is a hash
// at PREFIX:{bans}:t:TARGET (fields id, created, ban) expiring with the ban,
// listed in the sorted set PREFIX:{bans}:index scored by its expiry; lifted
// ban ids are kept for a week in PREFIX:{bans}:lifted, so a gateway that was
// away learns of unbans. Every change is published on PREFIX:bans. The
// {bans} hash tag keeps the keys in one Redis Cluster slot, so the scripts
// that change them are atomic.

// States of the link to Redis, logged when they change.
const (
	redisUnknown int32 = iota
	redisUp
	redisDown
)

// Outbox operations.
const (
	opBan   = "ban"
	opUnban = "unban"
)

// liftedKeep is how long Redis remembers a lifted ban's id.
const liftedKeep = 7 * 24 * time.Hour

// Redis loop timing: how long a receive waits before the connection is
// pinged, and the bounds of the wait before reconnecting.
const (
	redisPingEvery  = 2 * time.Second
	redisMinBackoff = 100 * time.Millisecond
	redisMaxBackoff = time.Second
	redisBatch      = 500
)

type redisKeys struct{ prefix, index, lifted, channel string }

func (k *Book) keys() redisKeys {
	p := k.cfg.RedisPrefix
	return redisKeys{prefix: p + ":{bans}:t:", index: p + ":{bans}:index", lifted: p + ":{bans}:lifted", channel: p + ":bans"}
}

func (r redisKeys) ban(t Target) string { return r.prefix + t.String() }

// A wireMsg is one change published on the channel.
type wireMsg struct {
	Op     string `json:"op"`
	From   string `json:"from"`
	Ban    *Ban   `json:"ban,omitempty"`    // for "ban"
	ID     string `json:"id,omitempty"`     // for "unban": the lifted ban
	Target string `json:"target,omitempty"` // for "unban"
	Lifted int64  `json:"lifted,omitempty"` // for "unban": Unix ms
	Why    string `json:"why,omitempty"`    // for "unban"
}

// pushBanScript writes a ban unless Redis holds it already, has seen it
// lifted, or holds a newer ban of the same target; then publishes it.
var pushBanScript = redis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 'id', 'created')
if cur[1] == ARGV[1] then return 0 end
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
if cur[2] and tonumber(cur[2]) > tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'created', ARGV[2], 'ban', ARGV[3])
if ARGV[4] ~= '0' then redis.call('PEXPIREAT', KEYS[1], ARGV[4]) end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
redis.call('PUBLISH', ARGV[7], ARGV[8])
return 1`)

// pushUnbanScript remembers a lifted ban, removes the target's ban if it is
// that one or older than the lift, and publishes the change.
var pushUnbanScript = redis.NewScript(`
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[6])
local cur = redis.call('HMGET', KEYS[1], 'id', 'created')
if cur[1] == ARGV[1] or (cur[2] and tonumber(cur[2]) <= tonumber(ARGV[2])) then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`)

func (k *Book) pushBan(ctx context.Context, b Ban) error {
	kk := k.keys()
	enc, err := json.Marshal(b)
	if err != nil {
		return err
	}
	msg, err := json.Marshal(wireMsg{Op: opBan, From: k.instance, Ban: &b})
	if err != nil {
		return err
	}
	score := "+inf"
	if !b.Permanent() {
		score = strconv.FormatInt(ms(b.Expires), 10)
	}
	return pushBanScript.Run(ctx, k.rdb, []string{kk.ban(b.Target), kk.index, kk.lifted},
		b.ID, ms(b.Created), enc, ms(b.Expires), score, b.Target.String(), kk.channel, msg).Err()
}

func (k *Book) pushUnban(ctx context.Context, b Ban) error {
	kk := k.keys()
	msg, err := json.Marshal(wireMsg{Op: opUnban, From: k.instance, ID: b.ID, Target: b.Target.String(),
		Lifted: ms(b.Lifted), Why: b.LiftedBy})
	if err != nil {
		return err
	}
	return pushUnbanScript.Run(ctx, k.rdb, []string{kk.ban(b.Target), kk.index, kk.lifted},
		b.ID, ms(b.Lifted), b.Target.String(), kk.channel, msg, ms(k.now().Add(-liftedKeep))).Err()
}

// kickRedis wakes the pusher to write the outbox now.
func (k *Book) kickRedis() {
	if k.rdb == nil {
		return
	}
	select {
	case k.kick <- struct{}{}:
	default:
	}
}

// redisFault notes that Redis failed, logging only the first failure.
func (k *Book) redisFault(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	if k.redisState.Swap(redisDown) != redisDown {
		k.log.LogAttrs(ctx, slog.LevelError, "black book: Redis unreachable; enforcing the bans known here and keeping new ones for when it returns",
			slog.String("error", err.Error()))
	}
}

// redisOK notes that Redis works, logging the recovery once.
func (k *Book) redisOK(ctx context.Context) {
	if k.redisState.Swap(redisUp) != redisUp {
		k.log.LogAttrs(ctx, slog.LevelInfo, "black book: Redis reachable; bans are shared")
	}
}

// runPusher writes the outbox to Redis when kicked, and every second in
// case a write failed or another process (bulwark bans) left rows there.
func (k *Book) runPusher(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.kick:
		case <-t.C:
		}
		if err := k.drainOutbox(ctx); err != nil {
			k.redisFault(ctx, err)
		}
	}
}

// drainOutbox pushes the outbox's rows in order, deleting each once written.
func (k *Book) drainOutbox(ctx context.Context) error {
	for {
		type row struct {
			id      int64
			op, ban string
		}
		var batch []row
		rows, err := k.db.QueryContext(ctx, `SELECT id, op, ban_id FROM blackbook_outbox ORDER BY id LIMIT ?`, redisBatch)
		if err != nil {
			return fmt.Errorf("reading the outbox: %w", err)
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.op, &r.ban); err != nil {
				rows.Close()
				return fmt.Errorf("reading the outbox: %w", err)
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading the outbox: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			b, ok, err := banByID(ctx, k.db, r.ban)
			if err != nil {
				return fmt.Errorf("reading the outbox: %w", err)
			}
			if ok {
				switch r.op {
				case opBan:
					if b.Active(k.now()) { // else an unban row follows, or it has expired
						err = k.pushBan(ctx, b)
					}
				case opUnban:
					err = k.pushUnban(ctx, b)
				}
				if err != nil {
					return err
				}
			}
			if _, err := k.db.ExecContext(ctx, `DELETE FROM blackbook_outbox WHERE id = ?`, r.id); err != nil {
				return fmt.Errorf("clearing the outbox: %w", err)
			}
		}
		if len(batch) < redisBatch {
			return nil
		}
	}
}

// runSubscriber follows the channel, applying other gateways' changes. On
// every (re)connection it first resynchronises with Redis.
func (k *Book) runSubscriber(ctx context.Context) {
	backoff := redisMinBackoff
	for ctx.Err() == nil {
		err := k.subscribe(ctx)
		k.redisFault(ctx, err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, redisMaxBackoff)
		if err == errWasConnected {
			backoff = redisMinBackoff
		}
	}
}

// errWasConnected marks a subscription that worked for a while before it
// failed, so the next attempt is made quickly.
var errWasConnected = errors.New("blackbook: Redis subscription lost")

func (k *Book) subscribe(ctx context.Context) error {
	kk := k.keys()
	sub := k.rdb.Subscribe(ctx, kk.channel)
	defer sub.Close()
	// A receive does not always watch ctx: closing the subscription ends it.
	stop := context.AfterFunc(ctx, func() { sub.Close() })
	defer stop()
	if _, err := sub.ReceiveTimeout(ctx, 5*time.Second); err != nil { // the confirmation
		return fmt.Errorf("subscribing to %s: %w", kk.channel, err)
	}
	if err := k.resync(ctx); err != nil {
		return fmt.Errorf("resynchronising bans with Redis: %w", err)
	}
	k.redisOK(ctx)
	for ctx.Err() == nil {
		m, err := sub.ReceiveTimeout(ctx, redisPingEvery)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			if err := sub.Ping(ctx); err != nil {
				return fmt.Errorf("%w: %w", errWasConnected, err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %w", errWasConnected, err)
		}
		if msg, ok := m.(*redis.Message); ok {
			k.applyMessage(ctx, msg.Payload)
		}
	}
	return ctx.Err()
}

// applyMessage applies one change published by a gateway.
func (k *Book) applyMessage(ctx context.Context, payload string) {
	var m wireMsg
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		k.log.LogAttrs(ctx, slog.LevelWarn, "black book: ignoring a bad message from Redis", slog.String("error", err.Error()))
		return
	}
	if m.From == k.instance {
		return
	}
	var err error
	switch {
	case m.Op == opBan && m.Ban != nil:
		err = k.applyRemoteBans(ctx, []Ban{*m.Ban})
	case m.Op == opUnban:
		var t Target
		if t, err = ParseTarget(m.Target); err == nil {
			err = k.applyRemoteUnban(ctx, m.ID, t, fromMS(m.Lifted), m.Why)
		}
	}
	if err != nil {
		k.log.LogAttrs(ctx, slog.LevelError, "black book: cannot apply a change from Redis",
			slog.String("op", m.Op), slog.String("error", err.Error()))
	}
}

// resync pushes the outbox, then makes this Book and Redis agree: bans
// Redis has are applied here, bans it has lifted are lifted here, and bans
// in force here that it lacks (say, after Redis lost its data) are written
// to it.
func (k *Book) resync(ctx context.Context) error {
	if err := k.drainOutbox(ctx); err != nil {
		return err
	}
	kk := k.keys()
	now := k.now()
	if err := k.rdb.ZRemRangeByScore(ctx, kk.index, "-inf", "("+strconv.FormatInt(ms(now), 10)).Err(); err != nil {
		return err
	}
	targets, err := k.rdb.ZRange(ctx, kk.index, 0, -1).Result()
	if err != nil {
		return err
	}
	liftedIDs, err := k.rdb.ZRange(ctx, kk.lifted, 0, -1).Result()
	if err != nil {
		return err
	}
	lifted := make(map[string]bool, len(liftedIDs))
	for _, id := range liftedIDs {
		lifted[id] = true
	}
	remote := make(map[Target]Ban, len(targets))
	for i := 0; i < len(targets); i += redisBatch {
		chunk := targets[i:min(i+redisBatch, len(targets))]
		cmds := make([]*redis.StringCmd, len(chunk))
		_, err := k.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for j, t := range chunk {
				cmds[j] = p.HGet(ctx, kk.prefix+t, "ban")
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		var bans []Ban
		for _, c := range cmds {
			var b Ban
			if s, err := c.Result(); err == nil && json.Unmarshal([]byte(s), &b) == nil && !b.Target.IsZero() {
				remote[b.Target] = b
				bans = append(bans, b)
			}
		}
		if err := k.applyRemoteBans(ctx, bans); err != nil {
			return err
		}
	}
	for _, b := range k.idx.all() {
		if !b.Active(now) {
			continue
		}
		r, ok := remote[b.Target]
		switch {
		case lifted[b.ID]:
			if err := k.applyRemoteUnban(ctx, b.ID, b.Target, now, "lifted on another gateway"); err != nil {
				return err
			}
		case !ok || (r.ID != b.ID && r.Created.Before(b.Created)):
			if err := k.pushBan(ctx, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyRemoteBans stores and enforces bans made elsewhere, in one
// transaction. A ban already known is skipped, and so is one older than the
// ban in force here for its target.
func (k *Book) applyRemoteBans(ctx context.Context, bans []Ban) error {
	if len(bans) == 0 {
		return nil
	}
	now := k.now()
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	var applied []Ban
	for _, b := range bans {
		if !b.Active(now) || b.ID == "" || b.Target.IsZero() {
			continue
		}
		if x, ok := k.idx.get(b.Target); ok && x.ID == b.ID {
			continue
		}
		if _, known, err := banByID(ctx, tx, b.ID); err != nil {
			return err
		} else if known {
			continue
		}
		cur, has, err := currentBan(ctx, tx, b.Target)
		if err != nil {
			return err
		}
		if has && cur.Active(now) && cur.Created.After(b.Created) {
			continue
		}
		if has {
			if err := liftBan(ctx, tx, cur.ID, now, liftReason(cur, now), seq); err != nil {
				return err
			}
			seq++
		}
		b.Lifted, b.LiftedBy = time.Time{}, ""
		b.Reason, b.Source = sanitize(b.Reason, maxReasonBytes), sanitize(b.Source, maxLabelBytes)
		if err := insertBan(ctx, tx, b, seq); err != nil {
			return err
		}
		seq++
		applied = append(applied, b)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, b := range applied {
		if b.Active(now) {
			k.idx.put(b)
			k.log.LogAttrs(ctx, slog.LevelInfo, "ban from another gateway", slog.String("target", b.Target.String()),
				slog.String("source", b.Source), slog.Time("expires", b.Expires))
		}
	}
	return nil
}

// applyRemoteUnban lifts the target's ban here if it is the ban id or was
// made before the lift at.
func (k *Book) applyRemoteUnban(ctx context.Context, id string, t Target, at time.Time, why string) error {
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	tx, err := k.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cur, has, err := currentBan(ctx, tx, t)
	if err != nil || !has || (cur.ID != id && cur.Created.After(at)) {
		return err
	}
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	why = sanitize(why, maxReasonBytes)
	if err := liftBan(ctx, tx, cur.ID, at, why, seq); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	k.idx.remove(t, cur.ID)
	k.log.LogAttrs(ctx, slog.LevelInfo, "unban from another gateway", slog.String("target", t.String()), slog.String("why", why))
	return nil
}
