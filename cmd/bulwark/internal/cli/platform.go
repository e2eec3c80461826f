package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// A platformLimit is a command, or one flag of it, that needs what some
// operating systems lack.
type platformLimit struct {
	command string
	flag    string // if set, only this flag is limited
	allow   string // a flag that makes the command work anyway (watch --dry-run)
	works   func(goos string) bool
	reason  string // why, and what to do instead
}

var platformLimits = []platformLimit{
	{command: "watch", allow: "dry-run", works: func(goos string) bool { return goos == "linux" },
		reason: "bulwark watch bans at the firewall with nftables or iptables, which only Linux has: run it on the Linux server whose logins it watches (--dry-run prints the firewall commands here)"},
	{command: "run", works: func(goos string) bool { return goos != "windows" },
		reason: "bulwark run supervises the app in a process group of its own, which Windows lacks: run the app as a Windows service and put bulwark guard --upstream in front of it"},
	{command: "guard", flag: "run", works: func(goos string) bool { return goos != "windows" },
		reason: "guard --run supervises the app in a process group of its own, which Windows lacks: start the app yourself and give guard only --upstream"},
}

// addPlatformLimits marks, on this OS, the commands of root that cannot
// work here: their --help says so, and running them fails at once with the
// reason, having done nothing.
func addPlatformLimits(root *cobra.Command) { limitPlatform(root, runtime.GOOS) }

func limitPlatform(root *cobra.Command, goos string) {
	for _, l := range platformLimits {
		if l.works(goos) {
			continue
		}
		c, _, err := root.Find([]string{l.command})
		if err != nil || c == root {
			continue
		}
		c.Long += fmt.Sprintf("\n\nNot on %s: %s.", goos, l.reason)
		pre := c.PreRunE
		c.PreRunE = func(cmd *cobra.Command, args []string) error {
			limited := l.flag == "" || cmd.Flags().Changed(l.flag)
			if l.allow != "" && cmd.Flags().Changed(l.allow) {
				limited = false
			}
			if limited {
				return fmt.Errorf("not on %s: %s", goos, l.reason)
			}
			if pre != nil {
				return pre(cmd, args)
			}
			return nil
		}
	}
}
