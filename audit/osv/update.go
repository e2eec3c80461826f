package osv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// DefaultBaseURL is where osv.dev publishes {ecosystem}/all.zip.
const DefaultBaseURL = "https://osv-vulnerabilities.storage.googleapis.com"

// ErrOffline is returned by [DB.Update] in offline mode: it makes no
// network call at all.
var ErrOffline = errors.New("osv: offline mode: not downloading advisories (import a zip with `bulwark db import` instead)")

// UpdateOptions says where and how [DB.Update] downloads.
type UpdateOptions struct {
	// BaseURL is the root under which {ecosystem}/all.zip lives. If
	// empty, DefaultBaseURL.
	BaseURL string
	// Client makes the requests. If nil, a client with a 10-minute
	// overall timeout (a large ecosystem zip is hundreds of MiB).
	Client *http.Client
	// MaxSize bounds one downloaded zip. If zero, 2 GiB.
	MaxSize int64
	// Offline refuses all network use: Update returns ErrOffline before
	// touching Client.
	Offline bool
	// Clock stamps the fetch time. If nil, time.Now.
	Clock func() time.Time
	// TempDir holds zips while they are imported. If empty, os.TempDir().
	TempDir string
}

// An UpdateResult says what Update did for one ecosystem.
type UpdateResult struct {
	Ecosystem   string
	URL         string
	NotModified bool  // the server answered 304: nothing downloaded or imported
	Bytes       int64 // size of the downloaded zip
	Stats       ImportStats
}

// Update downloads {BaseURL}/{ecosystem}/all.zip for each ecosystem and
// imports it, each zip in one transaction together with its ETag and
// Last-Modified, which the next Update sends back as If-None-Match and
// If-Modified-Since so that an unchanged zip is neither downloaded nor
// imported again. It stops at the first error; the ecosystems done
// before it stay imported.
func (db *DB) Update(ctx context.Context, ecosystems []string, opt UpdateOptions) ([]UpdateResult, error) {
	if opt.Offline {
		return nil, ErrOffline
	}
	if opt.BaseURL == "" {
		opt.BaseURL = DefaultBaseURL
	}
	if opt.Client == nil {
		opt.Client = &http.Client{Timeout: 10 * time.Minute}
	}
	if opt.MaxSize == 0 {
		opt.MaxSize = 2 << 30
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	var results []UpdateResult
	for _, eco := range ecosystems {
		r, err := db.updateOne(ctx, eco, opt)
		if err != nil {
			return results, err
		}
		results = append(results, r)
	}
	return results, nil
}

func (db *DB) updateOne(ctx context.Context, eco string, opt UpdateOptions) (UpdateResult, error) {
	u := strings.TrimRight(opt.BaseURL, "/") + "/" + url.PathEscape(eco) + "/all.zip"
	res := UpdateResult{Ecosystem: eco, URL: u}
	var etag, lastMod string
	err := db.store.QueryRowContext(ctx, `SELECT etag, last_modified FROM osv_sources WHERE url = ?`, u).Scan(&etag, &lastMod)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, fmt.Errorf("updating %s advisories: %w", eco, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return res, fmt.Errorf("updating %s advisories: %w", eco, err)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastMod != "" {
		req.Header.Set("If-Modified-Since", lastMod)
	}
	resp, err := opt.Client.Do(req)
	if err != nil {
		return res, fmt.Errorf("updating %s advisories: %w (use --offline with an imported database when there is no network)", eco, err)
	}
	defer resp.Body.Close()
	fetched := opt.Clock().UTC().Format(time.RFC3339)
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		_, err := db.store.ExecContext(ctx, `UPDATE osv_sources SET fetched = ? WHERE url = ?`, fetched, u)
		if err != nil {
			return res, fmt.Errorf("updating %s advisories: %w", eco, err)
		}
		return res, nil
	case resp.StatusCode != http.StatusOK:
		return res, fmt.Errorf("updating %s advisories: GET %s: %s (is %q an OSV ecosystem name, and the base URL right?)", eco, u, resp.Status, eco)
	case resp.ContentLength > opt.MaxSize:
		return res, fmt.Errorf("updating %s advisories: %s is %d bytes, more than the %d allowed", eco, u, resp.ContentLength, opt.MaxSize)
	}
	tmp, err := os.CreateTemp(opt.TempDir, "bulwark-osv-*.zip")
	if err != nil {
		return res, fmt.Errorf("updating %s advisories: %w", eco, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, opt.MaxSize+1))
	if err == nil && n > opt.MaxSize {
		err = fmt.Errorf("more than the %d bytes allowed", opt.MaxSize)
	}
	if err == nil {
		err = tmp.Close()
	}
	if err != nil {
		return res, fmt.Errorf("updating %s advisories: downloading %s: %w", eco, u, err)
	}
	res.Bytes = n
	err = db.inTx(ctx, func(w *writer) error {
		if err := w.zipFile(ctx, tmp.Name()); err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
		res.Stats = w.stats
		_, err := w.tx.ExecContext(ctx, `INSERT INTO osv_sources(url, etag, last_modified, fetched) VALUES (?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, fetched = excluded.fetched`,
			u, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), fetched)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("updating %s advisories: %w", eco, err)
	}
	return res, nil
}
