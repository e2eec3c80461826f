package limit

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

func mustRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// drain sends requests from ip until one is refused and returns how many
// passed (at most max).
func drain(l *Limiter, ip netip.Addr, method, path string, max int) (int, Decision) {
	for i := range max {
		if d := l.Allow(ip, method, path); !d.Allowed {
			return i, d
		}
	}
	return max, Decision{Allowed: true}
}

func TestPerNetworkAggregates(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{
		PerIP:      Limit{Rate: mustRate("1/m"), Burst: 5},
		PerNetwork: Network{Rate: mustRate("1/m"), Burst: 8},
	}, clk.now)
	a, b := netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.200")
	if n, d := drain(l, a, "GET", "/", 100); n != 5 || d.Limit != "perIP" {
		t.Fatalf("first address: %d allowed then %+v; want 5 then perIP", n, d)
	}
	// The second address of the /24 has its own per-IP budget but only
	// what is left of the network's: 8 - 5.
	n, d := drain(l, b, "GET", "/", 100)
	if n != 3 || d.Limit != "perNetwork" || d.Key != netip.MustParsePrefix("198.51.100.0/24") {
		t.Fatalf("second address in the /24: %d allowed then %+v; want 3 then perNetwork on 198.51.100.0/24", n, d)
	}
	// Another /24 is untouched.
	if n, _ := drain(l, netip.MustParseAddr("198.51.101.1"), "GET", "/", 100); n != 5 {
		t.Errorf("address in another /24: %d allowed, want 5", n)
	}
	// Refused requests were not charged: after the network refused b, b's
	// per-IP budget still has 5 - 3 = 2 once the network refills.
	clk.advance(2 * time.Minute) // the network earns 2
	if n, d := drain(l, b, "GET", "/", 100); n != 2 {
		t.Errorf("after 2m, second address: %d allowed then %+v; want 2", n, d)
	}
}

func TestIPv6Collapses(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{
		PerIP:      Limit{Rate: mustRate("1/m"), Burst: 4},
		PerNetwork: Network{Rate: mustRate("1/m"), Burst: 6},
	}, clk.now)
	// Every address of one /64 is one client.
	for i := range 4 {
		ip := netip.MustParseAddr(fmt.Sprintf("2001:db8:1:2::%x", i*7919+1))
		if d := l.Allow(ip, "GET", "/"); !d.Allowed {
			t.Fatalf("request %d from %v refused: %+v", i, ip, d)
		}
	}
	d := l.Allow(netip.MustParseAddr("2001:db8:1:2:ffff:ffff:ffff:ffff"), "GET", "/")
	if d.Allowed || d.Limit != "perIP" || d.Key != netip.MustParsePrefix("2001:db8:1:2::/64") {
		t.Fatalf("fifth request from the /64: %+v; want refused by perIP on 2001:db8:1:2::/64", d)
	}
	// Another /64 in the same /48 shares the network's budget.
	n, d := drain(l, netip.MustParseAddr("2001:db8:1:3::1"), "GET", "/", 100)
	if n != 2 || d.Limit != "perNetwork" || d.Key != netip.MustParsePrefix("2001:db8:1::/48") {
		t.Fatalf("another /64 of the /48: %d then %+v; want 2 then perNetwork on 2001:db8:1::/48", n, d)
	}
	// An IPv4-mapped address is the IPv4 client.
	v4 := netip.MustParseAddr("192.0.2.1")
	drain(l, v4, "GET", "/", 4)
	if d := l.Allow(netip.MustParseAddr("::ffff:192.0.2.1"), "GET", "/"); d.Allowed || d.Key != netip.MustParsePrefix("192.0.2.1/32") {
		t.Errorf("::ffff:192.0.2.1 after 192.0.2.1 used its burst: %+v; want refused as 192.0.2.1/32", d)
	}
}

