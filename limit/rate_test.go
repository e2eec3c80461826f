package limit

import (
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		err  string
	}{
		{in: "100/s", want: Rate{100, time.Second}},
		{in: "600/m", want: Rate{600, time.Minute}},
		{in: "20/h", want: Rate{20, time.Hour}},
		{in: "1000/d", want: Rate{1000, 24 * time.Hour}},
		{in: " 5 / min ", want: Rate{5, time.Minute}},
		{in: "10/5m", want: Rate{10, 5 * time.Minute}},
		{in: "1/500ms", want: Rate{1, 500 * time.Millisecond}},
		{in: "3/2d", want: Rate{3, 48 * time.Hour}},
		{in: "1000000/s", want: Rate{1000000, time.Second}},
		{in: "", err: "empty rate"},
		{in: "100", err: "count/period"},
		{in: "0/s", err: "at least 1"},
		{in: "-3/s", err: "at least 1"},
		{in: "1.5/s", err: "whole number"},
		{in: "x/s", err: "whole number"},
		{in: "10/fortnight", err: "unknown period"},
		{in: "10/", err: "unknown period"},
		{in: "10/0s", err: "longer than zero"},
		{in: "10/-5s", err: "unknown period"},
		{in: "1/400d", err: "longer than a year"},
		{in: "2000000/s", err: "too fast"},
		{in: "99999999999999999999/s", err: "whole number"},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseRate(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestRateString(t *testing.T) {
	for _, s := range []string{"100/s", "600/m", "20/h", "1000/d", "10/5m", "1/500ms", "7/1h30m"} {
		r, err := ParseRate(s)
		if err != nil {
			t.Fatalf("ParseRate(%q): %v", s, err)
		}
		if got := r.String(); got != s {
			t.Errorf("ParseRate(%q).String() = %q", s, got)
		}
	}
	if s := (Rate{}).String(); s != "" {
		t.Errorf("zero Rate.String() = %q, want empty", s)
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"100/s", "600/m", "20/h", "10/5m", "1/500ms", "0/s", "", "/", "1/", "9/9999999999999d", "1/1ns", "5 / MIN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if r.N < 1 || r.Per <= 0 || r.Interval() < minInterval {
			t.Fatalf("ParseRate(%q) = %+v: accepted a rate a limit cannot use", s, r)
		}
		// What String writes, ParseRate reads back the same.
		back, err := ParseRate(r.String())
		if err != nil || back != r {
			t.Fatalf("ParseRate(%q) = %+v; String %q reads back as %+v, %v", s, r, r.String(), back, err)
		}
	})
}
