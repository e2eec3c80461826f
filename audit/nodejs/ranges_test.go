package nodejs

import "testing"

func TestRangeContains(t *testing.T) {
	tests := []struct {
		rng string
		in  []string
		out []string
	}{
		{"18.x || 20.x || 21.x", []string{"18.0.0", "20.11.0", "21.7.3"}, []string{"19.9.0", "22.0.0", "17.99.99"}},
		{"^18.19.1 || ^20.11.1", []string{"18.19.1", "18.20.0", "20.11.1", "20.20.2"}, []string{"18.19.0", "19.0.0", "20.11.0", "21.0.0"}},
		{">= 10.9.0", []string{"10.9.0", "24.0.0"}, []string{"10.8.9"}},
		{"<= 10", []string{"0.10.48", "10.99.0"}, []string{"11.0.0"}},
		{">=6.0.0 <6.2.0 || 5.x", []string{"6.1.9", "5.0.0"}, []string{"6.2.0", "4.9.9"}},
		{"9.7.x || 10.x", []string{"9.7.1", "10.0.0"}, []string{"9.8.0", "9.6.9"}},
		{"8.5.0", []string{"8.5.0"}, []string{"8.5.1", "8.4.9"}},
		{"^0.10.48 || ^0.12.17", []string{"0.10.48", "0.12.18"}, []string{"0.11.0", "0.10.47", "1.0.0"}},
		{"~4.8.2", []string{"4.8.9"}, []string{"4.9.0"}},
		{"1.2.3 - 1.4", []string{"1.2.3", "1.4.9"}, []string{"1.5.0", "1.2.2"}},
		{"> 1.2", []string{"1.3.0"}, []string{"1.2.9"}},
		{"< 1.2", []string{"1.1.9"}, []string{"1.2.0"}},
	}
	for _, tt := range tests {
		s, err := parseRange(tt.rng)
		if err != nil {
			t.Fatalf("parseRange(%q): %v", tt.rng, err)
		}
		for _, v := range tt.in {
			if pv, _ := ParseVersion(v); !s.contains(pv) {
				t.Errorf("%q does not contain %s, want it to", tt.rng, v)
			}
		}
		for _, v := range tt.out {
			if pv, _ := ParseVersion(v); s.contains(pv) {
				t.Errorf("%q contains %s, want it not to", tt.rng, v)
			}
		}
	}
}

func TestRangeRefused(t *testing.T) {
	for _, r := range []string{"banana", "20.x.y", ">=", "^1.2.3-beta", "1 -", string(make([]byte, 2000))} {
		if _, err := parseRange(r); err == nil {
			t.Errorf("parseRange(%q) accepted it, want an error", r)
		}
	}
}

func TestMinus(t *testing.T) {
	vuln, _ := parseRange("18.x || 20.x || 21.x")
	patched, _ := parseRange("^18.19.1 || ^20.11.1 || ^21.6.2")
	got := vuln.minus(patched)
	want := set{
		{Version{18, 0, 0}, Version{18, 19, 1}},
		{Version{20, 0, 0}, Version{20, 11, 1}},
		{Version{21, 0, 0}, Version{21, 6, 2}},
	}
	if len(got) != len(want) {
		t.Fatalf("minus = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("minus[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"18.x || 20.x", "^20.11.1 || ^21.6.2", ">= 10.9.0", "<= 10", ">=6.0.0 <6.2.0 || 5.x", "1.2.3 - 1.4.0", "~>1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := parseRange(s)
		if err != nil {
			return
		}
		for i, iv := range set {
			if iv.lo.Compare(iv.hi) >= 0 {
				t.Fatalf("parseRange(%q): empty interval %v", s, iv)
			}
			if i > 0 && set[i-1].hi.Compare(iv.lo) >= 0 {
				t.Fatalf("parseRange(%q): intervals %v and %v overlap or touch", s, set[i-1], iv)
			}
		}
	})
}
