package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/guard"
)

func newStatus() *cobra.Command {
	var admin, tokenFile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the state of the app a running guard --run supervises",
		Long: `Ask a running "bulwark guard --run" for its app's state over the admin
listener: pid, uptime, restarts, last exit, backoff and health. The admin token
comes from BULWARK_ADMIN_TOKEN or --token-file (default bulwark-admin.token,
the file guard writes next to its store).`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			token := os.Getenv("BULWARK_ADMIN_TOKEN")
			if token == "" {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return usagef("no admin token: set BULWARK_ADMIN_TOKEN or give --token-file (%v)", err)
				}
				token = strings.TrimSpace(string(b))
			}
			st, raw, err := fetchStatus(cmd.Context(), admin, token)
			if err != nil {
				return err
			}
			if asJSON {
				_, err = cmd.OutOrStdout().Write(raw)
				return err
			}
			printStatus(cmd.OutOrStdout(), st)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&admin, "admin", "127.0.0.1:9090", "the guard's admin address")
	f.StringVar(&tokenFile, "token-file", "bulwark-admin.token", "file holding the admin token")
	f.BoolVar(&asJSON, "json", false, "print the JSON the admin listener returned")
	return cmd
}

func fetchStatus(ctx context.Context, admin, token string) (guard.AppStatus, []byte, error) {
	var st guard.AppStatus
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+admin+"/v1/app", nil)
	if err != nil {
		return st, nil, usagef("--admin %q: %v", admin, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return st, nil, fmt.Errorf("asking guard at %s: %w (is it running, with --admin %s?)", admin, err, admin)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return st, nil, fmt.Errorf("reading guard's answer: %w", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return st, nil, fmt.Errorf("guard at %s refused the admin token", admin)
	case http.StatusNotFound:
		return st, nil, fmt.Errorf("guard at %s supervises no app (start it with guard --run)", admin)
	default:
		return st, nil, fmt.Errorf("guard at %s answered %s", admin, resp.Status)
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, nil, fmt.Errorf("guard's answer is not a status: %w", err)
	}
	return st, raw, nil
}

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
