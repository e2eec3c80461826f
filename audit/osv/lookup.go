package osv

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// A Key names a package to look up.
type Key struct {
	Ecosystem string
	Name      string
}

// Lookup returns the advisories naming the package, withdrawn ones
// included, in id order.
func (db *DB) Lookup(ctx context.Context, ecosystem, name string) ([]*Entry, error) {
	k := Key{ecosystem, name}
	m, err := db.LookupBatch(ctx, []Key{k})
	if err != nil {
		return nil, err
	}
	return m[k], nil
}

// LookupBatch returns the advisories of many packages at once, keyed by
// the Key as given. An advisory naming several of the packages is
// decoded once and shared. The cost is one indexed query per ecosystem
// and the decoding of the advisories found; nothing else is read.
func (db *DB) LookupBatch(ctx context.Context, keys []Key) (map[Key][]*Entry, error) {
	byEco := map[string]map[string][]Key{} // ecosystem → normalized name → keys asking for it
	for _, k := range keys {
		n := NormalizeName(k.Ecosystem, k.Name)
		if byEco[k.Ecosystem] == nil {
			byEco[k.Ecosystem] = map[string][]Key{}
		}
		byEco[k.Ecosystem][n] = append(byEco[k.Ecosystem][n], k)
	}
	out := make(map[Key][]*Entry, len(keys))
	decoded := map[string]*Entry{}
	var dec decompressor
	for eco, names := range byEco {
		list := make([]string, 0, len(names))
		for n := range names {
			list = append(list, n)
		}
		arg, _ := json.Marshal(list)
		rows, err := db.store.QueryContext(ctx, `SELECT a.name, e.id, e.raw
			FROM osv_affected a JOIN osv_entries e ON e.id = a.id
			WHERE a.ecosystem = ? AND a.name IN (SELECT value FROM json_each(?))
			ORDER BY a.name, e.id`, eco, string(arg))
		if err != nil {
			return nil, fmt.Errorf("looking up %s advisories: %w", eco, err)
		}
		for rows.Next() {
			var name, id string
			var raw []byte
			if err := rows.Scan(&name, &id, &raw); err != nil {
				rows.Close()
				return nil, fmt.Errorf("looking up %s advisories: %w", eco, err)
			}
			e := decoded[id]
			if e == nil {
				if e, err = dec.decode(raw); err != nil {
					rows.Close()
					return nil, fmt.Errorf("reading advisory %s: %w", id, err)
				}
				decoded[id] = e
			}
			for _, k := range names[name] {
				out[k] = append(out[k], e)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("looking up %s advisories: %w", eco, err)
		}
	}
	return out, nil
}

// A compressor deflates advisories' JSON for storage, reusing its
// buffers. It is not safe for concurrent use.
type compressor struct {
	buf bytes.Buffer
	w   *flate.Writer
}

// compress returns data deflated; the result is valid until the next call.
func (c *compressor) compress(data []byte) ([]byte, error) {
	c.buf.Reset()
	if c.w == nil {
		w, err := flate.NewWriter(&c.buf, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		c.w = w
	} else {
		c.w.Reset(&c.buf)
	}
	if _, err := c.w.Write(data); err != nil {
		return nil, err
	}
	if err := c.w.Close(); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}

// A decompressor inflates stored advisories, reusing its buffers (a
// fresh flate reader allocates tens of KiB). It is not safe for
// concurrent use.
type decompressor struct {
	r   io.ReadCloser
	src bytes.Reader
	buf bytes.Buffer
}

// decode inflates and decodes a stored advisory.
func (d *decompressor) decode(raw []byte) (*Entry, error) {
	d.src.Reset(raw)
	if d.r == nil {
		d.r = flate.NewReader(&d.src)
	} else if err := d.r.(flate.Resetter).Reset(&d.src, nil); err != nil {
		return nil, err
	}
	d.buf.Reset()
	if _, err := d.buf.ReadFrom(io.LimitReader(d.r, MaxEntrySize+1)); err != nil {
		return nil, err
	}
	var e Entry
	if err := json.Unmarshal(d.buf.Bytes(), &e); err != nil {
		return nil, err
	}
	return &e, nil
}
