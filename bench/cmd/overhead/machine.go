package main

import (
	"debug/buildinfo"
	"fmt"

	"github.com/bulwark-sec/bulwark/bench/internal/host"
)

// A machine describes where the figures were measured.
type machine struct {
	host.Facts        // Go is the toolchain of this program, the upstream and the bare proxy
	Bulwark    string // the bulwark binary's version and toolchain
	Wrk        string
}

// describeMachine gathers the machine's facts; what it cannot read it
// reports as "unknown".
func describeMachine(bulwarkPath string) machine {
	m := machine{Facts: host.Describe(), Bulwark: "unknown", Wrk: wrkVersion()}
	if bi, err := buildinfo.ReadFile(bulwarkPath); err == nil {
		m.Bulwark = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				m.Bulwark += " " + s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				if s.Value == "true" {
					m.Bulwark += "+dirty"
				}
			}
		}
		m.Bulwark += ", " + bi.GoVersion
	}
	return m
}

// String is the machine in one line.
func (m machine) String() string {
	return fmt.Sprintf("%s; bulwark %s; %s", m.Facts, m.Bulwark, m.Wrk)
}
