package console

import (
	"context"
	"encoding/json"
	"net/netip"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// A History keeps what the console shows over time — the events and the
// samples of the figures that are not events — and answers the pages'
// queries. [SQLiteHistory] keeps them in the gateway's store, so they
// outlive a restart; a fleet of gateways may share one kept elsewhere
// (Redis) by giving another History in [Options].
//
// A History is safe for concurrent use. Every method may be slow (it does
// I/O) and takes a context.
type History interface {
	// Append keeps the events, each with the sequence number the recorder
	// gave it (increasing; LastSeq tells where to go on after a restart).
	Append(ctx context.Context, evs []Stored) error
	// LastSeq returns the highest sequence number kept, 0 if none.
	LastSeq(ctx context.Context) (uint64, error)
	// Events returns the events f chooses, newest first, at most f.Limit.
	Events(ctx context.Context, f Filter) ([]Stored, error)
	// Top counts the events f chooses by source address, network, rule
	// and path, the n largest of each.
	Top(ctx context.Context, f Filter, n int) (Tops, error)
	// Counts counts the events from from on by step-long slot and kind
	// ([kindsOf]).
	Counts(ctx context.Context, from time.Time, step time.Duration) ([]SlotCount, error)
	// AddSample keeps one sample of the figures that are not events.
	AddSample(ctx context.Context, s Sample) error
	// Samples returns the samples from from on, oldest first.
	Samples(ctx context.Context, from time.Time) ([]Sample, error)
	// Prune forgets events and samples older than before, and the oldest
	// events beyond the newest max.
	Prune(ctx context.Context, before time.Time, max int) error
}

// A Stored is an event as a History keeps it: its sequence number, the
// fields the pages filter and count by, and its ECS JSON.
type Stored struct {
	Seq      uint64
	Time     time.Time
	Category string
	Type     string
	Action   string
	Class    string // labels.class: sqli, xss…
	Rule     string // rule.id
	Rules    string // labels.rules: every rule that matched, comma-separated
	IP       string // source.ip, unmapped; "" if none
	Net      string // the source's network: its /24 (IPv4) or /48 (IPv6)
	User     string
	Path     string
	JSON     json.RawMessage // the whole event, as [event.Event.MarshalJSON] writes it
}

// storedOf makes e a Stored with sequence number seq.
func storedOf(seq uint64, e event.Event) (Stored, error) {
	j, err := json.Marshal(e)
	if err != nil {
		return Stored{}, err
	}
	s := Stored{Seq: seq, Time: e.Time, Category: string(e.Category), Type: e.Type, Action: e.Action,
		Class: e.Labels["class"], Rule: e.RuleID, Rules: e.Labels["rules"], User: e.UserName, Path: e.Path, JSON: j}
	if e.SourceIP.IsValid() {
		ip := e.SourceIP.Unmap()
		s.IP, s.Net = ip.String(), network(ip).String()
	}
	return s, nil
}

// network is the block an address's owner usually holds: its /24 for
// IPv4, its /48 for IPv6.
func network(ip netip.Addr) netip.Prefix {
	bits := 24
	if ip.Is6() {
		bits = 48
	}
	p, _ := ip.Prefix(bits)
	return p
}

// Tops are the largest counts of GET /v1/events/top.
type Tops struct {
	IPs   []Count `json:"ips"`
	Nets  []Count `json:"nets"`
	Rules []Count `json:"rules"`
	Paths []Count `json:"paths"`
}

// A SlotCount is how many events of one kind fell in one slot. The kinds
// are those of [kindsOf].
type SlotCount struct {
	Slot int64 // the slot's start, unix seconds
	Kind string
	N    int
}

// kindsOf names what the series count an event as: "blocked" (a request
// refused by a rule or a limit), "rateLimited", "failedLogins", and
// "attack:CLASS" for an attack.
func kindsOf(s Stored) []string {
	var k []string
	if blockedRequest(s.Category, s.Type) {
		k = append(k, "blocked")
	}
	if s.Action == "rate-limited" {
		k = append(k, "rateLimited")
	}
	if s.Category == string(event.CategoryAuthentication) && s.Action == "login-failure" {
		k = append(k, "failedLogins")
	}
	if s.Category == string(event.CategoryMalicious) {
		class := s.Class
		if class == "" {
			class = "other"
		}
		k = append(k, "attack:"+class)
	}
	return k
}

// A Sample is one probe of the figures that are not events, over the step
// that ends at Time.
type Sample struct {
	Time time.Time
	// Requests and Banned are the requests answered, and those refused
	// because the client was banned, during the step.
	Requests, Banned uint64
	// BansActive counts the bans in force; -1 if not known.
	BansActive int
	// App is the supervised app's state, "" when none is supervised;
	// Restarts its restarts so far. Restarts is -1 in a sample of another
	// gateway of the fleet, which tells only its traffic.
	App      string
	Restarts int
	// CPU is the app's share of one core over the step (1 = 100%), RSS its
	// resident memory in bytes; -1 when not known.
	CPU float64
	RSS int64
}
