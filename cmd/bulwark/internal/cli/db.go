package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/bulwark-sec/bulwark/audit"
	"github.com/bulwark-sec/bulwark/audit/nodejs"
	"github.com/bulwark-sec/bulwark/audit/osv"
	"github.com/bulwark-sec/bulwark/internal/sqlite"
)

// defaultOSVDB is the advisory database's file name, in the cache
// directory (see [defaultAdvisoryDB]).
const defaultOSVDB = "bulwark-osv.db"

// dbPathFlag adds --db to cmd, defaulting to $BULWARK_OSV_DB or
// bulwark-osv.db in the cache directory.
func dbPathFlag(cmd *cobra.Command, p *string, persistent bool) {
	def := defaultAdvisoryDB()
	fs := cmd.Flags()
	if persistent {
		fs = cmd.PersistentFlags()
	}
	fs.StringVar(p, "db", def, "the advisory database (env BULWARK_OSV_DB)")
}

// openAdvisoryDB opens (creating if asked) the advisory database, with
// the monitor's snapshot table in the same file.
func openAdvisoryDB(ctx context.Context, path string, create bool) (*osv.DB, *sqlite.DB, error) {
	if !create {
		if _, err := os.Stat(path); err != nil {
			return nil, nil, usagef("no advisory database at %s: run bulwark db import PATH or bulwark db update", absPath(path))
		}
	} else if dir, err := cacheDir(); err == nil && filepath.Dir(path) == dir {
		if err := makeStateDir(dir); err != nil { // the default place, made on first use
			return nil, nil, err
		}
	}
	store, err := sqlite.Open(ctx, path, sqlite.Migrations{"osv": osv.Migrations, "audit_monitor": audit.MonitorMigrations})
	if err != nil {
		return nil, nil, usagef("opening the advisory database %s: %w (is it a bulwark db file?)", path, err)
	}
	return osv.New(store), store, nil
}

