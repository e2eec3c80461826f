package main

import "testing"

func TestRuleLevels(t *testing.T) {
	levels, err := ruleLevels()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int]int{942100: 1, 942190: 1, 920451: 2, 942101: 2, 944100: 1} {
		if got, ok := levels[id]; !ok || got != want {
			t.Errorf("level of rule %d = %d (known %v), want %d", id, got, ok, want)
		}
	}
	if len(levels) < 250 {
		t.Errorf("%d rules with a level, want the 280-odd request rules of CRS 4", len(levels))
	}
	if caseRule("934120-43/stage1") != 934120 {
		t.Error("caseRule does not find the rule of 934120-43/stage1")
	}
}
