package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
)

// errNotFound is what a proxy answers for a module or version it does not
// have (404 or 410); the next proxy in a comma list is then asked.
var errNotFound = errors.New("not found")

// A proxyEntry is one element of GOPROXY.
type proxyEntry struct {
	url    string // "direct", "off", or a base URL (https://, file://)
	orElse bool   // followed by "|": try the next entry on any error, not only not-found
}

// parseGOPROXY splits a GOPROXY value as the go command does: entries
// separated by "," (next on not-found) or "|" (next on any error).
func parseGOPROXY(s string) []proxyEntry {
	if s == "" {
		s = "https://proxy.golang.org,direct"
	}
	var out []proxyEntry
	for s != "" {
		i := strings.IndexAny(s, ",|")
		entry, sep := s, byte(0)
		if i >= 0 {
			entry, sep, s = s[:i], s[i], s[i+1:]
		} else {
			s = ""
		}
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		out = append(out, proxyEntry{url: strings.TrimSuffix(entry, "/"), orElse: sep == '|'})
	}
	return out
}

// goProxy fetches module metadata through the module proxy protocol.
type goProxy struct {
	entries []proxyEntry
	client  *http.Client
}

// errDirect says the proxy list reached "direct": the go command itself
// must be asked.
var errDirect = errors.New("direct")

// get returns the content of <proxy>/<escaped path>/@v/<file>, trying the
// entries in order.
func (p *goProxy) get(ctx context.Context, path, file string) ([]byte, error) {
	esc, err := module.EscapePath(path)
	if err != nil {
		return nil, fmt.Errorf("module path %q: %w", path, err)
	}
	var last error = errNotFound
	for _, e := range p.entries {
		switch e.url {
		case "off":
			return nil, fmt.Errorf("GOPROXY=off: module lookups are disabled")
		case "direct":
			return nil, errDirect
		}
		data, err := p.fetch(ctx, e.url+"/"+esc+"/@v/"+file)
		if err == nil {
			return data, nil
		}
		last = err
		if !e.orElse && !errors.Is(err, errNotFound) {
			return nil, err
		}
	}
	return nil, last
}

func (p *goProxy) fetch(ctx context.Context, rawURL string) ([]byte, error) {
	if strings.HasPrefix(rawURL, "file://") {
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, fmt.Errorf("proxy URL %s: %w", rawURL, err)
		}
		data, err := os.ReadFile(filepath.FromSlash(u.Path))
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", rawURL, errNotFound)
		}
		return data, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%s: %w", rawURL, errNotFound)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("fetching %s: %s", rawURL, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 16<<20))
}

// versions lists the known versions of module path.
func (p *goProxy) versions(ctx context.Context, path string) ([]string, error) {
	data, err := p.get(ctx, path, "list")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out, nil
}
