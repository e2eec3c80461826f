package accounts

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
)

// Migrations creates the accounts tables, in SQLite's dialect; [Migrate]
// and [OpenDB] apply them (recorded as component "accounts" in the
// schema_versions table). Steps are only ever appended. No table holds a
// password, a cookie or a token: sessions are keyed hashes, links are
// known by their random nonce only once used.
var Migrations = []string{
	`CREATE TABLE accounts_key (id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL);
	CREATE TABLE accounts_users (user TEXT PRIMARY KEY, email TEXT NOT NULL, updated INTEGER NOT NULL);
	CREATE TABLE accounts_seen (user TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
		first INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (user, kind, value));
	CREATE TABLE accounts_sessions (hash BLOB PRIMARY KEY, user TEXT NOT NULL, seen INTEGER NOT NULL,
		revoked INTEGER NOT NULL DEFAULT 0);
	CREATE INDEX accounts_sessions_user ON accounts_sessions (user);
	CREATE TABLE accounts_pairs (user TEXT NOT NULL, ip TEXT NOT NULL, until INTEGER NOT NULL, PRIMARY KEY (user, ip));
	CREATE TABLE accounts_links (nonce BLOB PRIMARY KEY, used INTEGER NOT NULL);`,
}

// storeKey returns the key kept in the store, making one on first use.
func storeKey(ctx context.Context, db *sql.DB) ([]byte, error) {
	var key []byte
	err := db.QueryRowContext(ctx, `SELECT key FROM accounts_key WHERE id = 1`).Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("reading the accounts key: %w", err)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if _, err := db.ExecContext(ctx, `INSERT INTO accounts_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, key); err != nil {
		return nil, fmt.Errorf("storing the accounts key: %w", err)
	}
	// Another instance may have won the race: read back what is stored.
	if err := db.QueryRowContext(ctx, `SELECT key FROM accounts_key WHERE id = 1`).Scan(&key); err != nil {
		return nil, fmt.Errorf("reading the accounts key: %w", err)
	}
	return key, nil
}

// emailOf returns the latest known address of user, or "".
func (w *Watch) emailOf(ctx context.Context, user string) string {
	var email string
	err := w.db.QueryRowContext(ctx, `SELECT email FROM accounts_users WHERE user = ?`, user).Scan(&email)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		w.logError(ctx, "reading a user's email", err)
	}
	if email == "" && looksLikeEmail(user) {
		return user
	}
	return email
}

// learnEmail stores user's latest address.
func (w *Watch) learnEmail(ctx context.Context, user, email string) {
	if user == "" || !looksLikeEmail(email) {
		return
	}
	_, err := w.db.ExecContext(ctx, `INSERT INTO accounts_users (user, email, updated) VALUES (?, ?, ?)
		ON CONFLICT (user) DO UPDATE SET email = excluded.email, updated = excluded.updated`, user, email, w.clock().Unix())
	if err != nil {
		w.logError(ctx, "storing a user's email", err)
	}
}

func looksLikeEmail(s string) bool {
	at := 0
	for i, c := range s {
		switch {
		case c == '@':
			if at != 0 {
				return false
			}
			at = i
		case c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';':
			return false
		}
	}
	return at > 0 && at < len(s)-3 && len(s) <= 254
}
