package inspect

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bulwark-sec/bulwark/config"
)

// Defaults of [Config].
const (
	DefaultThreshold = 5
	DefaultMaxBody   = 1 << 20
	DefaultMaxUpload = 10 << 20
	DefaultMaxInputs = 4096
	DefaultMaxDepth  = 64
)

// maxFindings bounds the findings kept per request.
const maxFindings = 32

// fragmentLen is about how much of a matched input a finding quotes.
const fragmentLen = 64

// An Engine inspects requests. It is safe for concurrent use; its
// configuration cannot change after [New].
type Engine struct {
	mode        Mode
	threshold   int
	maxBody     int64
	maxUpload   int64
	maxInputs   int
	maxDepth    int
	workPerByte int    // the work budget per byte of request (see budget.go)
	ruleMode    []Mode // by rule index; "" counts the score
	routes      []Route
	exclusions  []exclusion
	allowNets   []netip.Prefix
	allowHosts  []string
	blockBody   string
	scans       sync.Pool
	uas         uaCache
}

type exclusion struct {
	Exclusion
	rules []bool // by rule index; nil: all rules of the classes
}

// New returns an engine for cfg, or every mistake in cfg (see
// [Config.Validate]).
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	compilePatterns()
	cfg = cfg.WithDefaults()
	e := &Engine{
		mode:        cfg.Mode,
		threshold:   cfg.Threshold,
		maxBody:     int64(cfg.MaxBody),
		maxUpload:   max(int64(cfg.MaxUpload), int64(cfg.MaxBody)),
		maxInputs:   cfg.MaxInputs,
		maxDepth:    cfg.MaxDepth,
		workPerByte: workPerByte,
		ruleMode:    make([]Mode, len(rules)),
		routes:      cfg.Routes,
		blockBody:   cfg.BlockBody,
	}
	for id, m := range cfg.Rules {
		e.ruleMode[ruleByID(id).idx] = m
	}
	for _, x := range cfg.Exclusions {
		ex := exclusion{Exclusion: x}
		if len(x.Rules) > 0 || len(x.Classes) > 0 {
			ex.rules = make([]bool, len(rules))
			for _, id := range x.Rules {
				ex.rules[ruleByID(id).idx] = true
			}
			for _, r := range rules {
				if slices.Contains(x.Classes, r.class) {
					ex.rules[r.idx] = true
				}
			}
		}
		e.exclusions = append(e.exclusions, ex)
	}
	for _, h := range cfg.SSRF.AllowHosts {
		p, _ := parseAllowHost(h)
		if p.IsValid() {
			e.allowNets = append(e.allowNets, p)
		} else {
			e.allowHosts = append(e.allowHosts, strings.ToLower(strings.TrimSuffix(h, ".")))
		}
	}
	e.scans.New = func() any { return &scan{e: e, hit: make([]bool, len(rules))} }
	return e, nil
}

// MaxBody returns the largest body the engine inspects, [Config.MaxBody].
func (e *Engine) MaxBody() int64 { return e.maxBody }

// Inspect inspects r and returns its verdict. It reads r and changes
// nothing; its work is bounded by the engine's limits. The verdict shares
// no memory with r.
func (e *Engine) Inspect(r *Request) Verdict {
	v, _ := e.inspect(r)
	return v
}

// inspect is [Engine.Inspect]; it also returns the work the inspection
// cost (see budget.go).
func (e *Engine) inspect(r *Request) (Verdict, int) {
	s := e.scans.Get().(*scan)
	defer s.release()
	path, _, _ := splitURI(r.URI)
	mode := e.mode
	for _, rt := range e.routes {
		if (rt.Method == "" || rt.Method == r.Method) && pathMatches(rt.Path, path) {
			if rt.Mode == ModeOff {
				return Verdict{}, 0
			}
			if rt.Mode == ModeDetect || e.mode == ModeDetect {
				mode = ModeDetect
			}
			break
		}
	}
	for i := range e.exclusions {
		x := &e.exclusions[i]
		if (x.Method == "" || x.Method == r.Method) && pathMatches(x.Path, path) {
			s.excl = append(s.excl, x)
		}
	}
	s.req = r
	s.startWork()
	s.run()
	return s.verdict(mode), s.work
}

