package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"sync"
	"time"
)

// pairBlocks holds the user+IP pairs blocked after too many consecutive
// failures, in memory and in the store.
type pairBlocks struct {
	db  *sql.DB
	max int

	mu    sync.Mutex
	until map[pairKey]time.Time
}

func loadPairs(ctx context.Context, db *sql.DB, max int, now time.Time) (*pairBlocks, error) {
	p := &pairBlocks{db: db, max: max, until: map[pairKey]time.Time{}}
	if _, err := db.ExecContext(ctx, `DELETE FROM accounts_pairs WHERE until <= ?`, now.Unix()); err != nil {
		return nil, fmt.Errorf("pruning blocked pairs: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT user, ip, until FROM accounts_pairs`)
	if err != nil {
		return nil, fmt.Errorf("loading blocked pairs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var user, ip string
		var until int64
		if err := rows.Scan(&user, &ip, &until); err != nil {
			return nil, fmt.Errorf("loading blocked pairs: %w", err)
		}
		a, _ := netip.ParseAddr(ip)
		p.until[pairKey{user, a}] = time.Unix(until, 0)
	}
	return p, rows.Err()
}

// blocked reports until when the pair is blocked, if it is.
func (p *pairBlocks) blocked(user string, ip netip.Addr, now time.Time) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := pairKey{user, ip}
	t, ok := p.until[k]
	if ok && !now.Before(t) {
		delete(p.until, k)
		return time.Time{}, false
	}
	return t, ok
}

func (p *pairBlocks) block(ctx context.Context, user string, ip netip.Addr, until time.Time) error {
	p.mu.Lock()
	k := pairKey{user, ip}
	if _, ok := p.until[k]; !ok {
		evict(p.until, p.max)
	}
	p.until[k] = until
	p.mu.Unlock()
	_, err := p.db.ExecContext(ctx, `INSERT INTO accounts_pairs (user, ip, until) VALUES (?, ?, ?)
		ON CONFLICT (user, ip) DO UPDATE SET until = excluded.until`, user, ip.String(), until.Unix())
	return err
}
