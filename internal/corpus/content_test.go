package corpus

import (
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

func TestLoadContent(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		testutil.RealPartMissing(t, err.Error())
	}
	cases, err := LoadContent(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 18232 {
		t.Fatalf("LoadContent: %d cases, want the 18,232 SOURCE.md names", len(cases))
	}
	groups := map[string]int{}
	for _, c := range cases {
		if c.Attack || c.Corpus != Content || !strings.HasPrefix(c.ID, "c") || c.Group == "" {
			t.Fatalf("case %+v: want a benign content case with an id c… and its shape as group", c)
		}
		groups[c.Group]++
	}
	if c := cases[0]; c.ID != "c000001" || c.Method != "POST" || c.Header.Get("Host") != "blog.example.com" || len(c.Body) == 0 {
		t.Errorf("first case %s %s %s Host=%q body %d bytes, want c000001, a POST to blog.example.com with a body", c.ID, c.Method, c.Path, c.Header.Get("Host"), len(c.Body))
	}
	if len(groups) < 4 {
		t.Errorf("groups %v, want the request shapes of SOURCE.md", groups)
	}
}