// A scan is the state of one inspection. Scans are pooled.
type scan struct {
	e   *Engine
	req *Request
	arena
	excl     []*exclusion
	findings []Finding
	hit      []bool // rules whose score is counted
	score    int
	force    bool // a rule in block mode matched
	inputs   int  // values inspected
	stopped  bool // a limit was reached; nothing more is inspected
	work     int  // bytes read so far (see budget.go)
	budget   int  // the work the request may cost
	// nextCheck is the work at which the budget and done are next looked at.
	nextCheck int
	done      <-chan struct{} // the request's context's; nil if none
	jpath     []byte
	in, sub   input
	txt       input        // the prose of a free-text input
	head      input        // the start of a free-text input, read as a value
	runs      []tickRun    // scratch of withoutCodeSpans
	fenced    bool         // the last proseView found a fenced code block
	events    eventCache   // where hints end in the last long values
	capture   *[]detection // if set, every detection is added to it
}

func (s *scan) release() {
	for i := range s.hit {
		s.hit[i] = false
	}
	s.req, s.excl, s.findings = nil, s.excl[:0], nil
	s.score, s.force, s.inputs, s.stopped = 0, false, 0, false
	s.work, s.budget, s.nextCheck, s.done = 0, 0, 0, nil
	s.jpath = s.jpath[:0]
	s.in, s.sub, s.txt, s.head = input{}, input{}, input{}, input{}
	s.runs = s.runs[:0]
	s.events.reset()
	s.capture = nil
	if cap(s.buf) > 1<<20 {
		s.buf = nil // do not keep a huge buffer for every request
	}
	s.reset()
	s.e.scans.Put(s)
}

// verdict turns the findings into a verdict.
func (s *scan) verdict(mode Mode) Verdict {
	v := Verdict{Score: s.score, Findings: s.findings}
	switch {
	case s.force || s.score >= s.e.threshold:
		v.Action = Block
	case len(s.findings) > 0:
		v.Action = Log
	}
	if v.Action == Block && mode == ModeDetect {
		v.Action = Log
		for i := range v.Findings {
			v.Findings[i].Detect = true
		}
	}
	slices.SortStableFunc(v.Findings, func(a, b Finding) int { return b.Score - a.Score })
	return v
}

// report records that r matched in; frag is the part of the input that
// matched (or the input).
func (s *scan) report(r *rule, in *input, frag string) {
	if s.capture != nil {
		*s.capture = append(*s.capture, detection{r, frag})
	}
	mode := s.e.ruleMode[r.idx]
	if mode == ModeOff {
		return
	}
	where := in.where(s)
	for _, x := range s.excl {
		if (x.rules == nil || x.rules[r.idx]) && whereMatches(x.Where, where) {
			return
		}
	}
	for _, f := range s.findings {
		if f.RuleID == r.id && f.Where == where {
			return
		}
	}
	switch mode {
	case ModeDetect:
	case ModeBlock:
		s.force = true
		fallthrough
	default:
		if !s.hit[r.idx] {
			s.hit[r.idx] = true
			s.score += r.score
		}
	}
	if len(s.findings) >= maxFindings {
		return
	}
	// Findings outlive the request, and its inputs may live in a pooled
	// buffer the next request reuses: copy what they keep.
	f := Finding{RuleID: r.id, Class: r.class, Severity: severity(r.score), Score: r.score, Where: strings.Clone(where), Detect: mode == ModeDetect}
	if in.secret() {
		f.Fragment = config.Secret("x").String()
	} else {
		f.Fragment = fragment(frag)
	}
	s.findings = append(s.findings, f)
}

// limit reports a request the engine cannot inspect completely.
func (s *scan) limit(r *rule, where string) {
	s.stopped = true
	in := input{kind: kindRaw, name: where}
	s.report(r, &in, "")
}

func whereMatches(pattern, where string) bool {
	switch {
	case pattern == "" || pattern == "*":
		return true
	case strings.HasSuffix(pattern, "*"):
		return strings.HasPrefix(where, pattern[:len(pattern)-1])
	}
	return pattern == where
}

// fragment returns a copy of v cut to about fragmentLen bytes.
func fragment(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	if len(v) > fragmentLen {
		n := fragmentLen
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		return strings.ToValidUTF8(v[:n], "\uFFFD") + "…"
	}
	return strings.Clone(strings.ToValidUTF8(v, "\uFFFD"))
}

var (
	ruleTooMany = newRule("bw-limit-001", Protocol, 5, "more inputs than maxInputs")
	ruleTooDeep = newRule("bw-limit-002", Protocol, 5, "body nested deeper than maxDepth")
)
