package main

import (
	"io"
	"slices"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.engines, engineNames) || !slices.Equal(c.corpora, allCorpora) || c.limit != 0 || c.timing <= 0 || c.rounds < 1 {
		t.Errorf("defaults = %+v", c)
	}
	c, err = parseFlags([]string{"-engines", "coraza-pl2, bulwark,bulwark", "-corpora", "prose", "-limit", "10"}, io.Discard)
	if err != nil || !slices.Equal(c.engines, []string{"coraza-pl2", "bulwark"}) || !slices.Equal(c.corpora, []string{"prose"}) || c.limit != 10 {
		t.Errorf("parseFlags = %+v, %v", c, err)
	}
}

func TestParseFlagsErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-engines", "modsec"}, `-engines: unknown "modsec"`},
		{[]string{"-engines", ","}, "-engines is empty"},
		{[]string{"-corpora", "csic,nope"}, `-corpora: unknown "nope"`},
		{[]string{"-limit", "-1"}, "-limit -1"},
		{[]string{"-workers", "0"}, "-workers 0"},
		{[]string{"-rounds", "0"}, "-rounds 0"},
		{[]string{"-families", ""}, "-families is empty"},
		{[]string{"-engines", "coraza-pl1", "-misses", "m.jsonl"}, "add bulwark to -engines"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		_, err := parseFlags(tt.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseFlags(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}
