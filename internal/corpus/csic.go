package corpus

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// CSICFiles are the files of the CSIC 2010 zip that [LoadCSIC] reads, in
// order, with the group each gives its cases: the normal traffic only.
var CSICFiles = []struct{ Name, Group string }{
	{"normalTrafficTraining.txt.gz", "training"},
	{"normalTrafficTest.txt.gz", "test"},
}

// LoadCSIC reads the normal traffic of the CSIC 2010 dataset
// (dir/benign/csic2010/csic_dataset.zip, gzipped files inside, all read in
// memory) and returns its 72,000 requests as benign cases. With limit > 0
// it returns limit of them spread evenly over both files (every
// 72000/limit-th), so a sample still covers every page of the shop.
//
// The dataset's quirks, handled here: request lines carry absolute URIs
// (http://localhost:8080/tienda1/...), turned into the path and query an
// application sees; requests are separated by CRLF CRLF in one file and by
// LF in the other; bodies end with an extra line ending that is not part
// of them (their Content-Length says so, and is checked). Parameters are
// percent-encoded Latin-1 (%F1 for ñ), left as they are.
// The ID is "<file>:<line of the request line>".
func LoadCSIC(dir string, limit int) ([]Case, error) {
	zpath := filepath.Join(dir, "benign", "csic2010", "csic_dataset.zip")
	zr, err := zip.OpenReader(zpath)
	if err != nil {
		return nil, fmt.Errorf("loading CSIC 2010: %w", err)
	}
	defer zr.Close()
	var cases []Case
	for _, want := range CSICFiles {
		var zf *zip.File
		for _, f := range zr.File {
			if path.Base(f.Name) == want.Name {
				zf = f
			}
		}
		if zf == nil {
			return nil, fmt.Errorf("loading CSIC 2010: %s has no %s; is it the csic_dataset.zip that SOURCE names?", zpath, want.Name)
		}
		cs, err := readCSICFile(zf, want.Group)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", zpath, err)
		}
		cases = append(cases, cs...)
	}
	if limit > 0 && limit < len(cases) {
		sample := make([]Case, limit)
		for i := range sample {
			sample[i] = cases[i*len(cases)/limit]
		}
		cases = sample
	}
	return cases, nil
}

func readCSICFile(zf *zip.File, group string) ([]Case, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	gz, err := gzip.NewReader(rc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", zf.Name, err)
	}
	b, err := io.ReadAll(gz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", zf.Name, err)
	}
	name := strings.TrimSuffix(path.Base(zf.Name), ".gz")
	cases, err := parseCSIC(b, name, group)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", zf.Name, err)
	}
	return cases, nil
}

// csicRequestLine matches the first line of a request in the dataset.
var csicRequestLine = regexp.MustCompile(`^[A-Z]+ \S+ HTTP/\d\.\d$`)

// parseCSIC splits a dataset file into requests: each starts at a request
// line, has its header lines up to an empty line, and a body made of the
// non-empty lines before the next request line.
func parseCSIC(b []byte, name, group string) ([]Case, error) {
	var (
		cases []Case
		block []string // the current request's lines
		start int      // the line number of its request line
	)
	flush := func() error {
		if block == nil {
			return nil
		}
		c, err := csicCase(block)
		if err != nil {
			return fmt.Errorf("request at line %d: %w", start, err)
		}
		c.Group, c.ID = group, fmt.Sprintf("%s:%d", name, start)
		cases = append(cases, c)
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSuffix(sc.Text(), "\r")
		if csicRequestLine.MatchString(l) && (block == nil || lastEmpty(block)) {
			if err := flush(); err != nil {
				return nil, err
			}
			block, start = nil, n
		}
		if block == nil && l == "" {
			continue // blank lines before the first request
		}
		if block == nil && !csicRequestLine.MatchString(l) {
			return nil, fmt.Errorf("line %d: %q is not a request line", n, l)
		}
		block = append(block, l)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return cases, nil
}

func lastEmpty(lines []string) bool { return len(lines) > 0 && lines[len(lines)-1] == "" }

// csicCase turns the lines of one request into a benign case.
func csicCase(lines []string) (Case, error) {
	end := len(lines)
	for i, l := range lines {
		if l == "" {
			end = i
			break
		}
	}
	r, err := parseHead(lines[:end])
	if err != nil {
		return Case{}, err
	}
	var bodyLines []string
	for _, l := range lines[min(end+1, len(lines)):] {
		if l != "" {
			bodyLines = append(bodyLines, l)
		}
	}
	body := strings.Join(bodyLines, "\r\n")
	if cl := r.Header.Get("Content-Length"); cl != "" {
		if n, err := strconv.Atoi(cl); err != nil || n != len(body) {
			return Case{}, fmt.Errorf("Content-Length is %s but the body has %d bytes", cl, len(body))
		}
	} else if body != "" {
		return Case{}, fmt.Errorf("a body of %d bytes without Content-Length", len(body))
	}
	c := Case{Corpus: CSIC, Method: r.Method, Path: originForm(r.URI), Header: r.Header}
	if body != "" {
		c.Body = []byte(body)
	}
	return c, nil
}

// originForm turns an absolute URI (http://host/path?query) into the path
// and query that reach the application; other URIs are returned as they are.
func originForm(uri string) string {
	for _, scheme := range []string{"http://", "https://"} {
		if rest, ok := strings.CutPrefix(uri, scheme); ok {
			if i := strings.IndexAny(rest, "/?"); i >= 0 {
				if rest[i] == '?' {
					return "/" + rest[i:]
				}
				return rest[i:]
			}
			return "/"
		}
	}
	return uri
}
