//go:build !unix

package update

import "os/exec"

func setProcessGroup(*exec.Cmd) {}
