package update

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// An npmVersion is one published version of a package in the test
// registry.
type npmVersion struct {
	name, version string
	index         string // index.js
	deprecated    string
	manifest      map[string]any    // package.json; if nil, name, version and main
	files         map[string]string // the package's files, by path in the tarball below package/; if nil, index.js
	published     time.Time         // the packument's time entry. If zero, 2026-01-01
	maintainers   []string          // the version's maintainers (and the first its publisher). If nil, "alice"
}

// npmRegistry is a minimal npm registry on loopback serving real
// packuments and tarballs, enough for npm install. Packages whose name
// starts with "@acme/" live under /scoped/ and need the bearer token.
type npmRegistry struct {
	URL      string
	token    string
	mu       sync.Mutex
	packs    map[string]map[string]any // name → packument
	tarballs map[string][]byte         // path → .tgz
	fetched  map[string]bool           // tarball paths served
}

func newNPMRegistry(t testing.TB, token string, versions []npmVersion) *npmRegistry {
	t.Helper()
	r := &npmRegistry{token: token, packs: map[string]map[string]any{}, tarballs: map[string][]byte{}, fetched: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/"
	for _, v := range versions {
		r.publish(t, v)
	}
	return r
}

func (r *npmRegistry) base(name string) string {
	if strings.HasPrefix(name, "@acme/") {
		return r.URL + "scoped/"
	}
	return r.URL
}

func (r *npmRegistry) publish(t testing.TB, v npmVersion) {
	t.Helper()
	man := v.manifest
	if man == nil {
		man = map[string]any{"name": v.name, "version": v.version, "main": "index.js"}
	}
	pj, _ := json.Marshal(man)
	files := map[string]string{"package/index.js": v.index}
	if v.files != nil {
		files = map[string]string{}
		for name, content := range v.files {
			files["package/"+name] = content
		}
	}
	files["package/package.json"] = string(pj)
	tgz := tarball(t, files)
	tarPath := "tarballs/" + strings.ReplaceAll(v.name, "/", "-") + "-" + v.version + ".tgz"
	s512, s1 := sha512.Sum512(tgz), sha1.Sum(tgz)
	meta := map[string]any{"name": v.name, "version": v.version, "main": "index.js"}
	for _, k := range []string{"main", "dependencies", "optionalDependencies", "peerDependencies", "peerDependenciesMeta", "bin", "engines", "os", "cpu", "scripts"} {
		if x, ok := man[k]; ok {
			meta[k] = x
		}
	}
	if scripts, ok := man["scripts"].(map[string]any); ok {
		for _, k := range []string{"preinstall", "install", "postinstall"} {
			if _, ok := scripts[k]; ok {
				meta["hasInstallScript"] = true // as the registry marks it
			}
		}
	}
	size := 0
	for _, content := range files {
		size += len(content)
	}
	meta["dist"] = map[string]any{"tarball": r.base(v.name) + tarPath,
		"integrity": "sha512-" + base64.StdEncoding.EncodeToString(s512[:]), "shasum": hex.EncodeToString(s1[:]),
		"fileCount": len(files), "unpackedSize": size}
	maintainers := v.maintainers
	if maintainers == nil {
		maintainers = []string{"alice"}
	}
	var people []map[string]string
	for _, m := range maintainers {
		people = append(people, map[string]string{"name": m, "email": m + "@example.com"})
	}
	meta["maintainers"] = people
	meta["_npmUser"] = people[0]
	published := v.published
	if published.IsZero() {
		published = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if v.deprecated != "" {
		meta["deprecated"] = v.deprecated
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tarballs[strings.TrimPrefix(r.base(v.name), r.URL)+tarPath] = tgz
	p, ok := r.packs[v.name]
	if !ok {
		p = map[string]any{"name": v.name, "dist-tags": map[string]string{}, "versions": map[string]any{}, "time": map[string]string{},
			"repository": map[string]string{"type": "git", "url": "git+https://github.com/acme/" + strings.TrimPrefix(v.name, "@acme/") + ".git"}}
		r.packs[v.name] = p
	}
	p["versions"].(map[string]any)[v.version] = meta
	p["time"].(map[string]string)[v.version] = published.UTC().Format(time.RFC3339Nano)
	p["time"].(map[string]string)["modified"] = published.UTC().Format(time.RFC3339Nano)
	p["dist-tags"].(map[string]string)["latest"] = v.version
}

func (r *npmRegistry) serve(w http.ResponseWriter, req *http.Request) {
	path := strings.TrimPrefix(req.URL.Path, "/")
	if strings.HasPrefix(path, "scoped/") && req.Header.Get("Authorization") != "Bearer "+r.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if tgz, ok := r.tarballs[path]; ok {
		r.fetched[path] = true
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(tgz)
		return
	}
	if p, ok := r.packs[strings.TrimPrefix(path, "scoped/")]; ok {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(p)
		return
	}
	http.NotFound(w, req)
}

// tarball builds a .tgz of files.
func tarball(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, content := range files {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(content))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

// needNPM skips the test without npm and node, or fails it in CI.
func needNPM(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"npm", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			testutil.RealPartMissing(t, tool+" not found; install Node.js (apt-get install nodejs npm) to run the npm update tests")
		}
	}
}

// npmEnv is the environment of npm in tests: a cache and user config of
// the test's own, nothing sent anywhere but the loopback registry.
func npmEnv(t testing.TB) []string {
	t.Helper()
	home := t.TempDir()
	write(t, home, ".npmrc", "")
	return append(os.Environ(), "HOME="+home, "npm_config_userconfig="+filepath.Join(home, ".npmrc"),
		"npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_update_notifier=false",
		"npm_config_audit=false", "npm_config_fund=false", "npm_config_loglevel=error",
		"GIT_AUTHOR_NAME=Bulwark Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Bulwark Test", "GIT_COMMITTER_EMAIL=test@example.com")
}

// wasFetched reports whether the tarball of name@version was downloaded.
func (r *npmRegistry) wasFetched(name, version string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fetched[strings.TrimPrefix(r.base(name), r.URL)+"tarballs/"+strings.ReplaceAll(name, "/", "-")+"-"+version+".tgz"]
}

// forget clears the record of tarballs downloaded.
func (r *npmRegistry) forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.fetched)
}
