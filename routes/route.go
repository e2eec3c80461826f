package routes

import (
	"maps"
	"math"
	"slices"
	"sort"
	"time"
)

// A Route is one method and template with what the gateway saw of it.
type Route struct {
	Method   string `json:"method"`
	Template string `json:"template"`
	// Requests the app answered (neither refused by the gateway nor 404).
	Requests uint64 `json:"requests"`
	// Status counts responses by class: Status[2] is 2xx, … Status[5] is 5xx.
	Status [6]uint64 `json:"status"`
	// WithCredentials counts requests that carried credentials (the
	// session cookie, Authorization, a configured header); Anonymous
	// counts by status class those that carried none.
	WithCredentials uint64    `json:"withCredentials"`
	Anonymous       [6]uint64 `json:"anonymous"`
	// AnonymousDenied counts the requests without credentials answered
	// 401 or 403: the route asks for them.
	AnonymousDenied uint64    `json:"anonymousDenied"`
	FirstSeen       time.Time `json:"firstSeen"`
	LastSeen        time.Time `json:"lastSeen"`
	// ContentTypes counts the responses' media types (at most
	// [maxContentTypes], the rest as "other").
	ContentTypes map[string]uint64 `json:"contentTypes,omitempty"`
	// Attacks counts requests with an attack finding, blocked or not;
	// AttacksPassed those the app received, and Attack5xx those of them it
	// answered 5xx.
	Attacks       uint64 `json:"attacks"`
	AttacksPassed uint64 `json:"attacksPassed"`
	Attack5xx     uint64 `json:"attack5xx"`
	// ErrorLeaks counts responses to attacks that showed a database error or
	// a stack trace; LeakKind names the last one ("SQL error", "stack trace").
	ErrorLeaks uint64 `json:"errorLeaks,omitempty"`
	LeakKind   string `json:"leakKind,omitempty"`
	// Clients is the number of distinct clients seen, up to [maxClients].
	Clients int `json:"clients"`
	// P50 and P99 are latencies in milliseconds, from Latency.
	P50 float64 `json:"p50ms"`
	P99 float64 `json:"p99ms"`
	// Latency is a histogram of the app's response times: bucket i counts
	// times up to latencyBase·latencyGrowth^i.
	Latency [latencyBuckets]uint32 `json:"latency"`
	// ClientKeys are hashes of the distinct clients (see Clients).
	ClientKeys []uint32 `json:"clientKeys,omitempty"`
	// Fields are the profiles of the route's inputs, by where the
	// inspection engine names them, learned from requests that passed it
	// clean.
	Fields map[string]*FieldProfile `json:"fields,omitempty"`

	cachedTypes map[string]FieldType
	typesStale  bool
}

const (
	maxContentTypes = 8
	// maxClients bounds the distinct clients remembered per route: enough
	// to tell one scanner from real users.
	maxClients = 16
	// Latency buckets from 0.1 ms growing by a quarter: 64 of them reach
	// past 100 s.
	latencyBuckets = 64
	latencyBase    = 0.1 // ms
	latencyGrowth  = 1.25
)

// An Observation is one request and its answer, as the gateway saw it.
type Observation struct {
	Method string
	Path   string // decoded, as the app's router sees it
	Status int
	// Client identifies the client (a hash of its address).
	Client uint32
	// Fields are the request's inputs, to learn their types from: set
	// only for requests the inspection found nothing in, from clients the
	// black book does not know.
	Fields []Field
	// Credentials: the request carried a session cookie, Authorization or a
	// configured credential header.
	Credentials bool
	ContentType string // the response's media type, without parameters
	Latency     time.Duration
	// Refused: the gateway answered, not the app (blocked, banned, limited).
	Refused bool
	// Attack: inspection found an attack in the request.
	Attack bool
	// Leak names the error text found in the response to an attack ("SQL
	// error", "stack trace"), if any.
	Leak string
	At   time.Time
}

// add counts o into r. o passed the app (not refused, not 404).
func (r *Route) add(o Observation) {
	if r.FirstSeen.IsZero() || o.At.Before(r.FirstSeen) {
		r.FirstSeen = o.At
	}
	if o.At.After(r.LastSeen) {
		r.LastSeen = o.At
	}
	r.Requests++
	class := statusClass(o.Status)
	r.Status[class]++
	if o.Credentials {
		r.WithCredentials++
	} else {
		r.Anonymous[class]++
		if o.Status == 401 || o.Status == 403 {
			r.AnonymousDenied++
		}
	}
	if o.ContentType != "" {
		if r.ContentTypes == nil {
			r.ContentTypes = make(map[string]uint64)
		}
		ct := o.ContentType
		if _, ok := r.ContentTypes[ct]; !ok && len(r.ContentTypes) >= maxContentTypes {
			ct = "other"
		}
		r.ContentTypes[ct]++
	}
	if o.Attack {
		r.Attacks++
		r.AttacksPassed++
		if class == 5 {
			r.Attack5xx++
		}
		if o.Leak != "" {
			r.ErrorLeaks++
			r.LeakKind = o.Leak
		}
	}
	r.Latency[latencyBucket(o.Latency)]++
	r.addClient(o.Client)
	if len(o.Fields) > 0 && class >= 2 && class <= 3 {
		r.learnFields(o.Fields, o.Client, o.At)
		r.typesStale = true
	}
}

