package blackbook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestMiddleware(t *testing.T) {
	k, _ := openBook(t, Config{}, Options{})
	if _, err := k.Ban(context.Background(), BanRequest{Target: mustTarget(t, "203.0.113.9"), Reason: "sqli rule 942100"}); err != nil {
		t.Fatal(err)
	}
	reached := 0
	h := k.Middleware(MiddlewareOptions{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ }))

	for _, tt := range []struct {
		peer    string
		status  int
		reached int
	}{
		{"203.0.113.9:4000", http.StatusForbidden, 0},
		{"203.0.113.10:4000", http.StatusOK, 1},
	} {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		h.ServeHTTP(rec, r)
		if rec.Code != tt.status || reached != tt.reached {
			t.Errorf("from %s: status %d, handler reached %d times; want %d, %d", tt.peer, rec.Code, reached, tt.status, tt.reached)
		}
		if rec.Code == http.StatusForbidden && (strings.Contains(rec.Body.String(), "942100") || strings.Contains(rec.Body.String(), "sqli")) {
			t.Errorf("403 body tells the rule: %q", rec.Body)
		}
	}
}

func TestBannedAllocatesNothing(t *testing.T) {
	k, _ := openBook(t, Config{}, Options{})
	loadBans(t, k, 1000, 20)
	miss, hit := ip("192.0.2.200"), ip("10.0.3.7")
	if _, ok := k.Banned(hit); !ok {
		t.Fatal("the loaded bans do not hit")
	}
	for name, a := range map[string]netip.Addr{"miss": miss, "hit": hit} {
		if n := testing.AllocsPerRun(1000, func() { k.Banned(a) }); n != 0 {
			t.Errorf("Banned (%s) allocates %v times per call", name, n)
		}
	}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/", nil)
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	h := k.Middleware(MiddlewareOptions{ClientIP: func(*http.Request) netip.Addr { return miss }})(next)
	if n := testing.AllocsPerRun(1000, func() { h.ServeHTTP(rec, r) }); n != 0 {
		t.Errorf("the middleware's allow path allocates %v times per request", n)
	}
}

// loadBans puts n address bans (10.0.x.y) and m CIDR bans of several
// lengths straight into the index, as Open would from the store.
func loadBans(t testing.TB, k *Book, n, m int) {
	t.Helper()
	now := k.now()
	for i := 0; i < n; i++ {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		k.idx.put(Ban{ID: "ip" + a.String(), Target: IPTarget(a), Created: now, Expires: now.Add(time.Hour)})
	}
	lens := []int{16, 20, 24, 28}
	for i := 0; i < m; i++ {
		bits := lens[i%len(lens)]
		a := netip.AddrFrom4([4]byte{172, byte(16 + i), 0, 0})
		p := netip.PrefixFrom(a, bits).Masked()
		k.idx.put(Ban{ID: "net" + p.String(), Target: Target{prefix: p}, Created: now, Expires: now.Add(time.Hour)})
	}
	for i := 0; i < m/4; i++ {
		p := netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i)}), 48+16*(i%2))
		k.idx.put(Ban{ID: "net6" + p.String(), Target: Target{prefix: p.Masked()}, Created: now})
	}
}

// TestMiddlewareOptions: the ban is judged on the address ClientIP gives
// (not the peer), and Deny answers it.
func TestMiddlewareOptions(t *testing.T) {
	k, _ := openBook(t, Config{}, Options{})
	if _, err := k.Ban(context.Background(), BanRequest{Target: mustTarget(t, "203.0.113.9"), Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	var denied []string
	h := k.Middleware(MiddlewareOptions{
		ClientIP: func(r *http.Request) netip.Addr { return netip.MustParseAddr(r.Header.Get("X-Client")) },
		Deny: func(w http.ResponseWriter, r *http.Request, b Ban) {
			denied = append(denied, b.Target.String())
			w.WriteHeader(http.StatusTeapot)
		},
	})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, tt := range []struct {
		peer, client string
		status       int
	}{
		{"203.0.113.9:4000", "192.0.2.1", http.StatusOK},
		{"192.0.2.1:4000", "203.0.113.9", http.StatusTeapot},
	} {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		r.Header.Set("X-Client", tt.client)
		h.ServeHTTP(rec, r)
		if rec.Code != tt.status {
			t.Errorf("peer %s, client %s: status %d, want %d", tt.peer, tt.client, rec.Code, tt.status)
		}
	}
	if len(denied) != 1 || denied[0] != "203.0.113.9" {
		t.Errorf("Deny called for %q, want once for 203.0.113.9", denied)
	}
}
