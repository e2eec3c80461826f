package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/guard"
)

func newStatus() *cobra.Command {
	var configPath, addr, tokenFile string
	var asJSON, runs, watches bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the whole gateway at a glance: traffic, blocks, bans, the app, advisories, sinks",
		Long: `Ask a running "bulwark guard" over its admin listener what it is doing:
requests served and refused (blocked, from banned clients, rate-limited), the
bans in force, the supervised app's state (pid, uptime, restarts, last exit,
health), the advisories bulwark audit --monitor found open, and the sinks'
backlog.

The admin address and token come from the configuration (--config, else
$BULWARK_CONFIG): admin.listen, and admin.token or the token file guard wrote
(admin.tokenFile, default bulwark-admin.token in the state directory).
BULWARK_ADMIN_TOKEN, --admin and --token-file override them.

With --run, the apps "bulwark run" keeps running instead: each writes its
app's state to the state directory at every change. With --watch, what each
running "bulwark watch" has read (logins, failures) and banned. It writes
nothing.`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if watches {
				dir, err := stateDir()
				if err != nil {
					return usageError{err}
				}
				st := readWatchStatuses(dir)
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), orEmpty(st))
				}
				printWatchStatuses(cmd.OutOrStdout(), st, dir, time.Now(), paletteFor(cmd, cmd.OutOrStdout()))
				return nil
			}
			if runs {
				dir, err := stateDir()
				if err != nil {
					return usageError{err}
				}
				st := readRunStatuses(dir, time.Now())
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), orEmpty(st))
				}
				printRunStatuses(cmd.OutOrStdout(), st, dir, paletteFor(cmd, cmd.OutOrStdout()))
				return nil
			}
			a, err := adminTarget(configPath, addr, tokenFile)
			if err != nil {
				return err
			}
			st, err := fetchGatewayStatus(cmd.Context(), a)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), st)
			}
			printGatewayStatus(cmd.OutOrStdout(), st, paletteFor(cmd, cmd.OutOrStdout()))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	f.StringVar(&addr, "admin", "", `the guard's admin address (default admin.listen, "127.0.0.1:9090")`)
	f.StringVar(&tokenFile, "token-file", "", "file holding the admin token (default admin.tokenFile)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&watches, "watch", false, "the running bulwark watch processes (logins read and failed, bans), instead of a guard")
	f.BoolVar(&runs, "run", false, "the apps bulwark run keeps running (their status files in the state directory), instead of a guard")
	return cmd
}

// An admin is a running guard's admin listener and its token.
type admin struct {
	addr, token string
}

// adminTarget finds the admin address and token: flags, then
// BULWARK_ADMIN_TOKEN, then the configuration and its defaults. It reads
// the token file and creates nothing.
func adminTarget(configPath, addr, tokenFile string) (admin, error) {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return admin{}, err
	}
	cfg = cfg.withDefaults()
	a := admin{addr: cmp.Or(addr, cfg.Admin.Listen), token: os.Getenv("BULWARK_ADMIN_TOKEN")}
	if a.token == "" && tokenFile == "" {
		a.token = cfg.Admin.Token.Reveal()
	}
	if a.token == "" {
		tokenFile = cmp.Or(tokenFile, cfg.Admin.TokenFile)
		if tokenFile == "" {
			return a, usagef("no admin token: set BULWARK_ADMIN_TOKEN or give --token-file (%v)", cfg.stateErr)
		}
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return a, usagef("no admin token: set BULWARK_ADMIN_TOKEN or give --token-file (none at %s: is guard running with this state directory or --config?)", absPath(tokenFile))
		}
		a.token = strings.TrimSpace(string(b))
	}
	return a, nil
}

// get fetches path from the admin listener: its body (at most 4 MiB) and
// status code.
func (a admin) get(ctx context.Context, path string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+a.addr+path, nil)
	if err != nil {
		return nil, 0, usagef("--admin %q: %v", a.addr, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("asking guard at %s: %w (is it running, with --admin %s?)", a.addr, err, a.addr)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, 0, fmt.Errorf("reading guard's answer to %s: %w", path, err)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return nil, 0, fmt.Errorf("guard at %s refused the admin token", a.addr)
	}
	return raw, resp.StatusCode, nil
}

// gatewayStatus is what status prints, and its --json.
type gatewayStatus struct {
	Admin    string `json:"admin"`
	Requests struct {
		Total          int64 `json:"total"`
		Blocked        int64 `json:"blocked"`     // 403: refused by a rule
		Banned         int64 `json:"banned"`      // refused because the client is banned
		RateLimited    int64 `json:"rateLimited"` // 429
		UpstreamErrors int64 `json:"upstreamErrors"`
	} `json:"requests"`
	BansInForce *int             `json:"bansInForce"` // nil: the gateway keeps no black book
	App         *guard.AppStatus `json:"app"`         // nil: no app supervised
	Advisories  *advisories      `json:"advisories"`  // nil: nothing audited
	Sinks       []sinkBacklog    `json:"sinks"`
}

type advisories struct {
	Open   int            `json:"open"`
	Counts map[string]int `json:"counts"` // by severity
}

type sinkBacklog struct {
	Name         string `json:"name"`
	BacklogBytes int64  `json:"backlogBytes"`
	HeldEvents   int64  `json:"heldEvents"`
	Dropped      int64  `json:"dropped"`
}