// addAttack counts a refused attack on r: the app never saw it.
func (r *Route) addAttack(o Observation) {
	r.Attacks++
	if o.At.After(r.LastSeen) {
		r.LastSeen = o.At
	}
}

func (r *Route) addClient(c uint32) {
	if len(r.ClientKeys) >= maxClients {
		return
	}
	for _, k := range r.ClientKeys {
		if k == c {
			return
		}
	}
	r.ClientKeys = append(r.ClientKeys, c)
	r.Clients = len(r.ClientKeys)
}

// merge adds o's figures to r: two templates became one.
func (r *Route) merge(o *Route) {
	if r.FirstSeen.IsZero() || (!o.FirstSeen.IsZero() && o.FirstSeen.Before(r.FirstSeen)) {
		r.FirstSeen = o.FirstSeen
	}
	if o.LastSeen.After(r.LastSeen) {
		r.LastSeen = o.LastSeen
	}
	r.Requests += o.Requests
	r.WithCredentials += o.WithCredentials
	r.AnonymousDenied += o.AnonymousDenied
	for i := range r.Status {
		r.Status[i] += o.Status[i]
		r.Anonymous[i] += o.Anonymous[i]
	}
	for ct, n := range o.ContentTypes {
		if r.ContentTypes == nil {
			r.ContentTypes = make(map[string]uint64)
		}
		if _, ok := r.ContentTypes[ct]; !ok && len(r.ContentTypes) >= maxContentTypes {
			ct = "other"
		}
		r.ContentTypes[ct] += n
	}
	r.Attacks += o.Attacks
	r.AttacksPassed += o.AttacksPassed
	r.Attack5xx += o.Attack5xx
	r.ErrorLeaks += o.ErrorLeaks
	if o.LeakKind != "" {
		r.LeakKind = o.LeakKind
	}
	for i := range r.Latency {
		r.Latency[i] += o.Latency[i]
	}
	for _, c := range o.ClientKeys {
		r.addClient(c)
	}
	for where, p := range o.Fields {
		q := r.Fields[where]
		if q == nil {
			if len(r.Fields) >= maxFields {
				continue
			}
			if r.Fields == nil {
				r.Fields = make(map[string]*FieldProfile)
			}
			r.Fields[where] = p
			continue
		}
		q.merge(p)
	}
	r.typesStale = true
}

// snapshot is a copy of r with its percentiles computed.
func (r *Route) snapshot() Route {
	c := *r
	c.ClientKeys = append([]uint32(nil), r.ClientKeys...)
	if r.ContentTypes != nil {
		c.ContentTypes = make(map[string]uint64, len(r.ContentTypes))
		for k, v := range r.ContentTypes {
			c.ContentTypes[k] = v
		}
	}
	if r.Fields != nil {
		c.Fields = make(map[string]*FieldProfile, len(r.Fields))
		for k, p := range r.Fields {
			cp := *p
			cp.Counts = maps.Clone(p.Counts)
			cp.ClientKeys = slices.Clone(p.ClientKeys)
			cp.TypeClients = maps.Clone(p.TypeClients)
			c.Fields[k] = &cp
		}
	}
	c.cachedTypes, c.typesStale = nil, false
	c.P50, c.P99 = r.percentile(0.50), r.percentile(0.99)
	return c
}

// percentile is the upper bound, in ms, of the bucket holding quantile q
// of the latencies: within 25% of the true value.
func (r *Route) percentile(q float64) float64 {
	var total uint64
	for _, n := range r.Latency {
		total += uint64(n)
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i, n := range r.Latency {
		seen += uint64(n)
		if seen >= rank {
			return math.Round(latencyBound(i)*1000) / 1000
		}
	}
	return latencyBound(latencyBuckets - 1)
}

func latencyBound(i int) float64 { return latencyBase * math.Pow(latencyGrowth, float64(i)) }

func latencyBucket(d time.Duration) int {
	ms := float64(d) / float64(time.Millisecond)
	if ms <= latencyBase {
		return 0
	}
	i := int(math.Ceil(math.Log(ms/latencyBase) / math.Log(latencyGrowth)))
	return min(i, latencyBuckets-1)
}

func statusClass(status int) int {
	if status < 100 || status > 599 {
		return 0
	}
	return status / 100
}

// sortRoutes orders routes by template, then method.
func sortRoutes(rs []Route) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Template != rs[j].Template {
			return rs[i].Template < rs[j].Template
		}
		return rs[i].Method < rs[j].Method
	})
}
