// Package corpus turns the shared evaluation corpora (../shared/corpus) and
// the benign sets committed here into HTTP requests, each a [Case] that
// says whether it is an attack. Detection engines are measured on them:
// recall on the attack corpora, false positives on the benign ones.
//
// The loaders read files only; none of them changes anything on disk. Each
// returns its cases in a stable order, with IDs unique within the corpus, so
// two runs can be compared line by line.
package corpus

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

// Names of the corpora, as found in [Case.Corpus].
const (
	CRS    = "crs"    // OWASP CRS regression tests: attacks
	PATT   = "patt"   // PayloadsAllTheThings payload lists: attacks
	CSIC   = "csic"   // CSIC 2010 normal traffic: benign
	Modern = "modern" // the modern API traffic in testdata/modern: benign
	Prose  = "prose"  // English sentences as parameter values: benign
)

// A Case is one HTTP request of a corpus and whether it is an attack.
//
// A Case is plain data: engines read it and must not modify it, so one
// slice of cases can be shared by goroutines running different engines.
type Case struct {
	Corpus string // "crs", "patt", "csic", "modern", "prose"
	Group  string // CRS family ("942"), PATT list ("SQL-Injection"), benign subset
	ID     string // unique within its corpus: "942100-3", "SQL-Injection/Auth_Bypass.txt:12/json"
	Attack bool
	Method string
	Path   string // path and raw query, as on the request line
	Header http.Header
	Body   []byte
}

// EnvDir names the environment variable that overrides where [Dir] looks.
const EnvDir = "BULWARK_CORPUS"

// ErrNoCorpus is returned (wrapped) by [Dir] when the shared corpus cannot
// be found.
var ErrNoCorpus = errors.New("corpus: shared corpus not found")

// Dir returns the shared corpus directory: $BULWARK_CORPUS if set, otherwise
// the first shared/corpus found beside the working directory or one of its
// parents (the repository root has it at ../shared/corpus; tests run in
// package directories further down).
func Dir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		if err := isCorpus(d); err != nil {
			return "", fmt.Errorf("$%s=%s: %w", EnvDir, d, err)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the shared corpus: %w", err)
	}
	for d := wd; ; {
		c := filepath.Join(d, "..", "shared", "corpus")
		if isCorpus(c) == nil {
			return filepath.Clean(c), nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return "", fmt.Errorf("%w: no ../shared/corpus beside %s or its parents; "+
		"check out the shared material next to the repository or set $%s to its corpus directory",
		ErrNoCorpus, wd, EnvDir)
}

// isCorpus reports why d does not look like the shared corpus, or nil.
func isCorpus(d string) error {
	for _, sub := range []string{"crs-regression", "attacks", "benign"} {
		fi, err := os.Stat(filepath.Join(d, sub))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoCorpus, err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("%w: %s is not a directory", ErrNoCorpus, filepath.Join(d, sub))
		}
	}
	return nil
}