// newDB is "bulwark db": the local copy of the OSV advisories.
func newDB() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Import, update and inspect the local OSV advisory database",
		Long: `bulwark audit matches lockfiles against a local copy of the OSV advisories
(https://osv.dev), kept in one SQLite file (--db, default bulwark-osv.db in the cache directory: $BULWARK_HOME, else $XDG_CACHE_HOME/bulwark).
Fill it from files (import) or by downloading osv.dev's per-ecosystem
all.zip files (update, the only command that uses the network).`,
		Example: `  bulwark db import npm-all.zip ./vulndb        # zips, OSV JSON directories, the Go vulndb layout
  bulwark db update npm Go                      # download https://osv-vulnerabilities.storage.googleapis.com/{npm,Go}/all.zip
  bulwark db info --json`,
		Args: maxArgs(0),
	}
	dbPathFlag(cmd, &dbPath, true)

	importCmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import advisories from zips (osv.dev's all.zip), directories of OSV JSON (the Go vulndb layout too) or of Node.js core advisories",
		Long: `Import advisories from osv.dev's per-ecosystem all.zip files, directories of OSV
JSON files (the Go vulnerability database layout too), and the Node.js Security
Working Group's advisories on Node.js itself: a checkout of nodejs/security-wg
(vuln/core/N.json) or a directory of N.json files, with the release schedule
(nodejs/Release schedule.json) beside them when present. Each path is imported
in one transaction: a bad file changes nothing and is named.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("import takes at least one zip or directory (see %s --help)", c.CommandPath())
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			for _, p := range args {
				if _, err := os.Stat(p); err != nil {
					return usagef("import: %v", err)
				}
			}
			db, store, err := openAdvisoryDB(c.Context(), dbPath, true)
			if err != nil {
				return err
			}
			defer store.Close()
			out := c.OutOrStdout()
			for _, p := range args {
				if nodejs.IsCoreDir(p) {
					if err := importNodeCore(c.Context(), db, p, out); err != nil {
						return err
					}
					continue
				}
				st, err := db.Import(c.Context(), p)
				if err != nil {
					return fmt.Errorf("importing %s (nothing of it was imported): %w", p, err)
				}
				fmt.Fprintf(out, "%s: %d advisories (%d new, %d updated, %d unchanged, %d older ignored)\n",
					p, st.Total(), st.Added, st.Updated, st.Unchanged, st.Older)
			}
			return nil
		},
	}

	var offline bool
	var baseURL, nodeIndexURL, nodeScheduleURL string
	var timeout time.Duration
	update := &cobra.Command{
		Use:   "update [ECOSYSTEM...]",
		Short: "Download osv.dev's all.zip of each ecosystem (default: those in the database, else npm and Go)",
		Long: `Download {base-url}/{ECOSYSTEM}/all.zip for each ecosystem and import it. The
next update sends the ETag and Last-Modified back, so an unchanged zip is not
downloaded again. Ecosystems are spelled as OSV does: npm, Go, PyPI,
crates.io, RubyGems, Packagist. Node.js (the runtime itself) is fetched from
the Security Working Group's index.json and the release schedule instead
(--nodejs-index-url, --nodejs-schedule-url). With --offline nothing is
downloaded: import zips with bulwark db import instead.`,
		RunE: func(c *cobra.Command, args []string) error {
			if offline {
				return usageError{fmt.Errorf("db update --offline: %w", osv.ErrOffline)}
			}
			if timeout <= 0 {
				return usagef("--timeout: must be positive, got %s", timeout)
			}
			db, store, err := openAdvisoryDB(c.Context(), dbPath, true)
			if err != nil {
				return err
			}
			defer store.Close()
			ecosystems := args
			if len(ecosystems) == 0 {
				info, err := db.Info(c.Context())
				if err != nil {
					return err
				}
				ecosystems = slices.Sorted(maps.Keys(info.ByEcosystem))
				if len(ecosystems) == 0 {
					ecosystems = []string{"npm", "Go", nodejs.Ecosystem}
				}
			}
			client := &http.Client{Timeout: timeout}
			out := c.OutOrStdout()
			withNode := slices.Contains(ecosystems, nodejs.Ecosystem)
			ecosystems = slices.DeleteFunc(ecosystems, func(e string) bool { return e == nodejs.Ecosystem })
			if withNode {
				d, err := nodejs.Fetch(c.Context(), client, nodeIndexURL, nodeScheduleURL)
				if err != nil {
					return fmt.Errorf("db update: %w", err)
				}
				st, err := nodejs.Import(c.Context(), db, d)
				if err != nil {
					return fmt.Errorf("db update: Node.js (nothing of it was imported): %w", err)
				}
				fmt.Fprintf(out, "%s: %d advisories (%d new, %d updated, %d unchanged) and the release schedule\n",
					nodejs.Ecosystem, st.Total(), st.Added, st.Updated, st.Unchanged)
			}
			res, err := db.Update(c.Context(), ecosystems, osv.UpdateOptions{BaseURL: baseURL, Client: client})
			for _, r := range res {
				if r.NotModified {
					fmt.Fprintf(out, "%s: not modified since the last update\n", r.Ecosystem)
					continue
				}
				fmt.Fprintf(out, "%s: %d bytes, %d advisories (%d new, %d updated, %d unchanged)\n",
					r.Ecosystem, r.Bytes, r.Stats.Total(), r.Stats.Added, r.Stats.Updated, r.Stats.Unchanged)
			}
			if err != nil {
				return fmt.Errorf("db update: %w (the ecosystems listed above are imported)", err)
			}
			return nil
		},
	}
	update.Flags().BoolVar(&offline, "offline", false, "refuse to use the network (exits 2)")
	update.Flags().StringVar(&baseURL, "base-url", osv.DefaultBaseURL, "where {ECOSYSTEM}/all.zip are published")
	update.Flags().StringVar(&nodeIndexURL, "nodejs-index-url", nodejs.DefaultIndexURL, "the Node.js Security WG's vuln/core/index.json")
	update.Flags().StringVar(&nodeScheduleURL, "nodejs-schedule-url", nodejs.DefaultScheduleURL, "the Node.js release schedule.json")
	update.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "overall time allowed per download")

	var asJSON bool
	info := &cobra.Command{
		Use: "info", Short: "Count the advisories per ecosystem and list the downloaded sources", Args: maxArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			db, store, err := openAdvisoryDB(c.Context(), dbPath, false)
			if err != nil {
				return err
			}
			defer store.Close()
			in, err := db.Info(c.Context())
			if err != nil {
				return err
			}
			return printDBInfo(c.OutOrStdout(), dbPath, in, asJSON)
		},
	}
	info.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	cmd.AddCommand(importCmd, update, info)
	return cmd
}

// importNodeCore imports a directory of Node.js core advisories and the
// release schedule beside them.
func importNodeCore(ctx context.Context, db *osv.DB, dir string, out io.Writer) error {
	d, err := nodejs.ReadDir(dir)
	if err != nil {
		return usageError{fmt.Errorf("importing %s (nothing of it was imported): %w", dir, err)}
	}
	st, err := nodejs.Import(ctx, db, d)
	if err != nil {
		return usageError{fmt.Errorf("importing %s (nothing of it was imported): %w", dir, err)}
	}
	sched := "no schedule.json beside them: end of life will be unknown"
	if d.Schedule != nil {
		sched = "and the release schedule"
	}
	fmt.Fprintf(out, "%s: %d Node.js core advisories (%d new, %d updated, %d unchanged) %s\n",
		dir, st.Total(), st.Added, st.Updated, st.Unchanged, sched)
	return nil
}

func printDBInfo(w io.Writer, path string, in osv.Info, asJSON bool) error {
	if asJSON {
		type source struct {
			URL          string `json:"url"`
			ETag         string `json:"etag,omitempty"`
			LastModified string `json:"lastModified,omitempty"`
			Fetched      string `json:"fetched,omitempty"`
		}
		doc := struct {
			Path        string         `json:"path"`
			Entries     int            `json:"entries"`
			Withdrawn   int            `json:"withdrawn"`
			ByEcosystem map[string]int `json:"byEcosystem"`
			Sources     []source       `json:"sources"`
		}{Path: path, Entries: in.Entries, Withdrawn: in.Withdrawn, ByEcosystem: in.ByEcosystem, Sources: []source{}}
		if doc.ByEcosystem == nil {
			doc.ByEcosystem = map[string]int{}
		}
		for _, s := range in.Sources {
			doc.Sources = append(doc.Sources, source{s.URL, s.ETag, s.LastModified, s.Fetched})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "database\t%s\n", path)
	fmt.Fprintf(tw, "advisories\t%d (%d withdrawn)\n", in.Entries, in.Withdrawn)
	for _, eco := range slices.Sorted(maps.Keys(in.ByEcosystem)) {
		fmt.Fprintf(tw, "  %s\t%d\n", eco, in.ByEcosystem[eco])
	}
	for _, s := range in.Sources {
		fmt.Fprintf(tw, "source\t%s (fetched %s)\n", s.URL, strings.TrimSpace(s.Fetched))
	}
	return tw.Flush()
}
