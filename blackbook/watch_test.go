package blackbook

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestChangesByAnotherProcess runs two Books on one store file, as a gateway
// and bulwark bans do: each notices the other's bans and unbans.
func TestChangesByAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	dbA, dbB := openDB(t, path), openDB(t, path)
	t.Cleanup(func() { dbA.Close(); dbB.Close() })
	gateway, _ := openBook(t, Config{}, Options{DB: dbA, Clock: time.Now})
	cli, _ := openBook(t, Config{}, Options{DB: dbB, Clock: time.Now})

	start := time.Now()
	if _, err := cli.Ban(ctx, BanRequest{Target: mustTarget(t, "203.0.113.9"), Duration: time.Hour, Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the gateway notices the CLI's ban", func() bool { _, ok := gateway.Banned(ip("203.0.113.9")); return ok })
	t.Logf("noticed in %s", time.Since(start))
	if _, err := cli.Unban(ctx, mustTarget(t, "203.0.113.9"), "cli"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the gateway notices the unban", func() bool { _, ok := gateway.Banned(ip("203.0.113.9")); return !ok })
	if _, err := cli.Allow(ctx, "192.0.2.0/24", "office"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the gateway notices the allowlist", func() bool {
		return gateway.idx.allowed(mustTarget(t, "192.0.2.5"))
	})
}
