package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// PATTPath and PATTParam are where [LoadPATT] puts each payload: the
// parameter q of /search.
const (
	PATTPath  = "/search"
	PATTParam = "q"
)

// pattFile is the placeholder some traversal lists leave for a file name,
// and the file [LoadPATT] puts in its place.
const (
	pattPlaceholder = "{FILE}"
	pattFile        = "etc/passwd"
)

// LoadPATT reads the PayloadsAllTheThings lists under
// dir/attacks/payloadsallthethings/<list>/ and returns three attack cases
// per payload line (see [InQuery], [InForm], [InJSON]): the line as the
// value of [PATTParam] on [PATTPath], URL-encoded in the query string and
// the form body, a string in the JSON body. Lines are raw values, so one
// that already holds %2f is sent as %252f and the application sees %2f.
// Group is the list (the folder's name); the ID is
// "<list>/<file>:<line>/<placement>".
//
// Skipped lines: empty ones, comments ("#" then a space, a tab or
// nothing) and section titles such as "#Google.com:" in jsonp_endpoint.txt;
// "#{7*7}" and other lines starting with # that are payloads stay.
// A trailing CR is dropped, and {FILE} becomes etc/passwd.
func LoadPATT(dir string) ([]Case, error) {
	root := filepath.Join(dir, "attacks", "payloadsallthethings")
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("loading PayloadsAllTheThings: %w", err)
	}
	var cases []Case
	lists := 0
	for _, e := range entries { // ReadDir sorts by name
		if !e.IsDir() {
			continue // LICENSE, SOURCE
		}
		lists++
		list := e.Name()
		var files []string
		err := filepath.WalkDir(filepath.Join(root, list), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("loading PayloadsAllTheThings list %s: %w", list, err)
		}
		sort.Strings(files)
		for _, f := range files {
			rel, _ := filepath.Rel(root, f) // f is under root
			cs, err := loadPATTFile(f, filepath.ToSlash(rel), list)
			if err != nil {
				return nil, err
			}
			cases = append(cases, cs...)
		}
	}
	if lists == 0 {
		return nil, fmt.Errorf("loading PayloadsAllTheThings: %s has no list folders", root)
	}
	return cases, nil
}

// pattTitle matches section titles of payload lists ("#Google.com:",
// "#AOL/Yahoo"), which hold no payload characters.
var pattTitle = regexp.MustCompile(`^#[A-Za-z][A-Za-z0-9 ./']*:?$`)

// pattPayload returns the payload of one line and whether it is one.
func pattPayload(line string) (string, bool) {
	line = strings.TrimSuffix(line, "\r")
	switch {
	case strings.TrimSpace(line) == "":
		return "", false
	case line == "#" || strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "#\t"):
		return "", false
	case pattTitle.MatchString(line):
		return "", false
	}
	return strings.ReplaceAll(line, pattPlaceholder, pattFile), true
}

func loadPATTFile(path, rel, list string) ([]Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading PayloadsAllTheThings: %w", err)
	}
	var cases []Case
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, len(b)+1) // a line can be as long as the file
	for n := 1; sc.Scan(); n++ {
		p, ok := pattPayload(sc.Text())
		if !ok {
			continue
		}
		cases = append(cases, placeValue(PATT, list, fmt.Sprintf("%s:%d", rel, n), true, PATTPath, PATTParam, p)...)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}
