package main

import (
	"fmt"
	"runtime/debug"

	"github.com/bulwark-sec/bulwark/bench/internal/host"
)

// A machine describes where and with what the figures were measured.
type machine struct {
	host.Facts
	Coraza string // module versions, from this program's build info
	CRS    string
}

// describeMachine gathers the machine's facts; what it cannot read it
// reports as "unknown".
func describeMachine() machine {
	m := machine{Facts: host.Describe(), Coraza: "unknown", CRS: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/corazawaf/coraza/v3":
				m.Coraza = d.Version
			case "github.com/corazawaf/coraza-coreruleset/v4":
				m.CRS = d.Version // its versions follow the CRS release it embeds
			}
		}
	}
	return m
}

// String is the machine in one line.
func (m machine) String() string {
	return fmt.Sprintf("%s; Coraza %s with CRS %s (coraza-coreruleset)", m.Facts, m.Coraza, m.CRS)
}
