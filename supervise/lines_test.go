package supervise

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

func collectLines(in string, maxLine int) []string {
	var got []string
	readLines(iotest.HalfReader(strings.NewReader(in)), maxLine, func(l []byte) { got = append(got, string(l)) })
	return got
}

func TestReadLines(t *testing.T) {
	long := strings.Repeat("a", 200<<10)
	tests := []struct {
		name    string
		in      string
		maxLine int
		want    []string
	}{
		{"plain", "a\nbb\n", 1 << 20, []string{"a\n", "bb\n"}},
		{"partial last", "a\nb", 1 << 20, []string{"a\n", "b\n"}},
		{"empty lines", "\n\n", 1 << 20, []string{"\n", "\n"}},
		{"longer than 64KiB passes intact", long + "\nz\n", 1 << 20, []string{long + "\n", "z\n"}},
		{"partial long", long, 1 << 20, []string{long + "\n"}},
		{"exactly maxLine", "abcd\nef\n", 4, []string{"abcd\n", "ef\n"}},
		{"split beyond maxLine", "abcdefghij\nk\n", 4, []string{"abcd\n", "efgh\n", "ij\n", "k\n"}},
		{"split partial", "abcdefghi", 4, []string{"abcd\n", "efgh\n", "i\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collectLines(tt.in, tt.maxLine)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("readLines(%.20q…, %d) = %d lines %.60q, want %d lines %.60q", tt.in, tt.maxLine, len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

func TestReadLinesSplitsHugeLineWithoutLoss(t *testing.T) {
	var src bytes.Buffer
	for i := range 3 << 20 {
		src.WriteByte(byte('a' + i%26))
	}
	huge := src.String()
	got := collectLines(huge+"\n", 1<<20)
	if len(got) != 3 {
		t.Fatalf("a 3MiB line with maxLine 1MiB gave %d lines, want 3", len(got))
	}
	var joined strings.Builder
	for _, l := range got {
		joined.WriteString(strings.TrimSuffix(l, "\n"))
	}
	if joined.String() != huge {
		t.Errorf("the pieces of a split line do not join back to it")
	}
}
