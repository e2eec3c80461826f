package update

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// An isolation runs commands in a network namespace of their own, whose
// only interface is a loopback brought up for them: a test can listen on
// 127.0.0.1 and talk to itself, and cannot reach anything else, this
// machine's own services included. It is the zero value when the machine
// does not allow it.
type isolation struct {
	ip   string // the ip command, which brings the loopback up
	user bool   // not root: a user namespace too, in which the command is root
}

// netnsWrapper brings the namespace's loopback up, then runs the command.
const netnsWrapper = `"$0" link set lo up && exec "$@"`

// probeIsolation returns how to isolate commands here, or why it cannot.
func probeIsolation(ctx context.Context, env []string) (isolation, string) {
	ip, err := exec.LookPath("ip")
	if err != nil {
		for _, p := range []string{"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"} {
			if _, err := os.Stat(p); err == nil {
				ip = p
				break
			}
		}
	}
	if ip == "" {
		return isolation{}, "the ip command (iproute2), which brings up a network namespace's loopback, was not found"
	}
	iso := isolation{ip: ip, user: os.Geteuid() != 0}
	out, _, err := runTailIsolated(ctx, iso, ".", env, 30*time.Second, "true")
	if err != nil {
		return isolation{}, fmt.Sprintf("a network namespace could not be made (%v: %s)", err, tailLines(out, 2))
	}
	return iso, ""
}

func (iso isolation) ok() bool { return iso.ip != "" }

// wrap returns the command line that runs argv in the namespace.
func (iso isolation) wrap(name string, args []string) (string, []string) {
	return "sh", append([]string{"-c", netnsWrapper, iso.ip, name}, args...)
}

// apply makes cmd start in new namespaces, if iso is set.
func (iso isolation) apply(cmd *exec.Cmd) {
	if !iso.ok() {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWNET
	if iso.user {
		cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWUSER
		cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
		cmd.SysProcAttr.GidMappingsEnableSetgroups = false
	}
}
