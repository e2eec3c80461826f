package cli

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/bulwark-sec/bulwark/guard"
)

// printStatus writes the supervised app's state: the app block of
// bulwark status.
func printStatus(w io.Writer, st guard.AppStatus) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "state\t%s\n", st.State)
	if st.PID != 0 {
		fmt.Fprintf(tw, "pid\t%d\n", st.PID)
		fmt.Fprintf(tw, "uptime\t%s\n", (time.Duration(st.UptimeSeconds) * time.Second).String())
	}
	fmt.Fprintf(tw, "restarts\t%d\n", st.Restarts)
	fmt.Fprintf(tw, "failures in a row\t%d\n", st.Failures)
	if e := st.LastExit; e != nil {
		how := fmt.Sprintf("code %d", e.Code)
		if e.Signal != "" {
			how = "signal " + e.Signal
		}
		why := e.Reason
		if e.Detail != "" {
			why += ": " + e.Detail
		}
		fmt.Fprintf(tw, "last exit\t%s (%s) at %s\n", how, why, e.At.Format(time.RFC3339))
	}
	if st.RetryAt != nil {
		fmt.Fprintf(tw, "next start\t%s\n", st.RetryAt.Format(time.RFC3339))
	}
	fmt.Fprintf(tw, "health\t%s\n", healthLine(st))
	fmt.Fprintf(tw, "requests\t%d in flight, %d waiting\n", st.InFlight, st.Waiting)
	if st.UnansweredSeconds >= 1 {
		fmt.Fprintf(tw, "no answer\tfor %s to the requests waiting on the app\n", secs(st.UnansweredSeconds))
	}
	tw.Flush()
}

// healthLine says what the app's probe saw last: "ok (200 in 3ms, liveness
// probe)" or "failing: GET /: no answer within 5s (4 in a row, last
// answer 41s ago)".
func healthLine(st guard.AppStatus) string {
	h := st.Health
	switch {
	case st.Healthy == nil:
		return "not checked yet"
	case h == nil: // an older guard
		if *st.Healthy {
			return "ok"
		}
		return "failing: " + st.HealthError
	case h.OK:
		answer := ""
		if h.StatusCode != 0 {
			answer = strconv.Itoa(h.StatusCode) + " "
		}
		return fmt.Sprintf("ok (%sin %s, %s)", answer, time.Duration(h.LatencyMS*float64(time.Millisecond)).Round(10*time.Microsecond), probeName(h.Probe))
	}
	last := "never answered"
	if h.LastOK != nil {
		last = "last answer " + secs(h.Checked.Sub(*h.LastOK).Seconds()) + " before"
	}
	return fmt.Sprintf("failing: %s (%d in a row, %s, %s)", h.Error, h.Failures, last, probeName(h.Probe))
}

func probeName(p string) string {
	if p == "liveness" {
		return "liveness probe"
	}
	return "health check"
}

// secs writes a number of seconds as a duration rounded to the second.
func secs(s float64) string { return (time.Duration(s) * time.Second).String() }
