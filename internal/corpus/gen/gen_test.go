package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedFilesAreGenerated keeps the committed corpora what the
// generator writes, so they are changed through the templates only.
func TestCommittedFilesAreGenerated(t *testing.T) {
	files, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		p := filepath.Join("..", "testdata", f.path)
		old, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(old, f.data) {
			t.Errorf("%s differs from what the generator writes; run `go run ./gen` in internal/corpus and commit both", p)
		}
	}
}

// TestGenerateIsStable checks that two runs write the same bytes.
func TestGenerateIsStable(t *testing.T) {
	a, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := generate()
	for i := range a {
		if !bytes.Equal(a[i].data, b[i].data) {
			t.Errorf("%s differs between two runs", a[i].path)
		}
	}
}
