package blackbook

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestBanAndBanned(t *testing.T) {
	ctx := context.Background()
	var ev events
	k, clk := openBook(t, Config{}, Options{Publish: ev.publish})
	for _, s := range []string{"203.0.113.9", "198.51.100.0/24", "2001:db8:1::/48", "user:mallory"} {
		if _, err := k.Ban(ctx, BanRequest{Target: mustTarget(t, s), Duration: time.Hour, Reason: "test", Source: "sqli"}); err != nil {
			t.Fatalf("Ban(%s): %v", s, err)
		}
	}
	tests := []struct {
		ip     string
		banned bool
	}{
		{"203.0.113.9", true},
		{"::ffff:203.0.113.9", true},
		{"203.0.113.10", false},
		{"198.51.100.200", true},
		{"198.51.101.1", false},
		{"2001:db8:1:ffff::1", true},
		{"2001:db8:2::1", false},
		{"::", false},
	}
	for _, tt := range tests {
		if _, got := k.Banned(ip(tt.ip)); got != tt.banned {
			t.Errorf("Banned(%s) = %v, want %v", tt.ip, got, tt.banned)
		}
	}
	if _, ok := k.BannedUser("mallory"); !ok {
		t.Error("BannedUser(mallory) = false")
	}
	if _, ok := k.BannedUser("alice"); ok {
		t.Error("BannedUser(alice) = true")
	}
	if n := len(ev.all()); n != 4 {
		t.Errorf("%d events, want 4", n)
	} else if e := ev.all()[0]; e.Action != "ban" || e.Kind != "alert" || e.SourceIP != ip("203.0.113.9") {
		t.Errorf("ban event = %+v", e)
	}

	clk.Add(time.Hour)
	if b, ok := k.Banned(ip("203.0.113.9")); ok {
		t.Errorf("Banned after expiry = %+v", b)
	}
	if _, ok := k.BannedUser("mallory"); ok {
		t.Error("BannedUser after expiry = true")
	}
}

func TestEscalationAndKeep(t *testing.T) {
	ctx := context.Background()
	k, clk := openBook(t, Config{Escalation: Escalation{PermanentAfter: 4}}, Options{})
	tg := mustTarget(t, "203.0.113.9")
	wantLen := []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour}
	for i, want := range wantLen {
		b, err := k.Ban(ctx, BanRequest{Target: tg, Duration: time.Hour, Source: "sqli"})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Expires.Sub(b.Created); got != want || b.Repeat != i {
			t.Errorf("ban %d: length %s, repeat %d; want %s, %d", i+1, got, b.Repeat, want, i)
		}
		clk.Add(want + time.Second)
	}
	b, err := k.Ban(ctx, BanRequest{Target: tg, Duration: time.Hour})
	if err != nil || !b.Permanent() {
		t.Errorf("4th ban in the window = %+v, %v; want permanent", b, err)
	}
	clk.Add(365 * 24 * time.Hour)
	if _, ok := k.Banned(ip("203.0.113.9")); !ok {
		t.Error("permanent ban expired")
	}
}

func TestBanKeepsLongerBan(t *testing.T) {
	ctx := context.Background()
	k, _ := openBook(t, Config{Escalation: Escalation{Factor: 1}}, Options{})
	tg := mustTarget(t, "203.0.113.9")
	long, _ := k.Ban(ctx, BanRequest{Target: tg, Duration: 24 * time.Hour})
	short, err := k.Ban(ctx, BanRequest{Target: tg, Duration: time.Hour})
	if err != nil || short.ID != long.ID {
		t.Errorf("shorter ban replaced a longer one: %+v, %v", short, err)
	}
	exact, err := k.Ban(ctx, BanRequest{Target: tg, Duration: time.Minute, Exact: true, Source: "admin"})
	if err != nil || exact.ID == long.ID || exact.Expires.Sub(exact.Created) != time.Minute {
		t.Errorf("an Exact ban did not replace: %+v, %v", exact, err)
	}
	hist, err := k.List(ctx, Filter{Target: tg})
	if err != nil || len(hist) != 2 || hist[1].LiftedBy != "replaced" {
		t.Errorf("history = %+v, %v", hist, err)
	}
}

