package limit

// The generic cell rate algorithm keeps, per key, one theoretical arrival
// time (TAT): when the key's debt would be paid off at the sustained rate.
// Each request adds one interval of debt; a request is refused when the debt
// it would bring exceeds the burst's worth of intervals (the tolerance).
// A TAT in the past is no debt at all: the same as no entry.

// A verdict is the result of one GCRA step. Times are nanoseconds.
type verdict struct {
	ok        bool
	tat       int64 // the key's TAT after the step (unchanged when refused)
	remaining int64 // requests that would still pass now, when ok
	retry     int64 // wait until one more request would pass, when refused
}

// gcra decides a request at now against a key's stored tat (zero if absent)
// for a limit with the given interval (ns per request) and tolerance
// (interval × burst).
func gcra(tat, now, interval, tolerance int64) verdict {
	tat = max(tat, now)
	next := tat + interval
	allowAt := next - tolerance
	if now < allowAt {
		return verdict{tat: tat, retry: allowAt - now}
	}
	return verdict{ok: true, tat: next, remaining: (now - allowAt) / interval}
}
