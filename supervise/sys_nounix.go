//go:build !unix

package supervise

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"syscall"
)

// stopSignals are the signals an app may be asked to stop with.
var stopSignals = map[string]syscall.Signal{
	"TERM": syscall.SIGTERM, "INT": syscall.SIGINT, "QUIT": syscall.SIGQUIT, "HUP": syscall.SIGHUP,
}

// noPlatform reports that supervising needs a Unix system.
type noPlatform struct{}

func newOSPlatform(*slog.Logger) platform { return noPlatform{} }

func (noPlatform) open() (func(), error) {
	return nil, errors.New("supervise: running an app needs Linux (or another Unix), not " + runtime.GOOS)
}
func (noPlatform) start(procSpec) (proc, error)          { panic("unreachable") }
func (noPlatform) portBusy(context.Context, string) bool { return false }

func signalName(sig syscall.Signal) string { return sig.String() }
