package blackbook

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in, want string
		kind     TargetKind
	}{
		{"203.0.113.9", "203.0.113.9", KindIP},
		{"::ffff:203.0.113.9", "203.0.113.9", KindIP},
		{"2001:db8::1", "2001:db8::1", KindIP},
		{"203.0.113.0/24", "203.0.113.0/24", KindCIDR},
		{"203.0.113.9/32", "203.0.113.9", KindIP},
		{"2001:db8::/64", "2001:db8::/64", KindCIDR},
		{"::ffff:203.0.113.0/120", "203.0.113.0/24", KindCIDR},
		{"user:alice", "user:alice", KindUser},
		{"user:bob@example.com", "user:bob@example.com", KindUser},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", tt.in, err)
			continue
		}
		if got.String() != tt.want || got.Kind() != tt.kind {
			t.Errorf("ParseTarget(%q) = %q (%s), want %q (%s)", tt.in, got, got.Kind(), tt.want, tt.kind)
		}
	}
}

func TestParseTargetErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty"},
		{"203.0.113", "not an IP"},
		{"203.0.113.9/24", "did you mean 203.0.113.0/24"},
		{"0.0.0.0/4", "wider than /8"},
		{"::/0", "wider than /16"},
		{"fe80::1%eth0", "zone"},
		{"user:", "empty user"},
		{"user:a\nb", "control"},
		{"user:" + strings.Repeat("x", 300), "longer than"},
		{"user:\xff", "UTF-8"},
		{"1.2.3.4/33", "not a CIDR"},
	}
	for _, tt := range tests {
		_, err := ParseTarget(tt.in)
		if err == nil || !errors.Is(err, ErrBadTarget) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTarget(%q) = %v, want an ErrBadTarget saying %q", tt.in, err, tt.want)
		}
	}
}

func TestTargetContains(t *testing.T) {
	n := mustTarget(t, "203.0.113.0/24")
	if !n.Contains(ip("203.0.113.77")) || !n.Contains(ip("::ffff:203.0.113.77")) || n.Contains(ip("203.0.114.1")) {
		t.Error("203.0.113.0/24 Contains is wrong")
	}
	if mustTarget(t, "user:a").Contains(ip("203.0.113.1")) {
		t.Error("a user target contains an address")
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"203.0.113.9", "2001:db8::/64", "user:alice", "10.0.0.0/8", "::ffff:1.2.3.4",
		"1.2.3.4/32", "user:", "fe80::1%eth0", "::ffff:10.0.0.0/104", "user:\x00", "/", "1.2.3.4/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			if !errors.Is(err, ErrBadTarget) {
				t.Fatalf("ParseTarget(%q) error %v is not an ErrBadTarget", s, err)
			}
			return
		}
		if tg.IsZero() {
			t.Fatalf("ParseTarget(%q) gave the zero target without error", s)
		}
		again, err := ParseTarget(tg.String())
		if err != nil || again != tg {
			t.Fatalf("ParseTarget(%q) = %q, which parses back as %q, %v", s, tg, again, err)
		}
	})
}
