package main

import (
	"fmt"

	"github.com/bulwark-sec/bulwark/inspect"
	"github.com/bulwark-sec/bulwark/internal/corpus"
)

// bulwarkEngine is Bulwark's detection engine with its default
// configuration.
type bulwarkEngine struct {
	e *inspect.Engine
}

func newBulwark() (*bulwarkEngine, error) {
	e, err := inspect.New(inspect.Config{})
	if err != nil {
		return nil, fmt.Errorf("starting Bulwark's inspect engine with its defaults: %w", err)
	}
	return &bulwarkEngine{e: e}, nil
}

func (b *bulwarkEngine) label() string { return "Bulwark" }

// prepare builds the engine's request; the header is copied so that the
// engine may keep or change it without touching the shared case.
func (b *bulwarkEngine) prepare(c *corpus.Case) any {
	return &inspect.Request{Method: c.Method, URI: c.Path, Header: c.Header.Clone(), Body: c.Body}
}

// check flags the request when the verdict is Block.
func (b *bulwarkEngine) check(in any, explain bool) verdict {
	v := b.e.Inspect(in.(*inspect.Request))
	out := verdict{Flagged: v.Action == inspect.Block, Score: v.Score}
	if explain {
		out.Detail = explainBulwark(v)
	}
	return out
}

// bulwarkDetail is Bulwark's verdict as the misses file shows it.
type bulwarkDetail struct {
	Action   string           `json:"action"`
	Score    int              `json:"score"`
	Findings []bulwarkFinding `json:"findings,omitempty"`
}

type bulwarkFinding struct {
	Rule     string `json:"rule"`
	Class    string `json:"class"`
	Score    int    `json:"score"`
	Where    string `json:"where"`
	Fragment string `json:"fragment,omitempty"`
}

func explainBulwark(v inspect.Verdict) bulwarkDetail {
	d := bulwarkDetail{Action: v.Action.String(), Score: v.Score}
	for _, f := range v.Findings {
		d.Findings = append(d.Findings, bulwarkFinding{Rule: f.RuleID, Class: fmt.Sprint(f.Class),
			Score: f.Score, Where: f.Where, Fragment: f.Fragment})
	}
	return d
}
