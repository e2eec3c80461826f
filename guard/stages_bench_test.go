package guard

import (
	"context"
	"log/slog"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/limit"
)

// BenchmarkBanAndLimit is issue 4's goal: the ban check and the rate-limit
// check of one allowed request together, warm, with 10,000 bans in force.
func BenchmarkBanAndLimit(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlite.Migrations{"blackbook": blackbook.Migrations})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	book, err := blackbook.Open(ctx, blackbook.Config{}, blackbook.Options{DB: db.DB, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer book.Close()
	for i := range 10_000 {
		ip := netip.AddrFrom4([4]byte{198, 51, byte(i >> 8), byte(i)})
		if _, err := book.Ban(ctx, blackbook.BanRequest{Target: blackbook.IPTarget(ip), Duration: time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
	lim, err := limit.New(limit.Config{}, limit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer lim.Close()
	client := netip.MustParseAddr("203.0.113.7")
	b.ReportAllocs()
	for b.Loop() {
		if _, banned := book.Banned(client); banned {
			b.Fatal("banned")
		}
		// A client at its rate: the limit's clock is the real one, so
		// most requests of a tight loop are over 50/s; the cost is the
		// same either way.
		lim.Allow(client, "GET", "/api/products")
	}
}
