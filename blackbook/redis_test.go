package blackbook

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// redisClient connects to srv with short timeouts and one retry.
func redisClient(t *testing.T, srv *testutil.Redis) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), DialTimeout: 300 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: time.Second,
		MaxRetries: 1, PoolSize: 4,
	})
	t.Cleanup(func() { c.Close() })
	return c
}

// redisBook opens a Book with its own store on the shared Redis, on the
// real clock.
func redisBook(t *testing.T, s *testutil.Redis, name string) *Book {
	t.Helper()
	k, _ := openBook(t, Config{PollInterval: 100 * time.Millisecond}, Options{
		Redis: redisClient(t, s), Clock: time.Now,
		DB: func() *sql.DB {
			db := openDB(t, filepath.Join(t.TempDir(), name+".db"))
			t.Cleanup(func() { db.Close() })
			return db
		}(),
	})
	return k
}

func TestRedisSharing(t *testing.T) {
	srv := testutil.StartRedis(t)
	ctx := context.Background()
	a := redisBook(t, srv, "a")
	b := redisBook(t, srv, "b")
	waitUp(t, a, b)

	start := time.Now()
	if _, err := a.Ban(ctx, BanRequest{Target: mustTarget(t, "203.0.113.9"), Duration: time.Hour, Reason: "sqli"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ban on A enforced on B", func() bool { _, ok := b.Banned(ip("203.0.113.9")); return ok })
	t.Logf("ban propagated from A to B in %s", time.Since(start))

	// B keeps it in its own store: it survives without Redis.
	if bans, err := b.List(ctx, Filter{Active: true}); err != nil || len(bans) != 1 {
		t.Errorf("B's store holds %d active bans, %v; want 1", len(bans), err)
	}

	start = time.Now()
	if _, err := b.Unban(ctx, mustTarget(t, "203.0.113.9"), "false positive"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "unban on B lifted on A", func() bool { _, ok := a.Banned(ip("203.0.113.9")); return !ok })
	t.Logf("unban propagated from B to A in %s", time.Since(start))

	// A short ban reaches B (before it expires: 3s is ample on a loopback
	// Redis) and expires on both.
	if _, err := a.Ban(ctx, BanRequest{Target: mustTarget(t, "198.51.100.0/24"), Duration: 3 * time.Second, Exact: true}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "CIDR ban on B", func() bool { _, ok := b.Banned(ip("198.51.100.7")); return ok })
	eventually(t, "expiry on both", func() bool {
		_, okA := a.Banned(ip("198.51.100.7"))
		_, okB := b.Banned(ip("198.51.100.7"))
		return !okA && !okB
	})
}

func TestRedisOutage(t *testing.T) {
	srv := testutil.StartRedis(t)
	ctx := context.Background()
	a := redisBook(t, srv, "a")
	b := redisBook(t, srv, "b")
	waitUp(t, a, b)
	if _, err := a.Ban(ctx, BanRequest{Target: mustTarget(t, "192.0.2.1"), Duration: time.Hour}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "first ban on B", func() bool { _, ok := b.Banned(ip("192.0.2.1")); return ok })

	srv.Stop()
	eventually(t, "A notices Redis is down", func() bool { return a.redisState.Load() == redisDown })
	var during []string
	for i := 0; i < 5; i++ {
		s := fmt.Sprintf("192.0.2.%d", 10+i)
		if _, err := a.Ban(ctx, BanRequest{Target: mustTarget(t, s), Duration: time.Hour}); err != nil {
			t.Fatalf("Ban during the outage: %v", err)
		}
		if _, ok := a.Banned(ip(s)); !ok {
			t.Fatalf("A does not enforce its own ban of %s during the outage", s)
		}
		during = append(during, s)
		time.Sleep(400 * time.Millisecond)
	}
	if _, ok := b.Banned(ip("192.0.2.1")); !ok {
		t.Error("B forgot the first ban during the outage")
	}

	srv.Start(t) // same port, empty: Redis kept nothing
	start := time.Now()
	eventually(t, "B gets every ban made during the outage", func() bool {
		for _, s := range during {
			if _, ok := b.Banned(ip(s)); !ok {
				return false
			}
		}
		return true
	})
	t.Logf("bans made during the outage reached B %s after Redis returned", time.Since(start))
	// And Redis is rebuilt from the gateways' stores, the first ban too.
	rdb := redisClient(t, srv)
	eventually(t, "Redis holds every ban again", func() bool {
		n, err := rdb.ZCard(ctx, "bulwark:{bans}:index").Result()
		return err == nil && n == 6
	})
	var n int
	a.db.QueryRow(`SELECT count(*) FROM blackbook_outbox`).Scan(&n)
	if n != 0 {
		t.Errorf("A's outbox holds %d rows after Redis returned", n)
	}
}

func waitUp(t *testing.T, ks ...*Book) {
	t.Helper()
	eventually(t, "Books connected to Redis", func() bool {
		for _, k := range ks {
			if k.redisState.Load() != redisUp {
				return false
			}
		}
		return true
	})
}

// TestRedisCloseWritesOutbox is the bulwark bans add case: a short-lived
// Book bans and closes at once; a gateway on another store gets the ban.
func TestRedisCloseWritesOutbox(t *testing.T) {
	srv := testutil.StartRedis(t)
	gw := redisBook(t, srv, "gateway")
	waitUp(t, gw)
	db := openDB(t, filepath.Join(t.TempDir(), "cli.db"))
	t.Cleanup(func() { db.Close() })
	cli, err := Open(context.Background(), Config{}, Options{DB: db, Redis: redisClient(t, srv), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Ban(context.Background(), BanRequest{Target: mustTarget(t, "user:mallory"), Source: "cli", Exact: true}); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	eventually(t, "the gateway gets the CLI's ban", func() bool { _, ok := gw.BannedUser("mallory"); return ok })
}
