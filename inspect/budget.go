package inspect

// The work of one inspection is counted in bytes read: each pass over an
// input (its decoding, a regular expression, libinjection, a hand-written
// scan) costs the length of what it reads. Every detector is linear in its
// input and reads it a bounded number of times, and every byte of a request
// reaches a bounded number of inputs, so the work of a request is at most a
// fixed multiple of its size. The budget holds it to that: an input built
// to be slow to inspect, or a path of the engine that is not linear, is
// stopped, and the request blocked, once it has cost workPerByte times the
// request's size. The request's context is checked as the work goes, and
// inspection stops when the client has gone.

const (
	// workPerByte is the work a request may cost per byte of it: four
	// times the most measured, 62 (cookies of every hint of every
	// pattern; the attack and benign corpora cost at most 31, the
	// detectors' tokens of TestLinear 33), so that only a request some
	// path of the engine reads more than linearly reaches it.
	workPerByte = 256
	// minBudgetSize is the size of request the budget of a smaller one is
	// counted for: a few bytes still make inputs that each cost a little.
	minBudgetSize = 16 << 10
	// inputWork is what an input costs besides its bytes.
	inputWork = 64
	// checkEvery is how much work is done between looks at the request's
	// context and at the budget.
	checkEvery = 256 << 10
)

var (
	ruleBudget = newRule("bw-limit-005", Protocol, 5, "inspection stopped: the request cost more work than its size allows (built to be slow to inspect)")
	// A client that went away is no attacker: the request is refused
	// (nobody reads the answer), as a body that cannot be inspected is,
	// and counts toward no ban.
	ruleGone = newRule("bw-limit-006", Protocol, 0, "inspection stopped: the client went away (the request's context was done)")
)

// requestSize returns the bytes of r the engine reads: its request-target,
// header names and values, and body.
func requestSize(r *Request) int {
	n := len(r.URI) + len(r.Body)
	for name, vals := range r.Header {
		for _, v := range vals {
			n += len(name) + len(v)
		}
	}
	return n
}

// startWork sets the budget of the scan's request.
func (s *scan) startWork() {
	s.work, s.nextCheck = 0, checkEvery
	s.budget = s.e.workPerByte * max(requestSize(s.req), minBudgetSize)
	if ctx := s.req.Context; ctx != nil {
		s.done = ctx.Done()
	}
}

// grow adds to the budget for n more bytes to inspect, those a body
// gains when decoded (gzip, a charset).
func (s *scan) grow(n int) {
	if n > 0 {
		s.budget += s.e.workPerByte * n
	}
}

// spend counts n bytes of work. It reports false, and stops the
// inspection, when the request's budget is spent or its context is done;
// callers then skip the work.
func (s *scan) spend(n int) bool {
	if s.stopped {
		return false
	}
	s.work += n
	if s.work < s.nextCheck {
		return true
	}
	s.nextCheck = s.work + checkEvery
	if s.work > s.budget {
		s.limit(ruleBudget, "request")
		return false
	}
	if s.done != nil {
		select {
		case <-s.done:
			s.limit(ruleGone, "request")
			return false
		default:
		}
	}
	return true
}
