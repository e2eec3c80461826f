// Package limit holds Bulwark's rate limits: per client address, per
// network, per route group and global, each a GCRA (generic cell rate
// algorithm) kept as one int64 per key, answered locally in well under a
// microsecond without allocating, and shared between gateways through Redis
// when one is configured.
//
// A request passes when every limit that applies to it allows it; a request
// refused by one limit is not charged to the others. A refused request gets
// 429 Too Many Requests with a Retry-After header from [Limiter.Middleware].
//
// Memory is bounded: each limit keeps at most [Config.MaxKeys] keys, spread
// over sharded maps. A key whose theoretical arrival time has passed is the
// same as an absent one, so such keys are swept; when a shard is full of live
// keys, those closest to being forgiven anyway go first. Eviction therefore
// only ever lets a client through early, never refuses one (see
// [Config.MaxKeys]).
//
// With Redis ([Options.Redis]), every check is one Lua script run atomically
// on the server, so several gateways enforce one budget. If Redis fails or is
// slow, the limiter falls back at once to its local state (which mirrors what
// Redis last said), logs the fault once, probes Redis in the background and
// shares again when it answers: no crash and no open door.
package limit
