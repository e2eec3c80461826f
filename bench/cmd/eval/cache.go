package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// corazaAdapterVersion names the way coraza.go feeds requests to Coraza
// and reads its verdicts. Change it whenever that changes: it is part of
// every cache key, so cached verdicts of the old way are not used.
const corazaAdapterVersion = "2"

// A verdictCache keeps the verdicts of the Coraza passes between runs.
// Coraza and CRS are pinned in go.mod and the corpora change seldom, so
// their verdicts are the same from one run to the next; the cache makes a
// run after the first take the time of Bulwark's pass and of the cost
// rows. A set's verdicts are found under a key made of everything they
// depend on: the module versions, the directives, the adapter version,
// the pass and every byte of every case of the set. The cost rows are
// always measured.
type verdictCache struct {
	dir string // "" disables the cache
}

// key returns the cache key of pass p over s.
func (c verdictCache) key(p pass, s set, m machine) string {
	h := sha256.New()
	field := func(b []byte) {
		binary.Write(h, binary.LittleEndian, uint64(len(b))) // hash.Hash writes do not fail
		h.Write(b)
	}
	for _, f := range []string{corazaAdapterVersion, p.name, p.config, m.Coraza, m.CRS, s.name} {
		field([]byte(f))
	}
	for i := range s.cases {
		cs := &s.cases[i]
		field([]byte(cs.ID))
		field([]byte(cs.Method))
		field([]byte(cs.Path))
		keys := make([]string, 0, len(cs.Header))
		for k := range cs.Header {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			field([]byte(k))
			for _, v := range cs.Header[k] {
				field([]byte(v))
			}
		}
		field(cs.Body)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c verdictCache) path(key string) string {
	return filepath.Join(c.dir, "coraza-"+key[:32]+".gob")
}

// load returns the verdicts stored under key, if any. A cache file that
// cannot be read is treated as missing: the pass runs again.
func (c verdictCache) load(key string, n int) ([]verdict, bool) {
	if c.dir == "" || key == "" {
		return nil, false
	}
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	var ds []corazaDetail
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&ds); err != nil || len(ds) != n {
		return nil, false
	}
	vs := make([]verdict, n)
	for i, d := range ds {
		vs[i] = verdict{Flagged: d.Flagged, Score: d.Score, Detail: d}
	}
	return vs, true
}

// store saves the verdicts under key.
func (c verdictCache) store(key string, vs []verdict) error {
	if c.dir == "" || key == "" {
		return nil
	}
	ds := make([]corazaDetail, len(vs))
	for i, v := range vs {
		d, ok := v.Detail.(corazaDetail)
		if !ok {
			return fmt.Errorf("caching verdicts: detail %T, want corazaDetail", v.Detail)
		}
		ds[i] = d
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(ds); err != nil {
		return fmt.Errorf("caching verdicts: %w", err)
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("caching verdicts: %w", err)
	}
	return writeFile(c.path(key), b.Bytes())
}

// defaultCacheDir is where the cache lives unless -cache says otherwise:
// the user's cache directory, or none when there is no such directory.
func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "bulwark", "eval")
}
