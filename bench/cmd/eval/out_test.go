package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteInto(t *testing.T) {
	dir := t.TempDir()

	// A new file gets the markers around the report.
	fresh := filepath.Join(dir, "sub", "new.md")
	if err := writeInto(fresh, "T1\n"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(fresh); string(b) != beginMarker+"\nT1\n"+endMarker+"\n" {
		t.Errorf("new file = %q", b)
	}

	// An existing file keeps what surrounds the markers.
	doc := filepath.Join(dir, "doc.md")
	before := "# Title\n\nIntro.\n\n" + beginMarker + "\nold table\n" + endMarker + "\n\n## Reading\n\nProse.\n"
	if err := os.WriteFile(doc, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeInto(doc, "new table\n"); err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\nIntro.\n\n" + beginMarker + "\nnew table\n" + endMarker + "\n\n## Reading\n\nProse.\n"
	if b, _ := os.ReadFile(doc); string(b) != want {
		t.Errorf("after writeInto:\n%s\nwant:\n%s", b, want)
	}

	// A file without markers is refused and left as it was.
	plain := filepath.Join(dir, "plain.md")
	if err := os.WriteFile(plain, []byte("hand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeInto(plain, "table\n")
	if err == nil || !strings.Contains(err.Error(), "eval:begin") {
		t.Errorf("writeInto(no markers) = %v, want an error naming the markers", err)
	}
	if b, _ := os.ReadFile(plain); string(b) != "hand-written\n" {
		t.Errorf("the refused file changed: %q", b)
	}
}
