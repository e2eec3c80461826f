package main

import (
	"fmt"

	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// An engine decides whether a request would be refused. Its check method
// is safe for concurrent use.
type engine interface {
	// label names the engine in the report's column header.
	label() string
	// prepare turns a case into the engine's own input. It is not timed,
	// and the case must not be modified.
	prepare(c *corpus.Case) any
	// check inspects one prepared request. With explain, the verdict's
	// Detail holds the engine's account of it; without, check does no
	// work beyond the engine's own, so that it can be timed.
	check(in any, explain bool) verdict
}

// A verdict is what an engine made of one request.
type verdict struct {
	Flagged bool // the engine would refuse the request
	Score   int  // its anomaly score, where it has one
	// Detail is the engine's own account, for the misses file, when asked
	// for; it is JSON-encodable.
	Detail any
}

// Engine names, as given to -engines.
const (
	bulwarkName   = "bulwark"
	corazaPL1Name = "coraza-pl1"
	corazaPL2Name = "coraza-pl2"
)

// engineNames lists the engines in report order.
var engineNames = []string{bulwarkName, corazaPL1Name, corazaPL2Name}

// newEngine builds the engine called name.
func newEngine(name string) (engine, error) {
	switch name {
	case bulwarkName:
		return newBulwark()
	case corazaPL1Name:
		return newCoraza(1)
	case corazaPL2Name:
		return newCoraza(2)
	}
	return nil, fmt.Errorf("unknown engine %q", name)
}