// fetchGatewayStatus asks the admin listener for each part; a part the
// gateway does not have (no app, no audit) is left nil.
func fetchGatewayStatus(ctx context.Context, a admin) (gatewayStatus, error) {
	st := gatewayStatus{Admin: a.addr, Sinks: []sinkBacklog{}}
	raw, code, err := a.get(ctx, "/metrics")
	if err != nil {
		return st, err
	}
	if code != http.StatusOK {
		return st, fmt.Errorf("guard at %s answered /metrics with %d", a.addr, code)
	}
	m := parseMetrics(bytes.NewReader(raw))
	r := &st.Requests
	r.Total = int64(sum(m, "bulwark_http_requests_total", nil))
	r.Blocked = int64(sum(m, "bulwark_http_requests_total", map[string]string{"code": "403"}))
	r.RateLimited = int64(sum(m, "bulwark_http_requests_total", map[string]string{"code": "429"}))
	r.Banned = int64(sum(m, "bulwark_banned_requests_total", nil))
	r.UpstreamErrors = int64(sum(m, "bulwark_upstream_errors_total", nil))
	sinks := map[string]*sinkBacklog{}
	for _, s := range m {
		name, ok := s.labels["sink"]
		if !ok || !strings.HasPrefix(s.name, "bulwark_ship_") {
			continue
		}
		b := sinks[name]
		if b == nil {
			b = &sinkBacklog{Name: name}
			sinks[name] = b
		}
		switch s.name {
		case "bulwark_ship_backlog_bytes":
			b.BacklogBytes = int64(s.value)
		case "bulwark_ship_spool_held_events":
			b.HeldEvents = int64(s.value)
		case "bulwark_ship_events_dropped_total":
			b.Dropped = int64(s.value)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sinks)) {
		st.Sinks = append(st.Sinks, *sinks[name])
	}

	if raw, code, err = a.get(ctx, "/v1/bans?active=true&limit=100000"); err != nil {
		return st, err
	} else if code == http.StatusOK {
		var b struct {
			Bans []json.RawMessage `json:"bans"`
		}
		if json.Unmarshal(raw, &b) == nil {
			n := len(b.Bans)
			st.BansInForce = &n
		}
	}
	if raw, code, err = a.get(ctx, "/v1/app"); err != nil {
		return st, err
	} else if code == http.StatusOK {
		var app guard.AppStatus
		if err := json.Unmarshal(raw, &app); err != nil {
			return st, fmt.Errorf("guard's answer is not an app status: %w", err)
		}
		st.App = &app
	}
	if raw, code, err = a.get(ctx, "/v1/audit"); err != nil {
		return st, err
	} else if code == http.StatusOK {
		var adv advisories
		if json.Unmarshal(raw, &adv) == nil {
			st.Advisories = &adv
		}
	}
	return st, nil
}

// printGatewayStatus writes the status for a person: the gateway's
// numbers, then the app's own block.
func printGatewayStatus(w io.Writer, st gatewayStatus, p palette) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	r := st.Requests
	row := func(label, text string) { fmt.Fprintf(tw, "%s\t%s\n", p.bold(label), text) }
	row("gateway", p.green("up")+" (admin "+st.Admin+")")
	refused := fmt.Sprintf("%d blocked, %d from banned clients, %d rate-limited", r.Blocked, r.Banned, r.RateLimited)
	if r.Blocked+r.Banned+r.RateLimited > 0 {
		refused = p.yellow(refused)
	}
	row("requests", fmt.Sprintf("%d since start: %s, %d upstream %s", r.Total, refused, r.UpstreamErrors,
		plural(int(r.UpstreamErrors), "error", "errors")))
	bans := "no black book"
	if st.BansInForce != nil {
		bans = fmt.Sprintf("%d in force", *st.BansInForce)
	}
	row("bans", bans)
	app := "none supervised (guard --run starts one)"
	if a := st.App; a != nil {
		app = p.red(string(a.State))
		if a.State == "ready" || a.State == "running" {
			app = p.green(string(a.State))
		}
		if a.PID != 0 {
			app += fmt.Sprintf(", pid %d, up %s", a.PID, secs(float64(a.UptimeSeconds)))
		}
		app += fmt.Sprintf(", %d %s", a.Restarts, plural(a.Restarts, "restart", "restarts"))
	}
	row("app", app)
	adv := "none recorded (bulwark audit --monitor records them)"
	if a := st.Advisories; a != nil {
		adv = fmt.Sprintf("%d open", a.Open)
		var parts []string
		for _, sev := range []string{"critical", "high", "medium", "low", "unknown"} {
			if n := a.Counts[sev]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, sev))
			}
		}
		if len(parts) > 0 {
			adv += " (" + strings.Join(parts, ", ") + ")"
		}
		if a.Open > 0 {
			adv = p.yellow(adv)
		}
	}
	row("advisories", adv)
	if len(st.Sinks) == 0 {
		row("sinks", "none configured")
	}
	for i, s := range st.Sinks {
		label := ""
		if i == 0 {
			label = "sinks"
		}
		line := fmt.Sprintf("%s: %s backlog, %d held in memory, %d dropped", s.Name, sizeText(s.BacklogBytes), s.HeldEvents, s.Dropped)
		if s.BacklogBytes > 0 || s.Dropped > 0 {
			line = p.yellow(line)
		}
		row(label, line)
	}
	tw.Flush()
	if st.App != nil {
		fmt.Fprintf(w, "\n%s\n", p.bold("app"))
		printStatus(w, *st.App)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sizeText writes a byte count as bulwark.yaml does: 0 B, 12KiB, 3MiB.
func sizeText(n int64) string {
	if n == 0 {
		return "0 B"
	}
	return config.Size(n).String()
}
