package inspect

import "strings"

// argsFit reports whether next, the text after the command word w, can be
// w's arguments. Most commands take any; a few that are also words of
// prose take a first argument of a fixed form that prose does not: at
// reads a time ("at now", "at 10:00", "at -f job teatime"), not "at the
// moment"; ip an object ("ip addr", "ip -4 route"), not "IP addresses".
// A flag, a number or nothing after the command always fits.
func argsFit(w, next string) bool {
	if w != "at" && w != "ip" {
		return true
	}
	t := strings.TrimLeft(next, " \t")
	if t == "" || len(t) == len(next) || t[0] == '-' || '0' <= t[0] && t[0] <= '9' {
		return true
	}
	n := 0
	for n < len(t) && 'a' <= t[n] && t[n] <= 'z' {
		n++
	}
	a := t[:n]
	if w == "ip" {
		return ipObjects[a]
	}
	return atTimes[a] || len(a) >= 3 && atDates[a[:3]]
}

var (
	ipObjects = words(`a addr address addrlabel l link r ro route n neigh neighbor neighbour rule ru maddr maddress
		mroute mrule tunnel tuntap netns netconf ntable xfrm monitor mon m token nexthop nh vrf mptcp stats help`)
	atTimes = words(`now noon midnight teatime today tomorrow next`)
	// atDates are the months and days at takes, by their first three
	// letters.
	atDates = words(`jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun`)
)
