package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/internal/sqlite"
	"github.com/bulwark-sec/bulwark/routes"
)

func newRoutes() *cobra.Command {
	var configPath, openapi, express, format string
	cmd := &cobra.Command{
		Use:   "routes",
		Short: "Show the app's route surface: routes seen, declared, unused, unsecured, new",
		Long: `Show the route surface guard learned from traffic, next to what the app
declares (routes.openapi and routes.express in bulwark.yaml, or --openapi and
--express): every route with its figures — requests, statuses with and without
credentials, attacks, latency — and the findings:

  unused              declared, not called within the retention window
  shadow              called, not declared
  unsecured           answers 2xx without credentials where routes under the
                      same prefix answer 401/403 (or the OpenAPI document
                      says it needs them)
  open-write          changes data and was never called with credentials
  fails-under-attack  answers 5xx to attacks more than to other requests
  error-leak          showed a database error or stack trace to an attack

With no store yet, it lists the declared routes: "bulwark routes --express
server.js" prints an Express app's routes (loaded in Node, never listening).`,
		Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			switch format {
			case "table", "json", "markdown":
			default:
				return usagef("--format %q: give table, json or markdown", format)
			}
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			cfg = cfg.withDefaults()
			rc := cfg.Routes
			if openapi != "" {
				rc.OpenAPI = openapi
			}
			if express != "" {
				rc.Express = express
			}
			declared, err := routes.LoadDeclared(c.Context(), rc)
			if err != nil {
				return usageError{err}
			}
			var seen []routes.Route
			since := time.Time{}
			if cfg.storeExists() {
				db, err := sqlite.Open(c.Context(), cfg.Store.Path, migrations)
				if err != nil {
					return err
				}
				seen, since, err = routes.ReadStore(c.Context(), db.DB)
				db.Close()
				if err != nil {
					return err
				}
			}
			rep := routes.Analyze(seen, declared, since)
			out := c.OutOrStdout()
			switch format {
			case "json":
				return writeJSON(out, rep)
			case "markdown":
				return printRoutesMarkdown(out, rep)
			}
			return printRoutes(out, rep, !since.IsZero())
		},
	}
	f := cmd.Flags()
	cmd.PersistentFlags().StringVarP(&configPath, "config", "c", os.Getenv("BULWARK_CONFIG"), "configuration file (env BULWARK_CONFIG)")
	f.StringVar(&openapi, "openapi", "", "the app's OpenAPI 3.0/3.1 document (overrides routes.openapi)")
	f.StringVar(&express, "express", "", "the app's Express script, e.g. server.js (overrides routes.express)")
	f.StringVar(&format, "format", "table", "table, json or markdown")
	f.Bool("json", false, "same as --format json")
	f.Bool("markdown", false, "same as --format markdown")
	cmd.AddCommand(newRoutesFields(&configPath))
	cmd.PreRunE = func(c *cobra.Command, _ []string) error {
		j, _ := c.Flags().GetBool("json")
		m, _ := c.Flags().GetBool("markdown")
		switch {
		case j && m:
			return usagef("--json and --markdown: choose one")
		case j:
			format = "json"
		case m:
			format = "markdown"
		}
		return nil
	}
	return cmd
}

// routeRow is a line of the table: a route seen, or a declared one never
// called.
type routeRow struct {
	method, template, declared                 string
	requests, ok, client, server, creds, anon2 string
	attacks, p50, p99, last                    string
}

