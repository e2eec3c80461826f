package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// A jsonlRequest is one line of a JSONL request file, the format that
// `bulwark inspect --format jsonl` reads, plus the group of the case:
//
//	{"id":"rest-0001","group":"rest","method":"GET","path":"/p?q=1","headers":{"User-Agent":"…"},"body":"…"}
type jsonlRequest struct {
	ID      string            `json:"id"`
	Group   string            `json:"group"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// readJSONL reads JSONL requests from r, named name in errors, as cases of
// corpus. Every line must be a request with an id unique in the file, a
// method and a path starting with "/"; fields other than those of
// [jsonlRequest] are errors, so that a typo does not silently drop a
// header. A body without Content-Length is given one.
func readJSONL(r io.Reader, name, corpus string, attack bool) ([]Case, error) {
	var cases []Case
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var jr jsonlRequest
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&jr); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		switch {
		case jr.ID == "":
			return nil, fmt.Errorf("%s:%d: no id", name, n)
		case seen[jr.ID] != 0:
			return nil, fmt.Errorf("%s:%d: id %q already used on line %d", name, n, jr.ID, seen[jr.ID])
		case jr.Method == "":
			return nil, fmt.Errorf("%s:%d: %s: no method", name, n, jr.ID)
		case !strings.HasPrefix(jr.Path, "/"):
			return nil, fmt.Errorf("%s:%d: %s: path %q does not start with /", name, n, jr.ID, jr.Path)
		}
		seen[jr.ID] = n
		c := Case{Corpus: corpus, Group: jr.Group, ID: jr.ID, Attack: attack,
			Method: jr.Method, Path: jr.Path, Header: http.Header{}}
		for k, v := range jr.Headers {
			c.Header.Set(k, v)
		}
		if jr.Body != "" {
			c.Body = []byte(jr.Body)
			if c.Header.Get("Content-Length") == "" {
				c.Header.Set("Content-Length", strconv.Itoa(len(c.Body)))
			}
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cases, nil
}