func TestAllowlist(t *testing.T) {
	ctx := context.Background()
	k, _ := openBook(t, Config{Allowlist: []string{"10.0.0.0/8"}}, Options{})
	_, err := k.Ban(ctx, BanRequest{Target: mustTarget(t, "10.1.2.3")})
	if !errors.Is(err, ErrAllowlisted) {
		t.Errorf("Ban(10.1.2.3) = %v, want ErrAllowlisted", err)
	}
	// A wide ban is allowed but never hits an allowlisted address.
	if _, err := k.Ban(ctx, BanRequest{Target: mustTarget(t, "10.0.0.0/8")}); !errors.Is(err, ErrAllowlisted) {
		t.Errorf("Ban(10.0.0.0/8) = %v, want ErrAllowlisted", err)
	}
	if _, err := k.Ban(ctx, BanRequest{Target: mustTarget(t, "8.0.0.0/9")}); err != nil {
		t.Fatal(err)
	}
	if _, ok := k.Banned(ip("8.1.1.1")); !ok {
		t.Error("8.1.1.1 not banned by 8.0.0.0/9")
	}
	if _, err := k.Ban(ctx, BanRequest{Target: mustTarget(t, "192.0.2.7")}); err != nil {
		t.Fatal(err)
	}
	lifted, err := k.Allow(ctx, "192.0.2.0/24", "office")
	if err != nil || len(lifted) != 1 || lifted[0].Target.String() != "192.0.2.7" {
		t.Fatalf("Allow = %+v, %v; want the ban of 192.0.2.7 lifted", lifted, err)
	}
	if _, ok := k.Banned(ip("192.0.2.7")); ok {
		t.Error("192.0.2.7 still banned after its range was allowlisted")
	}
	if _, err := k.Allow(ctx, "8.8.8.8", "dns"); err != nil {
		t.Fatal(err)
	}
	if _, ok := k.Banned(ip("8.8.8.8")); ok {
		t.Error("8.8.8.8 banned by 8.0.0.0/9 though allowlisted")
	}
	es, _ := k.Allowlist(ctx)
	if len(es) != 3 || !es[0].Configured {
		t.Errorf("Allowlist = %+v", es)
	}
	if err := k.Disallow(ctx, "10.0.0.0/8"); !errors.Is(err, ErrConfigured) {
		t.Errorf("Disallow(configured) = %v", err)
	}
	if err := k.Disallow(ctx, "8.8.8.8"); err != nil {
		t.Fatal(err)
	}
	if _, ok := k.Banned(ip("8.8.8.8")); !ok {
		t.Error("8.8.8.8 not banned after leaving the allowlist")
	}
	if err := k.Disallow(ctx, "8.8.4.4"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Disallow(unknown) = %v", err)
	}
}

func TestUnban(t *testing.T) {
	ctx := context.Background()
	var ev events
	k, _ := openBook(t, Config{}, Options{Publish: ev.publish})
	tg := mustTarget(t, "2001:db8::/64")
	if _, err := k.Ban(ctx, BanRequest{Target: tg, Permanent: true}); err != nil {
		t.Fatal(err)
	}
	b, err := k.Unban(ctx, tg, "false positive")
	if err != nil || b.LiftedBy != "false positive" {
		t.Fatalf("Unban = %+v, %v", b, err)
	}
	if _, ok := k.Banned(ip("2001:db8::5")); ok {
		t.Error("still banned after Unban")
	}
	if _, err := k.Unban(ctx, tg, ""); !errors.Is(err, ErrNotBanned) {
		t.Errorf("second Unban = %v, want ErrNotBanned", err)
	}
	d, err := k.Show(ctx, tg)
	if err != nil || d.Current != nil || len(d.History) != 1 {
		t.Errorf("Show = %+v, %v", d, err)
	}
	if es := ev.all(); len(es) != 2 || es[1].Action != "unban" {
		t.Errorf("events = %+v", es)
	}
}

// TestBansSurviveRestart reopens the store: bans in force come back,
// expired and lifted ones do not.
func TestBansSurviveRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	clk := newFakeClock()
	open := func() *Book {
		db := openDB(t, path)
		k, err := Open(ctx, Config{}, Options{DB: db, Clock: clk.Now, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { k.Close(); db.Close() })
		return k
	}
	k := open()
	for _, r := range []BanRequest{
		{Target: mustTarget(t, "203.0.113.1"), Duration: 24 * time.Hour},
		{Target: mustTarget(t, "203.0.113.2"), Duration: time.Minute},
		{Target: mustTarget(t, "203.0.113.3"), Permanent: true},
		{Target: mustTarget(t, "198.51.100.0/24"), Duration: 24 * time.Hour},
		{Target: mustTarget(t, "user:eve"), Duration: 24 * time.Hour},
	} {
		if _, err := k.Ban(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := k.Unban(ctx, mustTarget(t, "203.0.113.3"), "sorry"); err != nil {
		t.Fatal(err)
	}
	k.Close()
	k.db.Close()
	clk.Add(time.Hour)
	k = open()
	for ipS, want := range map[string]bool{"203.0.113.1": true, "203.0.113.2": false, "203.0.113.3": false, "198.51.100.9": true} {
		if _, got := k.Banned(ip(ipS)); got != want {
			t.Errorf("after restart Banned(%s) = %v, want %v", ipS, got, want)
		}
	}
	if _, ok := k.BannedUser("eve"); !ok {
		t.Error("after restart user:eve not banned")
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(context.Background(), Config{}, Options{}); err == nil {
		t.Error("Open without a store succeeded")
	}
	_, err := Open(context.Background(), Config{Allowlist: []string{"x"}}, Options{})
	if err == nil {
		t.Error("Open with a bad config succeeded")
	}
}

func TestClosedBook(t *testing.T) {
	k, _ := openBook(t, Config{}, Options{})
	k.Close()
	if _, err := k.Ban(context.Background(), BanRequest{Target: mustTarget(t, "192.0.2.1")}); !errors.Is(err, ErrClosed) {
		t.Errorf("Ban after Close = %v", err)
	}
}
