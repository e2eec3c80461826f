// Package nodejs treats the Node.js runtime as a dependency: it reads the
// Node.js Security Working Group's advisories on Node.js itself
// (nodejs/security-wg vuln/core/N.json) into OSV advisories of package
// "node" in ecosystem "Node.js", reads the release schedule
// (nodejs/Release schedule.json) to tell a release line's end of life,
// and finds the Node.js version a project pins (.nvmrc, .node-version,
// .tool-versions, package.json, Dockerfile).
package nodejs

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-sec/bulwark/audit/osv"
)

// Ecosystem and Name identify the runtime as a package in advisories and
// reports.
const (
	Ecosystem = "Node.js"
	Name      = "node"
)

// IDPrefix starts the id of every converted advisory: NSWG-COR-138.
const IDPrefix = "NSWG-COR-"

// MaxAdvisorySize bounds one advisory file; MaxAdvisories the advisories
// of one import (the Working Group has published under 200 in ten years).
const (
	MaxAdvisorySize = 1 << 20
	MaxAdvisories   = 100_000
)

// An Advisory is one entry of the Working Group's vuln/core folder.
type Advisory struct {
	CVE          []string `json:"cve"`
	Vulnerable   string   `json:"vulnerable"`
	Patched      string   `json:"patched"`
	Ref          string   `json:"ref"`
	Description  string   `json:"description"`
	Overview     string   `json:"overview"`
	Severity     string   `json:"severity"`
	Environments []string `json:"affectedEnvironments"`
}

// ParseAdvisory decodes one advisory file.
func ParseAdvisory(data []byte) (*Advisory, error) {
	if len(data) > MaxAdvisorySize {
		return nil, fmt.Errorf("%d bytes, more than the %d an advisory may have", len(data), MaxAdvisorySize)
	}
	var a Advisory
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("not a Node.js core advisory: %w", err)
	}
	if strings.TrimSpace(a.Vulnerable) == "" {
		return nil, fmt.Errorf(`no "vulnerable" range: is this a Node.js core advisory (vuln/core/N.json)?`)
	}
	return &a, nil
}

// OSV converts advisory number n into an OSV advisory of package node:
// the versions it affects are those in Vulnerable and not in Patched,
// written as SEMVER introduced/fixed events.
func (a *Advisory) OSV(n int) (*osv.Entry, error) {
	vuln, err := parseRange(a.Vulnerable)
	if err != nil {
		return nil, fmt.Errorf("vulnerable: %w", err)
	}
	var patched set
	if strings.TrimSpace(a.Patched) != "" {
		if patched, err = parseRange(a.Patched); err != nil {
			return nil, fmt.Errorf("patched: %w", err)
		}
	}
	e := &osv.Entry{
		SchemaVersion: "1.6.0",
		ID:            IDPrefix + strconv.Itoa(n),
		Modified:      time.Time{}, // the files carry no date; a changed record is told by its content
		Aliases:       a.CVE,
		Summary:       a.summary(),
		Details:       strings.TrimSpace(a.Overview),
	}
	r := osv.Range{Type: osv.RangeSemver}
	for _, iv := range vuln.minus(patched) {
		if iv.lo == (Version{}) {
			r.Events = append(r.Events, osv.Event{Introduced: "0"})
		} else {
			r.Events = append(r.Events, osv.Event{Introduced: iv.lo.String()})
		}
		if iv.hi != infinity {
			r.Events = append(r.Events, osv.Event{Fixed: iv.hi.String()})
		}
	}
	e.Affected = []osv.Affected{{Package: osv.Package{Ecosystem: Ecosystem, Name: Name}, Ranges: []osv.Range{r}}}
	if sev := strings.ToUpper(strings.TrimSpace(a.Severity)); sev != "" && sev != "UNKNOWN" {
		e.DatabaseSpecific, _ = json.Marshal(map[string]string{"severity": sev})
	}
	if a.Ref != "" {
		e.References = []osv.Reference{{Type: "ADVISORY", URL: a.Ref}}
	}
	return e, nil
}

// summary is the description, or the overview's first sentence, with the
// platforms when the advisory is not for all of them.
func (a *Advisory) summary() string {
	s := strings.TrimSpace(a.Description)
	if s == "" {
		s = strings.TrimSpace(a.Overview)
		if i := strings.IndexAny(s, "\n"); i >= 0 {
			s = s[:i]
		}
		if i := strings.Index(s, ". "); i >= 0 {
			s = s[:i+1]
		}
	}
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	var envs []string
	for _, e := range a.Environments {
		if e != "all" && e != "" {
			envs = append(envs, e)
		}
	}
	if len(envs) > 0 {
		s += " (" + strings.Join(envs, ", ") + " only)"
	}
	return s
}

// Records converts advisories keyed by their number ("138") into OSV
// records for [osv.DB.ImportRecords]; where names the source in errors
// ("dir/138.json" is where+"138").
func Records(advs map[string]*Advisory, where func(n string) string) ([]osv.Record, error) {
	out := make([]osv.Record, 0, len(advs))
	for k, a := range advs {
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: %q is not an advisory number", where(k), k)
		}
		e, err := a.OSV(n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(k), err)
		}
		data, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(k), err)
		}
		out = append(out, osv.Record{Name: where(k), Data: data})
	}
	return out, nil
}
