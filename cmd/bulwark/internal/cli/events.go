package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// newEvents is "bulwark events": the events a running guard recorded,
// queried and followed over its admin listener with the console's
// filters.
func newEvents() *cobra.Command {
	var configPath, addr, tokenFile string
	var f eventFilter
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List and follow the events a running guard records",
		Long: `Query (list) or follow (tail) the events a running "bulwark guard" records,
with the console's filters, over its admin listener. The admin address and
token are found as bulwark status finds them (--config, BULWARK_ADMIN_TOKEN,
--admin, --token-file). One line per event on a terminal; --json prints the
ECS events themselves (list: a JSON array, tail: one per line).`,
		Example: `  bulwark events list --category malicious --since 1h
  bulwark events list --ip 203.0.113.9 --json
  bulwark events tail --class sqli`,
		Args: maxArgs(0),
	}
	pf := cmd.PersistentFlags()
	pf.StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	pf.StringVar(&addr, "admin", "", `the guard's admin address (default admin.listen, "127.0.0.1:9090")`)
	pf.StringVar(&tokenFile, "token-file", "", "file holding the admin token (default admin.tokenFile)")
	f.flags(cmd)

	var limit int
	list := &cobra.Command{
		Use: "list", Short: "List recorded events, newest first", Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			q, err := f.query(time.Now())
			if err != nil {
				return err
			}
			if limit < 1 || limit > 1000 {
				return usagef("--limit: want 1 to 1000, got %d", limit)
			}
			q.Set("limit", strconv.Itoa(limit))
			a, err := adminTarget(configPath, addr, tokenFile)
			if err != nil {
				return err
			}
			raw, code, err := a.get(c.Context(), "/v1/events?"+q.Encode())
			if err != nil {
				return err
			}
			if err := answerError(a, "/v1/events", raw, code); err != nil {
				return err
			}
			var body struct {
				Events []json.RawMessage `json:"events"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				return fmt.Errorf("guard's answer is not a list of events: %w", err)
			}
			out := c.OutOrStdout()
			if f.json {
				return writeJSON(out, orEmpty(body.Events))
			}
			if len(body.Events) == 0 {
				_, err := fmt.Fprintln(out, "no events")
				return err
			}
			p := paletteFor(c, out)
			for _, e := range body.Events {
				printEventLine(out, e, p)
			}
			return nil
		},
	}
	list.Flags().IntVar(&limit, "limit", 100, "at most this many events (1 to 1000)")

	tail := &cobra.Command{
		Use: "tail", Short: "Print events as the guard records them, until Ctrl-C", Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			q, err := f.query(time.Now())
			if err != nil {
				return err
			}
			a, err := adminTarget(configPath, addr, tokenFile)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			out := c.OutOrStdout()
			p := paletteFor(c, out)
			err = a.stream(ctx, "/v1/events/stream?"+q.Encode(), func(e json.RawMessage) error {
				if f.json {
					_, err := fmt.Fprintf(out, "%s\n", e)
					return err
				}
				printEventLine(out, e, p)
				return nil
			})
			if ctx.Err() != nil {
				return nil // Ctrl-C: the end asked for
			}
			return err
		},
	}
	cmd.AddCommand(list, tail)
	return cmd
}

// eventFilter holds the console's filters as flags.
type eventFilter struct {
	category, action, class, rule, ip, net, user, path, since string
	json                                                      bool
}

func (f *eventFilter) flags(cmd *cobra.Command) {
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.category, "category", "", "event.category: malicious, authentication, web, network, configuration…")
	pf.StringVar(&f.action, "action", "", "event.action, e.g. attack-blocked, ban, login-failed")
	pf.StringVar(&f.class, "class", "", "attack class: sqli, xss, traversal…")
	pf.StringVar(&f.rule, "rule", "", "rule id, e.g. bw-sqli-001")
	pf.StringVar(&f.ip, "ip", "", "source address")
	pf.StringVar(&f.net, "net", "", "source network: an IPv4 /24 or IPv6 /48")
	pf.StringVar(&f.user, "user", "", "user name")
	pf.StringVar(&f.path, "path", "", "part of url.path")
	pf.StringVar(&f.since, "since", "", "only events this recent (30m, 2h, 7d) or after a time (RFC 3339)")
	pf.BoolVar(&f.json, "json", false, "print the ECS events as JSON")
}

// query is the filter as the admin API's query string; the API checks
// every value and answers what is wrong with it.
func (f eventFilter) query(now time.Time) (url.Values, error) {
	q := url.Values{}
	for k, v := range map[string]string{"category": f.category, "action": f.action, "class": f.class, "rule": f.rule,
		"ip": f.ip, "net": f.net, "user": f.user, "path": f.path} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.since != "" {
		if d, err := config.ParseDuration(f.since); err == nil && d > 0 {
			q.Set("since", now.Add(-d).UTC().Format(time.RFC3339))
		} else if _, err := time.Parse(time.RFC3339, f.since); err == nil {
			q.Set("since", f.since)
		} else {
			return nil, usagef("--since: want a duration (30m, 2h, 7d) or an RFC 3339 time, got %q", f.since)
		}
	}
	return q, nil
}

// answerError turns the admin API's refusal into an error: a 400 is a
// bad filter, said by the API.
func answerError(a admin, path string, raw []byte, code int) error {
	switch code {
	case http.StatusOK:
		return nil
	case http.StatusNotFound:
		return fmt.Errorf("guard at %s records no events (%s: not found; is the console off?)", a.addr, path)
	}
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error != "" {
		if code == http.StatusBadRequest {
			return usagef("--%s", e.Error)
		}
		return fmt.Errorf("guard at %s: %s", a.addr, e.Error)
	}
	return fmt.Errorf("guard at %s answered %s with %d", a.addr, path, code)
}

// maxStreamLine bounds one line of the event stream.
const maxStreamLine = 1 << 20

// stream reads the server-sent events at path, calling each with the data
// of every event, until ctx ends or the guard closes the stream.
func (a admin) stream(ctx context.Context, path string, each func(json.RawMessage) error) error {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+a.addr+path, nil)
	if err != nil {
		return usagef("--admin %q: %v", a.addr, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	// No overall timeout: a stream lasts. The connection and the answer's
	// head are bounded; the guard pings every 15s, so a dead one is seen.
	tr := &http.Transport{ResponseHeaderTimeout: 10 * time.Second, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("asking guard at %s: %w (is it running, with --admin %s?)", a.addr, err, a.addr)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if resp.StatusCode == http.StatusUnauthorized {
			return fmt.Errorf("guard at %s refused the admin token", a.addr)
		}
		return answerError(a, "/v1/events/stream", raw, resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 4096), maxStreamLine)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue // "id:", comments (pings) and blank lines
		}
		if err := each(json.RawMessage(data)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("reading guard's events: %w", err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.New("guard closed the event stream (stopped?)")
}

// printEventLine writes one event for a person:
//
//	18:25:47  high    attack-blocked  203.0.113.66  GET /search  bw-sqli-001  blocked sqli in query:q
func printEventLine(w io.Writer, raw json.RawMessage, p palette) {
	var e event.Event
	if err := json.Unmarshal(raw, &e); err != nil {
		fmt.Fprintf(w, "%s\n", raw)
		return
	}
	sev := fmt.Sprintf("%-8s", e.Severity)
	switch {
	case e.Severity >= event.SeverityHigh:
		sev = p.red(sev)
	case e.Severity >= event.SeverityMedium:
		sev = p.yellow(sev)
	default:
		sev = p.plain(sev)
	}
	parts := []string{e.Time.Local().Format(time.TimeOnly), sev, fmt.Sprintf("%-16s", e.Action)}
	if e.SourceIP.IsValid() {
		parts = append(parts, e.SourceIP.String())
	}
	if e.UserName != "" {
		parts = append(parts, "user:"+e.UserName)
	}
	if e.Method != "" || e.Path != "" {
		parts = append(parts, strings.TrimSpace(e.Method+" "+e.Path))
	}
	if e.RuleID != "" {
		parts = append(parts, e.RuleID)
	}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	fmt.Fprintln(w, strings.Join(parts, "  "))
}
