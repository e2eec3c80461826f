// Package blackbook keeps offenders and bans, and answers "is this client
// banned?" in O(1).
//
// A [Book] holds the black book: bans of IP addresses, CIDR prefixes and
// users (with escalation for repeat offenders and an allowlist that is never
// banned), offenders with their counts and a few redacted evidence samples,
// and the history of every ban. SQLite is the durable store: a ban is written
// there before it is acknowledged, so bans survive a restart. An in-memory
// index answers [Book.Banned] without allocating; [Book.Middleware] refuses a
// banned client with 403 before any other work is done. [OpenDB] opens a
// store file; a Go app may instead pass its own SQLite database after
// [Migrate].
//
// Several processes may share one SQLite file (a gateway and the bulwark bans
// command): each notices the others' changes within about a second. Several
// gateways share bans through Redis when [Options.Redis] is set: a ban made on
// one is enforced by the others within a second, and bans made while Redis is
// away are kept in an outbox and written when it returns.
package blackbook
