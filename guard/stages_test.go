package guard

import (
	"log/slog"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/accounts"
	"github.com/bulwark-sec/bulwark/blackbook"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// An allowlisted address the account watch would ban is no error: the
// allowlist is doing its job.
func TestAccountBannerSkipsAllowlisted(t *testing.T) {
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "b.db"), sqlite.Migrations{"blackbook": blackbook.Migrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	book, err := blackbook.Open(ctx, blackbook.Config{Allowlist: []string{"127.0.0.0/8"}},
		blackbook.Options{DB: db.DB, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	ip := netip.MustParseAddr("127.0.0.1")
	err = accountBanner{book}.BanIP(ctx, accounts.Ban{IP: ip, For: time.Hour, Reason: "credential stuffing"})
	if err != nil {
		t.Errorf("BanIP(%s) = %v, want nil for an allowlisted address", ip, err)
	}
	if _, banned := book.Banned(ip); banned {
		t.Errorf("%s is banned, want allowlisted", ip)
	}
}
