package console

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// An AppRestarter restarts the supervised app the planned way and returns
// once the new process is ready; *supervise.Supervisor is one.
type AppRestarter interface {
	Restart(ctx context.Context) error
	Status() AppStatus
}

// AppStatus is what [RestartHandler] reports of the app after a restart.
type AppStatus struct {
	PID      int
	Restarts int
}

// restartWait bounds how long POST /v1/app/restart waits for the new
// process to be ready.
const restartWait = 2 * time.Minute

// RestartHandler serves POST /v1/app/restart: it restarts the app (stop
// signal, grace period, start) and answers {"pid", "restarts"} once the new
// process is ready, or 503 with why. Mount it behind the admin token; the
// console adds its session and CSRF checks, as for every state change.
func RestartHandler(app AppRestarter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), restartWait)
		defer cancel()
		if err := app.Restart(ctx); err != nil {
			msg := "the app did not restart: " + err.Error()
			if errors.Is(err, context.DeadlineExceeded) {
				msg = "the app was restarted but is not ready after " + restartWait.String() + ": see the App page's last exit and log lines"
			}
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": msg})
			return
		}
		s := app.Status()
		writeJSON(w, http.StatusOK, map[string]int{"pid": s.PID, "restarts": s.Restarts})
	})
}
