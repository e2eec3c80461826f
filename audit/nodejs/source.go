package nodejs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulwark-sec/bulwark/audit/osv"
)

// Where the Working Group and the Release team publish the data.
const (
	DefaultIndexURL    = "https://raw.githubusercontent.com/nodejs/security-wg/main/vuln/core/index.json"
	DefaultScheduleURL = "https://raw.githubusercontent.com/nodejs/Release/main/schedule.json"
)

// ScheduleDocument names the schedule in the advisory database.
const ScheduleDocument = "nodejs/schedule.json"

// maxIndexSize bounds index.json (about 300 KB today).
const maxIndexSize = 32 << 20

// Data is what an import or update reads: the advisories keyed by number
// and the schedule's JSON (nil when the source has none).
type Data struct {
	Advisories map[string]*Advisory
	Schedule   []byte
	where      func(n string) string
}

// IsCoreDir reports whether dir looks like the Working Group's data: a
// vuln/core folder, or a schedule.json beside N.json files.
func IsCoreDir(dir string) bool {
	if st, err := os.Stat(filepath.Join(dir, "vuln", "core")); err == nil && st.IsDir() {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, "schedule.json"))
	return err == nil
}

// ReadDir reads dir/vuln/core/N.json (or dir/N.json; dir's index.json
// when there is no N.json) and dir/schedule.json if present.
func ReadDir(dir string) (*Data, error) {
	core := filepath.Join(dir, "vuln", "core")
	if st, err := os.Stat(core); err != nil || !st.IsDir() {
		core = dir
	}
	d := &Data{Advisories: map[string]*Advisory{}, where: func(n string) string { return filepath.Join(core, n+".json") }}
	ents, err := os.ReadDir(core)
	if err != nil {
		return nil, fmt.Errorf("reading Node.js core advisories: %w", err)
	}
	for _, e := range ents {
		n, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() || strings.Trim(n, "0123456789") != "" {
			continue
		}
		if len(d.Advisories) >= MaxAdvisories {
			return nil, fmt.Errorf("%s: more than %d advisories", core, MaxAdvisories)
		}
		data, err := readBounded(filepath.Join(core, e.Name()), MaxAdvisorySize)
		if err != nil {
			return nil, err
		}
		a, err := ParseAdvisory(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(core, e.Name()), err)
		}
		d.Advisories[n] = a
	}
	if len(d.Advisories) == 0 {
		index := filepath.Join(core, "index.json")
		data, err := readBounded(index, maxIndexSize)
		if err != nil {
			return nil, fmt.Errorf("%s: no N.json advisory and no index.json: is this the security-wg repository or its vuln/core folder?", dir)
		}
		if d.Advisories, err = ParseIndex(data); err != nil {
			return nil, fmt.Errorf("%s: %w", index, err)
		}
		d.where = func(n string) string { return index + "#" + n }
	}
	sched := filepath.Join(dir, "schedule.json")
	if data, err := readBounded(sched, MaxScheduleSize); err == nil {
		if _, err := ParseSchedule(data); err != nil {
			return nil, fmt.Errorf("%s: %w", sched, err)
		}
		d.Schedule = data
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return d, nil
}

// ParseIndex decodes index.json: every advisory in one object keyed by
// number.
func ParseIndex(data []byte) (map[string]*Advisory, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("not the Node.js core advisories index: %w", err)
	}
	if len(raw) > MaxAdvisories {
		return nil, fmt.Errorf("more than %d advisories", MaxAdvisories)
	}
	out := make(map[string]*Advisory, len(raw))
	for k, v := range raw {
		a, err := ParseAdvisory(v)
		if err != nil {
			return nil, fmt.Errorf("advisory %s: %w", k, err)
		}
		out[k] = a
	}
	return out, nil
}

// Fetch downloads the advisories' index.json and schedule.json from
// their published places (see DefaultIndexURL), bounded in size.
func Fetch(ctx context.Context, client *http.Client, indexURL, scheduleURL string) (*Data, error) {
	idx, err := get(ctx, client, indexURL, maxIndexSize)
	if err != nil {
		return nil, err
	}
	advs, err := ParseIndex(idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", indexURL, err)
	}
	sched, err := get(ctx, client, scheduleURL, MaxScheduleSize)
	if err != nil {
		return nil, err
	}
	if _, err := ParseSchedule(sched); err != nil {
		return nil, fmt.Errorf("%s: %w", scheduleURL, err)
	}
	return &Data{Advisories: advs, Schedule: sched, where: func(n string) string { return indexURL + "#" + n }}, nil
}

// Import stores d in db in one transaction: the advisories as OSV
// records of package node, the schedule as [ScheduleDocument].
func Import(ctx context.Context, db *osv.DB, d *Data) (osv.ImportStats, error) {
	recs, err := Records(d.Advisories, d.where)
	if err != nil {
		return osv.ImportStats{}, err
	}
	var docs map[string][]byte
	if d.Schedule != nil {
		docs = map[string][]byte{ScheduleDocument: d.Schedule}
	}
	return db.ImportRecords(ctx, recs, docs)
}

// LoadSchedule returns the schedule stored in db, or nil when none was
// imported.
func LoadSchedule(ctx context.Context, db *osv.DB) (Schedule, error) {
	data, err := db.Document(ctx, ScheduleDocument)
	if err != nil || data == nil {
		return nil, err
	}
	return ParseSchedule(data)
}

func get(ctx context.Context, client *http.Client, url string, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching Node.js data: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching Node.js data: %w (use bulwark db import with a copy when there is no network)", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching Node.js data: GET %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("fetching Node.js data: GET %s: %w", url, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("fetching Node.js data: GET %s: more than the %d bytes allowed", url, max)
	}
	return data, nil
}

func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: more than the %d bytes allowed", path, max)
	}
	return data, nil
}
