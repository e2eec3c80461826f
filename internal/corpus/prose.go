package corpus

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
)

// proseFile holds one English sentence per line, written by the generator
// in ./gen (see testdata/prose.md).
//
//go:embed testdata/prose.txt
var proseFile []byte

// ProseFile is the name of the prose set in errors and IDs.
const ProseFile = "testdata/prose.txt"

// ProsePath and ProseParam are where [LoadProse] puts each sentence: the
// parameter message of /feedback.
const (
	ProsePath  = "/feedback"
	ProseParam = "message"
)

// LoadProse returns the prose set, built into the package: every sentence
// of testdata/prose.txt as the value of [ProseParam] on [ProsePath], three
// ways as [LoadPATT] places payloads (query, form, JSON); Group is the
// placement and the ID "prose.txt:<line>/<placement>". The sentences are
// everyday English that uses words like select, union, drop, or, from,
// where, script, alert and exec, with apostrophes, semicolons, parentheses
// and quotes: none is an attack.
func LoadProse() ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(bytes.NewReader(proseFile))
	for n := 1; sc.Scan(); n++ {
		s := sc.Text()
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("%s:%d: empty line; the file holds one sentence per line", ProseFile, n)
		}
		for _, c := range placeValue(Prose, "", fmt.Sprintf("prose.txt:%d", n), false, ProsePath, ProseParam, s) {
			c.Group = c.ID[strings.LastIndexByte(c.ID, '/')+1:]
			cases = append(cases, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", ProseFile, err)
	}
	return cases, nil
}
