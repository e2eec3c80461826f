//go:build !linux

package update

import (
	"context"
	"os/exec"
)

// An isolation would run commands without network; only Linux has one.
type isolation struct{}

func probeIsolation(context.Context, []string) (isolation, string) {
	return isolation{}, "network namespaces are a Linux feature"
}

func (isolation) ok() bool                                           { return false }
func (isolation) wrap(name string, args []string) (string, []string) { return name, args }
func (isolation) apply(*exec.Cmd)                                    {}
