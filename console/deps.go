package console

import (
	"errors"
	"io/fs"
	"net/http"
	"time"

	"github.com/bulwark-sec/bulwark/update"
)

// DependencyHandler serves the dependency part of the admin API, from
// Options.Audit and Options.Projects:
//
//	GET /v1/audit    {"projects": [{"project", "scanned", "counts", "findings": […]}…], "counts": {"high": N…}, "open": N}
//	                 the last bulwark audit --monitor snapshot of each project; 404 when there is none
//	GET /v1/updates  {"projects": [{"project", "record", "date", "results": […]…}…]}
//	                 the last recorded bulwark update run of each project; 404 when no project is known
//
// Projects are Options.Projects or, without them, the audited ones. It
// does no authentication: mount it behind the admin listener's token.
func (c *Console) DependencyHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/audit", c.serveAudit)
	mux.HandleFunc("GET /v1/updates", c.serveUpdates)
	return mux
}

// auditFinding is one finding of GET /v1/audit.
type auditFinding struct {
	Ecosystem string   `json:"ecosystem"`
	Package   string   `json:"package"`
	Version   string   `json:"version"`
	IDs       []string `json:"ids"`
	Aliases   []string `json:"aliases,omitempty"`
	Summary   string   `json:"summary,omitempty"`
	Severity  string   `json:"severity"`
	Score     float64  `json:"score,omitempty"`
	Fixed     string   `json:"fixed,omitempty"`
}

type auditProject struct {
	Project  string         `json:"project"`
	Scanned  time.Time      `json:"scanned"`
	Counts   map[string]int `json:"counts"`
	Findings []auditFinding `json:"findings"`
}

// noAudit is the answer when no audit source is configured.
const noAudit = "no audit source: set audit.db in bulwark.yaml (the advisory database bulwark audit --monitor writes to)"

func (c *Console) serveAudit(w http.ResponseWriter, r *http.Request) {
	if c.audit == nil {
		writeErr(w, http.StatusNotFound, errors.New(noAudit))
		return
	}
	snaps, err := c.audit.Snapshots(r.Context())
	if errors.Is(err, fs.ErrNotExist) {
		writeErr(w, http.StatusNotFound, err)
		return
	} else if err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	out := struct {
		Projects []auditProject `json:"projects"`
		Counts   map[string]int `json:"counts"`
		Open     int            `json:"open"`
	}{Projects: []auditProject{}, Counts: map[string]int{}}
	for _, s := range snaps {
		p := auditProject{Project: s.Project, Scanned: s.Scanned, Counts: map[string]int{}, Findings: []auditFinding{}}
		for _, f := range s.Findings {
			sev := f.Severity.Level.String()
			p.Counts[sev]++
			out.Counts[sev]++
			out.Open++
			p.Findings = append(p.Findings, auditFinding{Ecosystem: f.Ecosystem, Package: f.Name, Version: f.Version,
				IDs: f.IDs, Aliases: f.Aliases, Summary: f.Summary, Severity: sev, Score: f.Severity.Score, Fixed: f.Fixed})
		}
		out.Projects = append(out.Projects, p)
	}
	writeJSON(w, http.StatusOK, out)
}

// updateResult is one candidate of a run in GET /v1/updates.
type updateResult struct {
	Ecosystem  string   `json:"ecosystem"`
	Name       string   `json:"name"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Kind       string   `json:"kind"`
	Status     string   `json:"status"`
	How        string   `json:"how,omitempty"`
	Keep       bool     `json:"keep"`
	Advisories []string `json:"advisories,omitempty"`
}

type updateRun struct {
	Project  string          `json:"project"`
	Error    string          `json:"error,omitempty"` // why there is no run to show
	Record   string          `json:"record,omitempty"`
	Date     *time.Time      `json:"date,omitempty"`
	Runs     int             `json:"runs"`
	Baseline []string        `json:"baseline,omitempty"` // the tests failed before any update
	Applied  *update.Applied `json:"applied,omitempty"`
	Results  []updateResult  `json:"results"`
}

func (c *Console) serveUpdates(w http.ResponseWriter, r *http.Request) {
	dirs := c.projects
	if len(dirs) == 0 && c.audit != nil {
		if snaps, err := c.audit.Snapshots(r.Context()); err == nil {
			for _, s := range snaps {
				dirs = append(dirs, s.Project)
			}
		}
	}
	if len(dirs) == 0 {
		writeErr(w, http.StatusNotFound, errors.New("no project to show: list the projects under audit.projects in bulwark.yaml, or monitor them with bulwark audit --monitor DIR"))
		return
	}
	out := []updateRun{}
	for _, dir := range dirs {
		run := updateRun{Project: dir, Results: []updateResult{}}
		rep, path, err := update.LatestRecord(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			run.Error = "no bulwark update run recorded: run bulwark update " + dir
		case err != nil:
			run.Error = err.Error()
		default:
			run.Record, run.Date, run.Runs, run.Baseline, run.Applied = path, &rep.Date, rep.Runs, rep.Baseline, rep.Applied
			for _, x := range rep.Results {
				run.Results = append(run.Results, updateResult{Ecosystem: x.Ecosystem, Name: x.Name, From: x.From, To: x.To,
					Kind: string(x.Kind), Status: string(x.Status), How: x.How, Keep: x.Keep, Advisories: x.Advisories})
			}
		}
		out = append(out, run)
	}
	writeJSON(w, http.StatusOK, map[string]any{"projects": out})
}
