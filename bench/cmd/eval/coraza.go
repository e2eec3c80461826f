package main

import (
	"fmt"
	"strconv"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
	"github.com/corazawaf/coraza/v3"
	"github.com/corazawaf/coraza/v3/experimental/plugins/plugintypes"
	"github.com/corazawaf/coraza/v3/types"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// inboundThreshold is CRS's default inbound anomaly score threshold.
const inboundThreshold = 5

// corazaDirectives configures Coraza as a blocking WAF with the whole CRS
// at one paranoia level: Coraza's recommended configuration (request body
// access on) with the rule engine turned On (it ships DetectionOnly), the
// CRS example setup, the paranoia levels for blocking and for detection
// (rules up to the detection level run and are scored; only those up to
// the blocking level count toward blocking), the default thresholds, and
// every CRS rule file. Response bodies and the
// audit log are off: only requests are evaluated, and nothing is written.
//
// One setting departs from CRS's defaults, as its setup file tells
// operators of REST APIs to do: PUT, PATCH and DELETE are allowed methods
// (the default allows GET, HEAD, POST and OPTIONS only, and rule 911100
// would block every other call of the modern corpus for its method).
const corazaDirectives = `
Include @coraza.conf-recommended
SecRuleEngine On
SecResponseBodyAccess Off
SecAuditEngine Off
Include @crs-setup.conf.example
SecAction "id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=%[1]d"
SecAction "id:900001,phase:1,pass,t:none,nolog,setvar:tx.detection_paranoia_level=%[2]d"
SecAction "id:900200,phase:1,pass,t:none,nolog,setvar:'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE'"
SecAction "id:900110,phase:1,pass,t:none,nolog,setvar:tx.inbound_anomaly_score_threshold=%[3]d,setvar:tx.outbound_anomaly_score_threshold=4"
Include @owasp_crs/*.conf
`

// corazaConfig returns the directives of Coraza blocking at paranoia
// level block and detecting at level detect.
func corazaConfig(block, detect int) string {
	return fmt.Sprintf(corazaDirectives, block, detect, inboundThreshold)
}

// corazaEngine is Coraza v3 with the OWASP CRS v4 (coraza-coreruleset),
// blocking at one paranoia level and scoring rules up to another.
type corazaEngine struct {
	block, detect int // paranoia levels
	waf           coraza.WAF
}

// newCoraza returns Coraza with CRS at paranoia level pl, as an operator
// would run it.
func newCoraza(pl int) (*corazaEngine, error) { return newCorazaLevels(pl, pl) }

// newCorazaLevels returns Coraza with CRS blocking at paranoia level block
// and running and scoring rules up to level detect (at least block).
func newCorazaLevels(block, detect int) (*corazaEngine, error) {
	waf, err := coraza.NewWAF(coraza.NewWAFConfig().
		WithRootFS(coreruleset.FS).
		WithDirectives(corazaConfig(block, detect)))
	if err != nil {
		return nil, fmt.Errorf("loading Coraza with CRS at paranoia level %d (detection %d): %w", block, detect, err)
	}
	return &corazaEngine{block: block, detect: detect, waf: waf}, nil
}

func (e *corazaEngine) label() string { return fmt.Sprintf("Coraza + CRS PL%d", e.block) }

// prepare hands Coraza the case itself: it takes the request as strings.
func (e *corazaEngine) prepare(c *corpus.Case) any { return c }

// corazaDetail is Coraza's account of a request for the misses file.
type corazaDetail struct {
	Flagged bool `json:"flagged"`
	Score   int  `json:"score"` // the blocking inbound anomaly score
	// DetectionScore counts the rules up to the detection paranoia level;
	// it is the score a WAF blocking at that level would have.
	DetectionScore int   `json:"detection_score,omitempty"`
	Status         int   `json:"status,omitempty"` // of the interruption
	Rules          []int `json:"rules,omitempty"`  // ids of the detection rules that matched
}

// detectionRule reports whether a rule id is one of CRS's detection rules
// (911100 to 944999, without the paranoia-level markers such as 942011),
// the blocking evaluation 949110, or a request body error, as opposed to
// the setup and bookkeeping rules that match every request.
func detectionRule(id int) bool {
	switch {
	case id == 949110 || id == 200002 || id == 200003:
		return true
	case id >= 911000 && id < 949000:
		return id%1000 >= 100
	}
	return false
}

// check runs one transaction through the request phases, as a connector
// in front of an application does: the request line as received (not
// re-encoded), the headers, then the body. The request is flagged when a
// phase interrupts it or the inbound anomaly score reaches the threshold.
func (e *corazaEngine) check(in any, explain bool) verdict {
	c := in.(*corpus.Case)
	tx := e.waf.NewTransaction()
	defer tx.Close()
	tx.ProcessConnection("192.0.2.10", 40000, "127.0.0.1", 80)
	tx.ProcessURI(c.Path, c.Method, "HTTP/1.1")
	for k, vs := range c.Header {
		for _, v := range vs {
			tx.AddRequestHeader(k, v)
		}
	}
	if h := c.Header.Get("Host"); h != "" {
		tx.SetServerName(h)
	}
	it := tx.ProcessRequestHeaders()
	if it == nil && len(c.Body) > 0 {
		var err error
		if it, _, err = tx.WriteRequestBody(c.Body); err != nil {
			// Only an overflow of int64 gets here; count it as refused.
			it = &types.Interruption{Action: "deny", Status: 413}
		}
	}
	if it == nil {
		it, _ = tx.ProcessRequestBody() // errors are reported as REQBODY_ERROR, which CRS rule 200002 denies
	}
	score := txInt(tx, "blocking_inbound_anomaly_score")
	v := verdict{Flagged: it != nil || score >= inboundThreshold, Score: score}
	if !explain {
		return v
	}
	d := corazaDetail{Flagged: v.Flagged, Score: score, DetectionScore: txInt(tx, "detection_inbound_anomaly_score")}
	if it != nil {
		d.Status = it.Status
	}
	for _, m := range tx.MatchedRules() {
		if id := m.Rule().ID(); detectionRule(id) {
			d.Rules = append(d.Rules, id)
		}
	}
	v.Detail = d
	return v
}

// txInt reads a number CRS keeps in the TX collection, such as
// blocking_inbound_anomaly_score, or 0 when the transaction does not
// expose its variables.
func txInt(tx types.Transaction, name string) int {
	st, ok := tx.(plugintypes.TransactionState)
	if !ok {
		return 0
	}
	vs := st.Variables().TX().Get(name)
	if len(vs) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(vs[0])
	return n
}