func rowsOf(rep routes.Report) []routeRow {
	var rows []routeRow
	for _, r := range rep.Routes {
		creds := "-"
		if r.Requests > 0 {
			creds = fmt.Sprintf("%d%%", r.WithCredentials*100/r.Requests)
		}
		rows = append(rows, routeRow{
			method: r.Method, template: r.Template, declared: yesNo(r.Declared),
			requests: fmt.Sprint(r.Requests), ok: fmt.Sprint(r.Status[2] + r.Status[3]),
			client: fmt.Sprint(r.Status[4]), server: fmt.Sprint(r.Status[5]),
			creds: creds, anon2: fmt.Sprint(r.Anonymous[2]), attacks: fmt.Sprint(r.Attacks),
			p50: fmt.Sprintf("%.1f", r.P50), p99: fmt.Sprintf("%.1f", r.P99),
			last: r.LastSeen.UTC().Format("2006-01-02 15:04"),
		})
	}
	listed := map[string]bool{}
	for _, r := range rep.Routes {
		listed[r.Method+" "+r.Template] = true
	}
	for _, d := range rep.Unused {
		if listed[d.Method+" "+d.Template] {
			continue // shown with its refused attacks above
		}
		rows = append(rows, routeRow{method: d.Method, template: d.Template, declared: "yes",
			requests: "0", ok: "-", client: "-", server: "-", creds: "-", anon2: "-", attacks: "-", p50: "-", p99: "-", last: "never"})
	}
	return rows
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var routeHeader = []string{"METHOD", "TEMPLATE", "DECLARED", "REQUESTS", "2XX/3XX", "4XX", "5XX", "WITH CREDS", "ANON 2XX", "ATTACKS", "P50 MS", "P99 MS", "LAST SEEN"}

func (r routeRow) cells() []string {
	return []string{r.method, r.template, r.declared, r.requests, r.ok, r.client, r.server, r.creds, r.anon2, r.attacks, r.p50, r.p99, r.last}
}

func printRoutes(out io.Writer, rep routes.Report, sawTraffic bool) error {
	rows := rowsOf(rep)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(out, "No routes yet: guard learns them from the traffic it passes; give --express or --openapi to list what the app declares.")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(routeHeader, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !sawTraffic {
		fmt.Fprintln(out, "\nNo traffic seen yet: the routes above are the declared ones.")
		return nil
	}
	if len(rep.Findings) == 0 {
		_, err := fmt.Fprintln(out, "\nNo findings.")
		return err
	}
	fmt.Fprintf(out, "\n%d finding(s):\n", len(rep.Findings))
	for _, f := range rep.Findings {
		fmt.Fprintf(out, "  %-18s %s %s: %s\n", f.Kind, f.Method, f.Template, f.Detail)
	}
	return nil
}

func printRoutesMarkdown(out io.Writer, rep routes.Report) error {
	fmt.Fprintf(out, "| %s |\n|%s\n", strings.Join(routeHeader, " | "), strings.Repeat("---|", len(routeHeader)))
	for _, r := range rowsOf(rep) {
		cells := r.cells()
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintf(out, "| %s |\n", strings.Join(cells, " | "))
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintf(out, "\n## Findings\n\n")
		for _, f := range rep.Findings {
			fmt.Fprintf(out, "- **%s** `%s %s`: %s\n", f.Kind, f.Method, f.Template, f.Detail)
		}
	}
	return nil
}

func newRoutesFields(configPath *string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "fields [METHOD] TEMPLATE",
		Short: "Show the learned types of a route's fields",
		Long: `Show what each field of a route was seen to hold — integer, uuid, slug,
email, url, date, text, rich text, password… — as guard learned it from
requests that passed inspection clean: the type needs 20 values from 5
clients. "bulwark routes fields /api/articles/{slug}" shows every method of the
template; "bulwark routes fields POST /api/articles" one.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usagef("give a route: [METHOD] TEMPLATE, e.g. POST /api/articles")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			method, tmpl := "", args[len(args)-1]
			if len(args) == 2 {
				method = strings.ToUpper(args[0])
			}
			cfg, err := loadConfig(*configPath)
			if err != nil {
				return err
			}
			cfg = cfg.withDefaults()
			if !cfg.storeExists() {
				return fmt.Errorf("no traffic seen yet: no store at %s", absPath(cfg.Store.Path))
			}
			db, err := sqlite.Open(c.Context(), cfg.Store.Path, migrations)
			if err != nil {
				return err
			}
			seen, _, err := routes.ReadStore(c.Context(), db.DB)
			db.Close()
			if err != nil {
				return err
			}
			var found []routes.Route
			for _, r := range seen {
				if r.Template == tmpl && (method == "" || r.Method == method) {
					found = append(found, r)
				}
			}
			if len(found) == 0 {
				return fmt.Errorf("no route %s%s seen; bulwark routes lists them", strings.TrimSpace(method+" "), tmpl)
			}
			out := c.OutOrStdout()
			if asJSON {
				return writeJSON(out, found)
			}
			for _, r := range found {
				fmt.Fprintf(out, "%s %s\n", r.Method, r.Template)
				if len(r.Fields) == 0 {
					fmt.Fprintln(out, "  no fields seen")
					continue
				}
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "  FIELD\tTYPE\tVALUES\tCLIENTS\tMAX LEN\tSEEN AS")
				for _, where := range slices.Sorted(maps.Keys(r.Fields)) {
					p := r.Fields[where]
					t := string(p.Type)
					if t == "" {
						t = "(learning)"
					}
					var n uint64
					var seenAs []string
					for _, ft := range slices.Sorted(maps.Keys(p.Counts)) {
						n += p.Counts[ft]
						seenAs = append(seenAs, fmt.Sprintf("%s %d", ft, p.Counts[ft]))
					}
					fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%s\n", where, t, n, p.Clients, p.MaxLen, strings.Join(seenAs, ", "))
				}
				tw.Flush()
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the routes with their field profiles as JSON")
	return cmd
}
