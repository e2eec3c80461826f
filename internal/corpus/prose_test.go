package corpus

import (
	"regexp"
	"strings"
	"testing"
)

func TestLoadProse(t *testing.T) {
	cases, err := LoadProse()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 3000 || len(cases)%3 != 0 {
		t.Errorf("LoadProse: %d cases, want three per sentence and at least 1,000 sentences", len(cases))
	}
	groups := map[string]int{}
	for _, c := range cases {
		groups[c.Group]++
		if c.Attack {
			t.Fatalf("%s is an attack", c.ID)
		}
	}
	if groups[InQuery] != groups[InForm] || groups[InForm] != groups[InJSON] {
		t.Errorf("groups %v, want the three placements alike", groups)
	}
	if c := cases[2]; c.ID != "prose.txt:1/json" || !strings.HasPrefix(string(c.Body), `{"message":"`) {
		t.Errorf("third case = %s %q", c.ID, c.Body)
	}
}

// TestProseWords checks that the sentences use the words and marks the
// prose set exists for, each many times.
func TestProseWords(t *testing.T) {
	text := strings.ToLower(string(proseFile))
	for _, w := range []string{"select", "drop", "union", "or", "and", "from", "where", "script", "alert", "exec",
		"insert", "update", "delete", "table", "order", "join", "wait"} {
		if n := len(regexp.MustCompile(`\b`+w+`\b`).FindAllString(text, -1)); n < 10 {
			t.Errorf("%q appears %d times, want at least 10", w, n)
		}
	}
	for _, p := range []string{"'", ";", "(", ")", `"`, "&", "%", ":", "!", "?", "—"} {
		if n := strings.Count(text, p); n < 10 {
			t.Errorf("%q appears %d times, want at least 10", p, n)
		}
	}
}
