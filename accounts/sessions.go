package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// A sessionHash is a keyed hash of a session cookie's value: the cookie
// itself is never kept.
type sessionHash [32]byte

func (w *Watch) hashSession(value string) sessionHash {
	m := hmac.New(sha256.New, w.key)
	m.Write([]byte("bulwark session\x00"))
	m.Write([]byte(value))
	var h sessionHash
	copy(h[:], m.Sum(nil))
	return h
}

// sessions maps session hashes to users, bounded in memory and kept in the
// store; revoked hashes are all kept in memory.
type sessions struct {
	db  *sql.DB
	max int

	mu      sync.Mutex
	users   map[sessionHash]string
	revoked map[sessionHash]struct{}
	// anyRevoked is set once revoked holds a hash: until then no request
	// needs its cookie hashed to be checked.
	anyRevoked atomic.Bool
}

func loadSessions(ctx context.Context, db *sql.DB, cfg Sessions, now time.Time) (*sessions, error) {
	s := &sessions{db: db, max: cfg.Max, users: map[sessionHash]string{}, revoked: map[sessionHash]struct{}{}}
	if _, err := db.ExecContext(ctx, `DELETE FROM accounts_sessions WHERE seen < ?`, now.Add(-cfg.TTL).Unix()); err != nil {
		return nil, fmt.Errorf("pruning sessions: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT hash, user, revoked FROM accounts_sessions ORDER BY seen DESC`)
	if err != nil {
		return nil, fmt.Errorf("loading sessions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		var user string
		var revoked int64
		if err := rows.Scan(&b, &user, &revoked); err != nil {
			return nil, fmt.Errorf("loading sessions: %w", err)
		}
		var h sessionHash
		copy(h[:], b)
		if revoked != 0 {
			s.revoked[h] = struct{}{}
			s.anyRevoked.Store(true)
		} else if len(s.users) < s.max {
			s.users[h] = user
		}
	}
	return s, rows.Err()
}

// add remembers that the session h belongs to user.
func (s *sessions) add(ctx context.Context, h sessionHash, user string, now time.Time) error {
	s.mu.Lock()
	if _, ok := s.users[h]; !ok && len(s.users) >= s.max {
		for k := range s.users { // forget one at random: the store still has it
			delete(s.users, k)
			break
		}
	}
	s.users[h] = user
	s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO accounts_sessions (hash, user, seen) VALUES (?, ?, ?)
		ON CONFLICT (hash) DO UPDATE SET user = excluded.user, seen = excluded.seen`, h[:], user, now.Unix())
	return err
}

// forget drops a session ended by logout.
func (s *sessions) forget(ctx context.Context, h sessionHash) error {
	s.mu.Lock()
	delete(s.users, h)
	s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `DELETE FROM accounts_sessions WHERE hash = ? AND revoked = 0`, h[:])
	return err
}

func (s *sessions) user(h sessionHash) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[h]
}

func (s *sessions) isRevoked(h sessionHash) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.revoked[h]
	return ok
}

// revoke refuses one session from now on.
func (s *sessions) revoke(ctx context.Context, h sessionHash, user string, now time.Time) error {
	s.mu.Lock()
	delete(s.users, h)
	s.revoked[h] = struct{}{}
	s.anyRevoked.Store(true)
	s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO accounts_sessions (hash, user, seen, revoked) VALUES (?, ?, ?, ?)
		ON CONFLICT (hash) DO UPDATE SET revoked = excluded.revoked`, h[:], user, now.Unix(), now.Unix())
	return err
}

// revokeUser refuses every session the gateway saw issued to user and
// returns their hashes.
func (s *sessions) revokeUser(ctx context.Context, user string, now time.Time) ([]sessionHash, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT hash FROM accounts_sessions WHERE user = ? AND revoked = 0`, user)
	if err != nil {
		return nil, err
	}
	var hs []sessionHash
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, err
		}
		var h sessionHash
		copy(h[:], b)
		hs = append(hs, h)
	}
	rows.Close()
	if _, err := tx.ExecContext(ctx, `UPDATE accounts_sessions SET revoked = ? WHERE user = ? AND revoked = 0`, now.Unix(), user); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hs {
		delete(s.users, h)
		s.revoked[h] = struct{}{}
	}
	for h, u := range s.users {
		if u == user {
			delete(s.users, h)
			s.revoked[h] = struct{}{}
		}
	}
	if len(s.revoked) > 0 {
		s.anyRevoked.Store(true)
	}
	return hs, nil
}

// revokeHashes refuses sessions revoked elsewhere (another gateway of the
// fleet) from now on, and records them in the store.
func (s *sessions) revokeHashes(ctx context.Context, hs []sessionHash, now time.Time) error {
	s.mu.Lock()
	var fresh []sessionHash
	for _, h := range hs {
		if _, ok := s.revoked[h]; ok {
			continue
		}
		delete(s.users, h)
		s.revoked[h] = struct{}{}
		fresh = append(fresh, h)
	}
	if len(fresh) > 0 {
		s.anyRevoked.Store(true)
	}
	s.mu.Unlock()
	if len(fresh) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, h := range fresh {
		if _, err := tx.ExecContext(ctx, `INSERT INTO accounts_sessions (hash, user, seen, revoked) VALUES (?, '', ?, ?)
			ON CONFLICT (hash) DO UPDATE SET revoked = excluded.revoked`, h[:], now.Unix(), now.Unix()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// sessionCookie returns the request's session cookie value, or "".
func (w *Watch) sessionCookie(r *http.Request) (name, value string) {
	name = w.cookieName()
	if name == "" {
		return "", ""
	}
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return name, ""
	}
	return name, c.Value
}

func (w *Watch) cookieName() string {
	if w.cookie != "" {
		return w.cookie
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.learned
}

// UserFor returns the user owning r's session cookie, as learned from the
// cookie set by a successful login through the gateway, or "" if unknown.
// Guard uses it to attribute findings to users.
func (w *Watch) UserFor(r *http.Request) string {
	_, v := w.sessionCookie(r)
	if v == "" {
		return ""
	}
	return w.sessions.user(w.hashSession(v))
}