func TestRoutes(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{
		PerIP:      Limit{Rate: mustRate("1/m"), Burst: 50},
		PerNetwork: Network{Disable: true},
		Routes: []Route{
			{Name: "login", Methods: []string{"POST"}, Paths: []string{"/login", "/account/*"}, Rate: mustRate("1/m"), Burst: 3},
			{Name: "reset", Paths: []string{"/users/*/password"}, Rate: mustRate("1/m"), Burst: 2, Per: "global"},
		},
	}, clk.now)
	ip := netip.MustParseAddr("203.0.113.5")
	// The login route is tighter than the rest, whatever the spelling.
	for i, p := range []string{"/login", "/LOGIN/", "//login", "/account/x/../session"} {
		if d := l.Allow(ip, "POST", p); (i < 3) != d.Allowed {
			t.Fatalf("POST %s (#%d): %+v", p, i+1, d)
		} else if i == 3 && (d.Limit != "route:login" || d.Key != netip.MustParsePrefix("203.0.113.5/32")) {
			t.Fatalf("POST %s refused by %q on %v, want route:login on 203.0.113.5/32", p, d.Limit, d.Key)
		}
	}
	// Other methods and paths only meet the per-IP limit.
	for _, r := range [][2]string{{"GET", "/login"}, {"POST", "/loginx"}, {"POST", "/accounts"}, {"POST", "/"}} {
		if d := l.Allow(ip, r[0], r[1]); !d.Allowed {
			t.Errorf("%s %s refused: %+v", r[0], r[1], d)
		}
	}
	// Another client has its own login budget.
	if d := l.Allow(netip.MustParseAddr("203.0.113.6"), "post", "/login"); !d.Allowed {
		t.Errorf("another client's first login refused: %+v", d)
	}
	// A per: global group is one budget for everyone.
	l.Allow(netip.MustParseAddr("192.0.2.1"), "PUT", "/users/ann/password")
	l.Allow(netip.MustParseAddr("192.0.2.2"), "PUT", "/Users/bob/password")
	d := l.Allow(netip.MustParseAddr("192.0.2.3"), "PUT", "/users/cy/password")
	if d.Allowed || d.Limit != "route:reset" || d.Key.IsValid() {
		t.Errorf("third password reset from a third client: %+v; want refused by route:reset with no key", d)
	}
	if d := l.Allow(netip.MustParseAddr("192.0.2.3"), "PUT", "/users/cy/password/x"); !d.Allowed {
		t.Errorf("a path the pattern does not match was refused: %+v", d)
	}
}

func TestExempt(t *testing.T) {
	l := newTestLimiter(t, Config{PerIP: Limit{Rate: mustRate("1/m"), Burst: 1}, Exempt: []string{"10.0.0.0/8", "2001:db8::1"}}, nil)
	for _, s := range []string{"10.1.2.3", "::ffff:10.9.9.9", "2001:db8::1"} {
		ip := netip.MustParseAddr(s)
		for range 5 {
			if d := l.Allow(ip, "GET", "/"); !d.Allowed || !d.Exempt {
				t.Fatalf("exempt %s: %+v", s, d)
			}
		}
	}
	ip := netip.MustParseAddr("2001:db8::2")
	l.Allow(ip, "GET", "/")
	if d := l.Allow(ip, "GET", "/"); d.Allowed {
		t.Errorf("%s is not exempt but was allowed twice at 1/m burst 1", ip)
	}
}

func TestGlobal(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{PerNetwork: Network{Disable: true}, Global: Limit{Rate: mustRate("10/s"), Burst: 10}}, clk.now)
	allowed := 0
	for i := range 100 {
		if l.Allow(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), "GET", "/").Allowed {
			allowed++
		}
	}
	if allowed != 10 {
		t.Errorf("100 clients at once against global 10/s burst 10: %d allowed, want 10", allowed)
	}
}

func TestUnknownAddressSharesOneBudget(t *testing.T) {
	l := newTestLimiter(t, onlyPerIP("1/m", 2), nil)
	drain(l, netip.Addr{}, "GET", "/", 2)
	if d := l.Allow(netip.Addr{}, "GET", "/"); d.Allowed || d.Key.IsValid() {
		t.Errorf("third request with no address: %+v; want refused with no key", d)
	}
}

