package supervise

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/bulwark-sec/bulwark/event"
)

// appPath is the test app (testdata/app), built once by TestMain.
var appPath string

// asSupervisorEnv makes the test binary a supervisor of the app it names,
// for the test that kills a supervisor.
const asSupervisorEnv = "SUPERVISE_TEST_AS_SUPERVISOR"

func TestMain(m *testing.M) {
	if app := os.Getenv(asSupervisorEnv); app != "" {
		os.Exit(runAsSupervisor(app))
	}
	dir, err := os.MkdirTemp("", "supervise-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	appPath = filepath.Join(dir, "app")
	if out, err := exec.Command("go", "build", "-o", appPath, "./testdata/app").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the test app: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runAsSupervisor supervises app and prints "pid N" when it has started.
func runAsSupervisor(app string) int {
	bus := event.NewBus(nil)
	bus.Subscribe("pid", 0, func(e event.Event) {
		if e.Action == "process-started" {
			fmt.Printf("pid %s\n", e.Labels["process_pid"])
		}
	})
	s, err := New(Config{Command: []string{app}, Logs: Logs{Console: ConsoleOff}}, Options{Bus: bus})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := s.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
