package accounts

import (
	"bufio"
	"container/list"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// rangeClient asks Have I Been Pwned's Pwned Passwords range API about a
// SHA-1 with k-anonymity: only its first 5 hex characters are sent, with
// Add-Padding so the answer's size says nothing. Answers are cached.
type rangeClient struct {
	base    string
	client  *http.Client
	timeout time.Duration
	clock   func() time.Time
	ttl     time.Duration
	max     int

	mu    sync.Mutex
	lru   *list.List // of *rangeEntry, most recent first
	byKey map[string]*list.Element
}

type rangeEntry struct {
	prefix  string
	fetched time.Time
	counts  map[string]int // suffix (35 hex, upper case) → count, padding left out
}

func newRangeClient(cfg Breach, client *http.Client, clock func() time.Time) *rangeClient {
	return &rangeClient{base: strings.TrimSuffix(cfg.BaseURL, "/"), client: client, timeout: cfg.Timeout,
		clock: clock, ttl: cfg.CacheTTL, max: cfg.CacheSize, lru: list.New(), byKey: map[string]*list.Element{}}
}

// Count returns how often the password with SHA-1 sum was seen in breaches.
func (c *rangeClient) Count(ctx context.Context, sum [20]byte) (int, error) {
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	prefix, suffix := h[:5], h[5:]
	if counts, ok := c.cached(prefix); ok {
		return counts[suffix], nil
	}
	counts, err := c.fetch(ctx, prefix)
	if err != nil {
		return 0, err
	}
	c.store(prefix, counts)
	return counts[suffix], nil
}

func (c *rangeClient) cached(prefix string) (map[string]int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[prefix]
	if !ok {
		return nil, false
	}
	e := el.Value.(*rangeEntry)
	if c.clock().Sub(e.fetched) > c.ttl {
		c.lru.Remove(el)
		delete(c.byKey, prefix)
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.counts, true
}

func (c *rangeClient) store(prefix string, counts map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[prefix]; ok {
		c.lru.Remove(el)
	}
	c.byKey[prefix] = c.lru.PushFront(&rangeEntry{prefix: prefix, fetched: c.clock(), counts: counts})
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.byKey, last.Value.(*rangeEntry).prefix)
	}
}

func (c *rangeClient) fetch(ctx context.Context, prefix string) (map[string]int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/range/"+prefix, nil)
	if err != nil {
		return nil, fmt.Errorf("breached-password range request: %w", err)
	}
	req.Header.Set("Add-Padding", "true")
	req.Header.Set("User-Agent", "bulwark-accounts")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("breached-password range request: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("breached-password range request: %s answered %s", c.base, resp.Status)
	}
	return parseRange(io.LimitReader(resp.Body, 4<<20))
}

// parseRange reads a range answer: lines "SUFFIX:COUNT", where the
// padding lines Add-Padding asks for have a count of 0 and are left out.
func parseRange(r io.Reader) (map[string]int, error) {
	counts := map[string]int{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		suffix, n, ok := strings.Cut(line, ":")
		count, err := strconv.Atoi(n)
		if !ok || err != nil || len(suffix) != 35 || !isHex(suffix) || count < 0 {
			return nil, fmt.Errorf("breached-password range answer: bad line %q", event.Truncate(line, 64))
		}
		if count > 0 {
			counts[strings.ToUpper(suffix)] = count
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("breached-password range answer: %w", err)
	}
	return counts, nil
}

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
