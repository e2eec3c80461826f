package lockfile

import (
	"bytes"
	"sort"
)

// A lineIndex maps byte offsets of a file to 1-based line numbers.
type lineIndex []int // offsets at which lines 2, 3, … start

func newLineIndex(data []byte) lineIndex {
	idx := make(lineIndex, 0, bytes.Count(data, []byte{'\n'}))
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// line returns the 1-based line holding offset off.
func (x lineIndex) line(off int) int {
	return sort.Search(len(x), func(i int) bool { return x[i] > off }) + 1
}
