// Package scenario turns streams of events into ban decisions with leaky
// buckets, the way CrowdSec scenarios do and with fail2ban's
// maxretry/findtime as the mental model.
//
// A [Scenario] selects events (attack findings, 404s, failed logins…),
// groups them by a key (the client IP, the user, or the pair), and pours
// each into that key's bucket. A bucket loses one unit every Leak; the
// event that finds more than Capacity-1 units left in it produces a
// [Decision] (ban this IP for BanDuration, or act on this user), handed to
// a [Banner] — the black book — or, in simulate mode, only published as an
// event. A burst of Capacity events triggers at once; a steady stream
// triggers once its rate is above one per Leak for long enough to fill the
// bucket. So "5 failures in 10 minutes" is Capacity 5 with Leak 2m.
//
// The built-in scenarios ([Builtins]) are on by default and tuned per
// threat; [Config] overrides their numbers, turns them off or into
// simulations, and adds custom ones. Buckets live in memory, in a map
// bounded by [Config.MaxBuckets]; drained buckets are dropped lazily, by
// computing their level when they are next touched or swept, without timers
// or goroutines. With [Options.Fleet] the buckets live in Redis, shared by
// every gateway using it, and expire there when drained.
//
// The package decides the base ban duration; escalation for repeat
// offenders and the allowlist belong to the black book.
package scenario
