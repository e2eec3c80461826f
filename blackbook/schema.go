package blackbook

// Migrations are the black book's schema steps, in SQLite's dialect, which
// [Migrate] and [OpenDB] apply (recorded as component "blackbook" in the
// schema_versions table). Steps are only ever appended. Times are Unix
// milliseconds; 0 means none.
var Migrations = []string{
	// Every ban ever made. A ban is in force while lifted = 0 and expires is
	// 0 or in the future; at most one row per target has lifted = 0. seq is
	// the store-wide order of the last change to the row, so a process can
	// read what others changed since it last looked.
	`CREATE TABLE blackbook_bans (
		id        TEXT PRIMARY KEY,
		target    TEXT NOT NULL,
		reason    TEXT NOT NULL,
		source    TEXT NOT NULL,
		created   INTEGER NOT NULL,
		expires   INTEGER NOT NULL,
		repeat    INTEGER NOT NULL,
		lifted    INTEGER NOT NULL DEFAULT 0,
		lifted_by TEXT NOT NULL DEFAULT '',
		seq       INTEGER NOT NULL
	);
	CREATE UNIQUE INDEX blackbook_bans_current ON blackbook_bans(target) WHERE lifted = 0;
	CREATE INDEX blackbook_bans_target ON blackbook_bans(target, created);
	CREATE INDEX blackbook_bans_seq ON blackbook_bans(seq);
	CREATE INDEX blackbook_bans_created ON blackbook_bans(created);

	CREATE TABLE blackbook_offenders (
		ip         TEXT PRIMARY KEY,
		first_seen INTEGER NOT NULL,
		last_seen  INTEGER NOT NULL
	);
	CREATE INDEX blackbook_offenders_last ON blackbook_offenders(last_seen);
	CREATE TABLE blackbook_offender_counts (
		ip    TEXT NOT NULL REFERENCES blackbook_offenders(ip) ON DELETE CASCADE,
		class TEXT NOT NULL,
		n     INTEGER NOT NULL,
		PRIMARY KEY (ip, class)
	);
	CREATE TABLE blackbook_offender_users (
		ip        TEXT NOT NULL REFERENCES blackbook_offenders(ip) ON DELETE CASCADE,
		user      TEXT NOT NULL,
		last_seen INTEGER NOT NULL,
		PRIMARY KEY (ip, user)
	);
	CREATE TABLE blackbook_evidence (
		id      INTEGER PRIMARY KEY,
		ip      TEXT NOT NULL REFERENCES blackbook_offenders(ip) ON DELETE CASCADE,
		time    INTEGER NOT NULL,
		class   TEXT NOT NULL,
		rule_id TEXT NOT NULL,
		sample  TEXT NOT NULL
	);
	CREATE INDEX blackbook_evidence_ip ON blackbook_evidence(ip, time);

	-- Entries added at run time; the configured ones are not stored.
	CREATE TABLE blackbook_allowlist (
		prefix  TEXT PRIMARY KEY,
		reason  TEXT NOT NULL,
		created INTEGER NOT NULL
	);

	-- Ban changes not yet written to Redis: op is "ban" or "unban".
	CREATE TABLE blackbook_outbox (
		id      INTEGER PRIMARY KEY,
		op      TEXT NOT NULL,
		ban_id  TEXT NOT NULL,
		created INTEGER NOT NULL
	)`,
}
