package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"10s", 10 * time.Second, true},
		{"1h30m", 90 * time.Minute, true},
		{"365d", 365 * day, true},
		{"1d12h", 36 * time.Hour, true},
		{"31536000", 365 * day, true},
		{"0", 0, true},
		{"-5s", -5 * time.Second, true},
		{"d", 0, false},
		{"1d-1h", 0, false},
		{"soon", 0, false},
		{"99999999999999999999d", 0, false},
		{"9999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestFormatDurationRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 90 * time.Second, 36 * time.Hour, 365 * day, 1500 * time.Millisecond, -time.Minute} {
		s := FormatDuration(d)
		back, err := ParseDuration(s)
		if err != nil || back != d {
			t.Errorf("ParseDuration(FormatDuration(%v) = %q) = %v, %v", d, s, back, err)
		}
	}
	if got := FormatDuration(365 * day); got != "365d" {
		t.Errorf("FormatDuration(365d) = %q", got)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want Size
		ok   bool
	}{
		{"512", 512, true},
		{"64KiB", 64 << 10, true},
		{"10MB", 10e6, true},
		{"1gib", 1 << 30, true},
		{"1 MiB", 1 << 20, true},
		{"-1", 0, false},
		{"1.5MiB", 0, false},
		{"9999999999TiB", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if s := Size(64 << 10).String(); s != "64KiB" {
		t.Errorf("Size(64KiB).String() = %q", s)
	}
}

func TestExpandEnv(t *testing.T) {
	lookup := env(map[string]string{"A": "alpha", "EMPTY": "", "REF": "${A}"})
	tests := []struct{ in, want, err string }{
		{"plain", "plain", ""},
		{"${A}-${A}", "alpha-alpha", ""},
		{"${MISSING:-def}", "def", ""},
		{"${EMPTY:-def}", "def", ""},
		{"x${EMPTY}y", "xy", ""},
		{"$$A and $5", "$A and $5", ""},
		{"${REF}", "${A}", ""},
		{"${MISSING}", "", "not set"},
		{"${A", "", "unterminated"},
		{"${1A}", "", "invalid environment variable name"},
	}
	for _, tt := range tests {
		got, err := expandEnv(tt.in, lookup)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("expandEnv(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("expandEnv(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestSecretNeverShown(t *testing.T) {
	s := Secret("hunter2")
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "token", s)
	out, _ := Encode(struct {
		Token Secret `yaml:"token"`
	}{s})
	for _, shown := range []string{s.String(), b.String(), string(out)} {
		if strings.Contains(shown, "hunter2") {
			t.Errorf("secret shown: %q", shown)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Errorf("Reveal() = %q", s.Reveal())
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	in := server{
		Listen: ":8080", MaxBody: 1 << 20, Trusted: []string{"10.0.0.0/8", "::1"}, Workers: 2,
		Headers: &headersConf{HSTS: hsts{MaxAge: 365 * day}, Extra: map[string][]string{"img-src": {"'self'", "data:"}}},
	}
	out, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	var back server
	if err := Decode("effective.yaml", out, &back); err != nil {
		t.Fatalf("decoding Encode output:\n%s\n%v", out, err)
	}
	if back.MaxBody != in.MaxBody || back.Headers.HSTS.MaxAge != in.Headers.HSTS.MaxAge || back.Trusted[1] != "::1" {
		t.Errorf("round trip lost values:\n%s", out)
	}
	if !strings.Contains(string(out), "maxAge: 365d") || !strings.Contains(string(out), "maxBody: 1MiB") {
		t.Errorf("Encode output not in the readable form:\n%s", out)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("listen: :8080\nheaders:\n  hsts: {maxAge: 1d}\n")
	f.Add("a: &a [1]\nb: *a\n")
	f.Add("token: ${X:-y}\ntrusted: [a, b]\n")
	f.Fuzz(func(t *testing.T, src string) {
		var got server
		err := Decoder{LookupEnv: env(nil)}.Decode("f.yaml", []byte(src), &got)
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Errorf("error does not name the file: %v", err)
		}
	})
}
