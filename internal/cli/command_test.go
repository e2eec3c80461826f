package cli

import (
	"slices"
	"testing"
)

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"node server.js", []string{"node", "server.js"}},
		{"  node   server.js  ", []string{"node", "server.js"}},
		{`node "my app.js" --title 'a b'`, []string{"node", "my app.js", "--title", "a b"}},
		{`sh -c 'echo "$HOME"'`, []string{"sh", "-c", `echo "$HOME"`}},
		{`a\ b "c\"d" ''`, []string{"a b", `c"d`, ""}},
	}
	for _, tt := range tests {
		got, err := splitCommand(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("splitCommand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "   ", `node "unterminated`, "node 'x"} {
		if _, err := splitCommand(bad); err == nil {
			t.Errorf("splitCommand(%q) succeeded", bad)
		}
	}
}