func TestDisabled(t *testing.T) {
	l := newTestLimiter(t, Config{Disable: true, PerIP: Limit{Rate: mustRate("1/h"), Burst: 1}}, nil)
	for range 10 {
		if d := l.Allow(client, "GET", "/"); !d.Allowed {
			t.Fatalf("disabled limiter refused: %+v", d)
		}
	}
	l2 := newTestLimiter(t, Config{PerIP: Limit{Disable: true}, PerNetwork: Network{Disable: true}}, nil)
	if d := l2.Allow(client, "GET", "/"); !d.Allowed || d.Limit != "" || d.Remaining != -1 {
		t.Errorf("no limit on: %+v", d)
	}
}

func TestAllowDoesNotAllocate(t *testing.T) {
	l := newTestLimiter(t, Config{
		PerIP:      Limit{Rate: mustRate("1000000/s"), Burst: 1000000},
		PerNetwork: Network{Rate: mustRate("1000000/s"), Burst: 1000000},
		Global:     Limit{Rate: mustRate("1000000/s"), Burst: 1000000},
		Routes:     []Route{{Name: "login", Paths: []string{"/login", "/a/*", "/u/*/x"}, Rate: mustRate("1000000/s"), Burst: 1000000}},
		Exempt:     []string{"10.0.0.0/8"},
	}, nil)
	v6 := netip.MustParseAddr("2001:db8::1")
	for _, c := range []struct {
		ip   netip.Addr
		path string
	}{{client, "/"}, {client, "/login"}, {v6, "/a/b"}, {v6, "/u/1/x"}} {
		allowed := true
		if n := testing.AllocsPerRun(1000, func() { allowed = allowed && l.Allow(c.ip, "POST", c.path).Allowed }); n != 0 || !allowed {
			t.Errorf("Allow(%v, %s) allocates %v times per call (allowed: %v), want 0 and allowed", c.ip, c.path, n, allowed)
		}
	}
}

func TestCloseIsIdempotentAndAllowStillWorks(t *testing.T) {
	l, err := New(Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l.Close()
	if d := l.Allow(client, "GET", "/"); !d.Allowed {
		t.Errorf("Allow after Close: %+v", d)
	}
}

// TestRefusedRequestsAreNotCharged: a request one limit refuses costs
// nothing in the limits checked before it.
func TestRefusedRequestsAreNotCharged(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newTestLimiter(t, Config{
		PerIP:      Limit{Rate: mustRate("1/m"), Burst: 2},
		PerNetwork: Network{Disable: true},
		Global:     Limit{Rate: mustRate("1/m"), Burst: 100},
		Routes:     []Route{{Name: "login", Paths: []string{"/login"}, Rate: mustRate("1/m"), Burst: 3}},
	}, clk.now)
	for i := range 2 {
		if d := l.Allow(client, "POST", "/login"); !d.Allowed {
			t.Fatalf("login %d refused: %+v", i, d)
		}
	}
	for range 20 { // refused by perIP, after the route group took its share
		if d := l.Allow(client, "POST", "/login"); d.Allowed || d.Limit != "perIP" {
			t.Fatalf("login over the per-IP burst: %+v; want refused by perIP", d)
		}
	}
	clk.advance(time.Minute)
	if d := l.Allow(client, "POST", "/login"); !d.Allowed {
		t.Errorf("login a minute later: %+v; the refused requests were charged to the route group", d)
	}
	// The global limit saw 3 requests, not 23.
	if d := l.Allow(netip.MustParseAddr("192.0.2.99"), "GET", "/"); d.Limit != "perIP" || d.Remaining != 1 {
		t.Errorf("another client: %+v", d)
	}
	if got := l.rules[1].cell.tat.Load() - clk.now().UnixNano(); got > int64(3*time.Minute) {
		t.Errorf("global limit owes %v, want at most 3m (4 requests, 1 refilled)", time.Duration(got))
	}
}
