//go:build unix && !linux

package supervise

import (
	"log/slog"
	"os/exec"
	"syscall"
)

// sysProcAttr puts the app in its own process group. Outside Linux there is
// no parent-death signal: the app may outlive a supervisor that is killed.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// sysState starts apps; outside Linux there is no subreaper to manage.
type sysState struct{}

func acquireSys(*slog.Logger) *sysState     { return &sysState{} }
func releaseSys()                           {}
func (*sysState) start(cmd *exec.Cmd) error { return cmd.Start() }
func (*sysState) forget(int)                {}
func (*sysState) forgetGroup(int)           {}
