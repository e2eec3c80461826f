package accounts

import (
	"net/netip"
	"sync"
	"time"
)

// counters count failed logins in memory, bounded by Thresholds.MaxTracked
// per map (beyond it, entries are forgotten at random).
type counters struct {
	t Thresholds

	mu      sync.Mutex
	streak  map[pairKey]int                     // consecutive failures of a user from an IP
	userIPs map[string]map[netip.Addr]time.Time // failing IPs per user
	ipUsers map[netip.Addr]map[string]time.Time // failing users per IP

	ratioStart         time.Time
	attempts, failures int
	ratioAlerted       bool
}

type pairKey struct {
	user string
	ip   netip.Addr
}

func newCounters(t Thresholds) *counters {
	return &counters{t: t, streak: map[pairKey]int{}, userIPs: map[string]map[netip.Addr]time.Time{},
		ipUsers: map[netip.Addr]map[string]time.Time{}}
}

// verdict is what a failure crossed.
type verdict struct {
	streak       int  // the pair's consecutive failures
	blockPair    bool // streak reached PairFailures
	userIPs      int  // distinct failing IPs for the user in Window
	alertUser    bool // userIPs reached UserIPs (once)
	ipUsers      int  // distinct failing users from the IP in Window
	banIP        bool // ipUsers reached IPUsers (once)
	ratio        float64
	alertRatio   bool
	ratioSamples int
}

// failure counts a failed login of user from ip.
func (c *counters) failure(user string, ip netip.Addr, now time.Time) verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	var v verdict
	k := pairKey{user, ip}
	if _, ok := c.streak[k]; !ok {
		evict(c.streak, c.t.MaxTracked)
	}
	c.streak[k]++
	v.streak = c.streak[k]
	if v.streak >= c.t.PairFailures {
		v.blockPair = true
		delete(c.streak, k)
	}
	if user != "" {
		if c.userIPs[user] == nil {
			evict(c.userIPs, c.t.MaxTracked)
			c.userIPs[user] = map[netip.Addr]time.Time{}
		}
		v.userIPs = distinct(c.userIPs[user], ip, now, c.t.Window, c.t.UserIPs)
		v.alertUser = v.userIPs == c.t.UserIPs
	}
	if ip.IsValid() {
		if c.ipUsers[ip] == nil {
			evict(c.ipUsers, c.t.MaxTracked)
			c.ipUsers[ip] = map[string]time.Time{}
		}
		v.ipUsers = distinct(c.ipUsers[ip], user, now, c.t.Window, c.t.IPUsers)
		v.banIP = v.ipUsers == c.t.IPUsers
	}
	c.attempt(false, now, &v)
	return v
}

// success counts a successful login and ends the pair's streak.
func (c *counters) success(user string, ip netip.Addr, now time.Time) verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.streak, pairKey{user, ip})
	var v verdict
	c.attempt(true, now, &v)
	return v
}

// attempt counts toward the global failure ratio.
func (c *counters) attempt(ok bool, now time.Time, v *verdict) {
	if now.Sub(c.ratioStart) >= c.t.RatioWindow {
		c.ratioStart, c.attempts, c.failures, c.ratioAlerted = now, 0, 0, false
	}
	c.attempts++
	if !ok {
		c.failures++
	}
	if c.attempts >= c.t.RatioMin && !c.ratioAlerted {
		v.ratio = float64(c.failures) / float64(c.attempts)
		v.ratioSamples = c.attempts
		if v.ratio >= c.t.Ratio {
			v.alertRatio, c.ratioAlerted = true, true
		}
	}
}

// distinct adds key to set at now, drops members older than window, and
// returns how many remain; the set never grows past limit+1.
func distinct[K comparable](set map[K]time.Time, key K, now time.Time, window time.Duration, limit int) int {
	for k, t := range set {
		if now.Sub(t) > window {
			delete(set, k)
		}
	}
	if _, ok := set[key]; !ok && len(set) > limit {
		return len(set)
	}
	set[key] = now
	return len(set)
}

func evict[K comparable, V any](m map[K]V, max int) {
	for k := range m {
		if len(m) < max {
			return
		}
		delete(m, k)
	}
}

// ratio counts an attempt toward the global failure ratio only, for a
// failure or success whose other counts are shared.
func (c *counters) ratio(ok bool, now time.Time, v *verdict) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempt(ok, now, v)
}
