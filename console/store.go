package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Migrations are the console's store steps: the password hash and the
// sessions, each kept only as a hash, then the history of
// [SQLiteHistory].
var Migrations = append(loginMigrations, historyMigrations...)

var loginMigrations = []string{
	`CREATE TABLE console_password (
		id       INTEGER PRIMARY KEY CHECK (id = 1),
		hash     TEXT NOT NULL,    -- bcrypt
		one_time INTEGER NOT NULL, -- 1: generated at start, replaced by the next start
		set_at   INTEGER NOT NULL  -- unix seconds
	)`,
	`CREATE TABLE console_sessions (
		hash    TEXT PRIMARY KEY,  -- hex SHA-256 of the session id
		created INTEGER NOT NULL,
		expires INTEGER NOT NULL
	)`,
}

// MinPassword is the shortest password SetPassword accepts.
const MinPassword = 12

// bcrypt rejects passwords longer than 72 bytes.
const maxPassword = 72

// SetPassword stores the hash of password as the console's login
// password, replacing any other, including a generated one.
func SetPassword(ctx context.Context, db *sql.DB, password string, now time.Time) error {
	switch {
	case len(password) < MinPassword:
		return fmt.Errorf("console password: at least %d characters, got %d; a passphrase of four words is easy to type", MinPassword, len(password))
	case len(password) > maxPassword:
		return fmt.Errorf("console password: at most %d bytes, got %d", maxPassword, len(password))
	}
	return storePassword(ctx, db, password, false, now)
}

func storePassword(ctx context.Context, db *sql.DB, password string, oneTime bool, now time.Time) error {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return fmt.Errorf("hashing console password: %w", err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO console_password(id, hash, one_time, set_at) VALUES (1, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, one_time = excluded.one_time, set_at = excluded.set_at`,
		string(h), oneTime, now.Unix())
	if err != nil {
		return fmt.Errorf("storing console password: %w", err)
	}
	return nil
}

// startPassword makes a fresh generated password when none was set with
// bulwark console passwd, stores its hash, and returns it; "" when a
// password was set.
func startPassword(ctx context.Context, db *sql.DB, now time.Time) (string, error) {
	var oneTime bool
	err := db.QueryRowContext(ctx, `SELECT one_time FROM console_password WHERE id = 1`).Scan(&oneTime)
	switch {
	case err == nil && !oneTime:
		return "", nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("reading console password: %w", err)
	}
	var b [15]byte
	rand.Read(b[:])
	pw := base64.RawURLEncoding.EncodeToString(b[:])
	if err := storePassword(ctx, db, pw, true, now); err != nil {
		return "", err
	}
	return pw, nil
}

// checkPassword reports whether password is the stored one. It takes
// bcrypt's time whether or not a password is stored.
func checkPassword(ctx context.Context, db *sql.DB, password string) (bool, error) {
	var h string
	err := db.QueryRowContext(ctx, `SELECT hash FROM console_password WHERE id = 1`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading console password: %w", err)
	}
	return bcrypt.CompareHashAndPassword([]byte(h), []byte(password)) == nil, nil
}

// bcryptCost is bcrypt's work factor; tests lower it.
var bcryptCost = bcrypt.DefaultCost

// dummyHash keeps a login without a stored password as slow as one with.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no password is set"), bcryptCost)
	return h
})

// sessionHash is how a session id is kept: the id itself never is.
func sessionHash(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// csrfToken derives a session's CSRF token from its id: one-way, so the
// token, which the page carries, reveals nothing of the cookie.
func csrfToken(id string) string {
	h := sha256.Sum256([]byte("bulwark console csrf\x00" + id))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func newSessionID() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func createSession(ctx context.Context, db *sql.DB, now time.Time, ttl time.Duration) (string, error) {
	id := newSessionID()
	if _, err := db.ExecContext(ctx, `DELETE FROM console_sessions WHERE expires <= ?`, now.Unix()); err != nil {
		return "", fmt.Errorf("pruning console sessions: %w", err)
	}
	_, err := db.ExecContext(ctx, `INSERT INTO console_sessions(hash, created, expires) VALUES (?, ?, ?)`,
		sessionHash(id), now.Unix(), now.Add(ttl).Unix())
	if err != nil {
		return "", fmt.Errorf("storing console session: %w", err)
	}
	return id, nil
}

// validSession reports whether id names a session that has not expired.
func validSession(ctx context.Context, db *sql.DB, id string, now time.Time) (bool, error) {
	if id == "" || len(id) > 100 {
		return false, nil
	}
	var expires int64
	err := db.QueryRowContext(ctx, `SELECT expires FROM console_sessions WHERE hash = ?`, sessionHash(id)).Scan(&expires)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading console session: %w", err)
	}
	return now.Unix() < expires, nil
}

func deleteSession(ctx context.Context, db *sql.DB, id string) error {
	_, err := db.ExecContext(ctx, `DELETE FROM console_sessions WHERE hash = ?`, sessionHash(id))
	return err
}

// DeleteSessions logs everyone out, as after a password change.
func DeleteSessions(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM console_sessions`); err != nil {
		return fmt.Errorf("deleting console sessions: %w", err)
	}
	return nil
}
