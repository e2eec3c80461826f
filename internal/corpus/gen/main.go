// Command gen writes the benign sets that package corpus builds in:
// testdata/modern/requests.jsonl, ordinary traffic of a modern web
// application, and testdata/prose.txt, English sentences. Both come from
// hand-written templates, word lists and sentences filled in by a random
// generator with a fixed seed, so the output is the same on every run and
// a change to it shows in review as a diff of the templates.
//
// Usage, from internal/corpus:
//
//	go run ./gen          # rewrite the files (also: go generate)
//	go run ./gen -check   # exit 1 if the committed files are stale
//
// testdata/modern/NOTE.md and testdata/prose.md say what is in them.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The files gen writes, relative to -dir.
const (
	modernPath = "modern/requests.jsonl"
	prosePath  = "prose.txt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "testdata", "the testdata directory of package corpus")
	check := fs.Bool("check", false, "compare with the files instead of writing them; exit 1 if they differ")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	files, err := generate()
	if err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	for _, f := range files {
		p := filepath.Join(*dir, f.path)
		if *check {
			old, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(old, f.data) {
				fmt.Fprintf(stderr, "gen: %s is not what the generator writes; run `go run ./gen` in internal/corpus and commit the result\n", p)
				return 1
			}
			continue
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			fmt.Fprintln(stderr, "gen:", err)
			return 1
		}
		fmt.Fprintf(stderr, "gen: wrote %s (%d lines)\n", p, bytes.Count(f.data, []byte("\n")))
	}
	return 0
}

// A file is one generated file.
type file struct {
	path string
	data []byte
}

// generate builds both files in memory.
func generate() ([]file, error) {
	reqs := modern()
	if len(reqs) < minModern {
		return nil, fmt.Errorf("only %d modern requests; the corpus promises at least %d", len(reqs), minModern)
	}
	jsonl, err := encodeJSONL(reqs)
	if err != nil {
		return nil, err
	}
	sentences := prose()
	if len(sentences) < minProse {
		return nil, fmt.Errorf("only %d sentences; the prose set promises at least %d", len(sentences), minProse)
	}
	var p bytes.Buffer
	for _, s := range sentences {
		if s == "" || bytes.ContainsAny([]byte(s), "\r\n") {
			return nil, errors.New("a sentence is empty or spans lines: " + s)
		}
		p.WriteString(s + "\n")
	}
	return []file{{modernPath, jsonl}, {prosePath, p.Bytes()}}, nil
}
