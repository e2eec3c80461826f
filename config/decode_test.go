package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type hsts struct {
	Disable bool          `yaml:"disable"`
	MaxAge  time.Duration `yaml:"maxAge"`
	Preload bool          `yaml:"preload"`
}

func (h hsts) Validate() error {
	if h.MaxAge < 0 {
		return Field("maxAge", fmt.Errorf("must be at least 0s, got %v", h.MaxAge))
	}
	return nil
}

type server struct {
	Listen  string         `yaml:"listen"`
	MaxBody Size           `yaml:"maxBody"`
	Token   Secret         `yaml:"token"`
	Trusted []string       `yaml:"trusted"`
	Headers *headersConf   `yaml:"headers"`
	Limits  map[string]int `yaml:"limits"`
	Workers int8           `yaml:"workers"`
}

type headersConf struct {
	HSTS  hsts                `yaml:"hsts"`
	Extra map[string][]string `yaml:"extra"`
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDecodeValid(t *testing.T) {
	src := `
listen: ":8080"
maxBody: 10MiB
token: ${TOKEN}
trusted: 10.0.0.0/8
workers: 4
headers:
  hsts:
    maxAge: 365d
    preload: true
  extra:
    script-src: ["'self'", "https://cdn.${DOMAIN:-example.com}"]
limits: {login: 5}
`
	var got server
	d := Decoder{LookupEnv: env(map[string]string{"TOKEN": "s3cret$x"})}
	if err := d.Decode("b.yaml", []byte(src), &got); err != nil {
		t.Fatal(err)
	}
	want := server{
		Listen: ":8080", MaxBody: 10 << 20, Token: "s3cret$x", Trusted: []string{"10.0.0.0/8"}, Workers: 4,
		Headers: &headersConf{
			HSTS:  hsts{MaxAge: 365 * 24 * time.Hour, Preload: true},
			Extra: map[string][]string{"script-src": {"'self'", "https://cdn.example.com"}},
		},
		Limits: map[string]int{"login": 5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeDisableShorthand(t *testing.T) {
	var got headersConf
	if err := Decode("b.yaml", []byte("hsts: false\n"), &got); err != nil {
		t.Fatal(err)
	}
	if !got.HSTS.Disable {
		t.Errorf("hsts: false did not set Disable")
	}
	got = headersConf{}
	if err := Decode("b.yaml", []byte("hsts: true\n"), &got); err != nil || got.HSTS.Disable {
		t.Errorf("hsts: true = %+v, %v; want defaults", got.HSTS, err)
	}
}

func TestDecodeEmptyFile(t *testing.T) {
	for _, src := range []string{"", "\n# only a comment\n", "---\n"} {
		var got server
		if err := Decode("b.yaml", []byte(src), &got); err != nil {
			t.Errorf("Decode(%q) = %v, want nil", src, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key with hint", "listen: x\nlisen2: y\n", `b.yaml:2: lisen2: unknown key (did you mean listen?)`},
		{"case hint", "maxbody: 1\n", `b.yaml:1: maxbody: unknown key (did you mean maxBody?)`},
		{"nested unknown", "headers:\n  hsts:\n    maxage: 1\n", `b.yaml:3: headers.hsts.maxage: unknown key (did you mean maxAge?)`},
		{"wrong type", "workers: many\n", `b.yaml:1: workers: expected a whole number, got "many"`},
		{"overflow", "workers: 300\n", `b.yaml:1: workers: expected a whole number, got "300"`},
		{"mapping for scalar", "listen:\n  a: b\n", `b.yaml:2: listen: expected a string, got a mapping`},
		{"bad duration", "headers:\n  hsts:\n    maxAge: soon\n", `b.yaml:3: headers.hsts.maxAge: invalid duration "soon"`},
		{"validate at key", "headers:\n  hsts:\n    preload: true\n    maxAge: -5s\n", `b.yaml:4: headers.hsts.maxAge: must be at least 0s, got -5s`},
		{"bad size", "maxBody: lots\n", `b.yaml:1: maxBody: invalid size "lots"`},
		{"missing env", "token: ${NOPE}\n", `b.yaml:1: token: environment variable NOPE is not set (set it, or give a default: ${NOPE:-value})`},
		{"duplicate", "listen: a\nlisten: b\n", `b.yaml:2: listen: duplicate key (remove one of them)`},
		{"syntax", "listen: [a\n", `b.yaml:`},
		{"list index", "trusted: [a, {x: 1}]\n", `b.yaml:1: trusted[1]: expected a string, got a mapping`},
		{"struct as scalar", "headers: yes\n", `b.yaml:1: headers: expected a mapping, got "yes"`},
		{"bool strict", "headers:\n  hsts:\n    preload: yes\n", `b.yaml:3: headers.hsts.preload: expected true or false, got "yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := server{Listen: "keep"}
			err := Decoder{LookupEnv: env(nil)}.Decode("b.yaml", []byte(tt.src), &got)
			if err == nil {
				t.Fatalf("Decode(%q) = nil, want error", tt.src)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Decode error %T is not Errors", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Decode(%q) error\n got: %s\nwant: %s", tt.src, err, tt.want)
			}
			if got.Listen != "keep" {
				t.Errorf("Decode changed the target on error: %+v", got)
			}
		})
	}
}

func TestDecodeReportsSeveral(t *testing.T) {
	var got server
	err := Decode("b.yaml", []byte("a: 1\nb: 2\nworkers: x\n"), &got)
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("Decode = %v, want 3 errors", err)
	}
}

func TestDecodeAliasBomb(t *testing.T) {
	src := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g"} {
		src += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
		prev = n
	}
	type bomb struct {
		A []string             `yaml:"a"`
		B [][]string           `yaml:"b"`
		C [][][]string         `yaml:"c"`
		D [][][][]string       `yaml:"d"`
		E [][][][][]string     `yaml:"e"`
		F [][][][][][]string   `yaml:"f"`
		G [][][][][][][]string `yaml:"g"`
	}
	var got bomb
	if err := Decode("b.yaml", []byte(src), &got); err == nil {
		t.Fatal("alias bomb decoded without error")
	}
}

func TestWithin(t *testing.T) {
	err := Within("headers", errors.Join(Field("hsts.maxAge", errors.New("too small")), errors.New("general")))
	es := splitErrors(err)
	if len(es) != 2 {
		t.Fatalf("Within gave %d errors, want 2", len(es))
	}
	if p, msg, _ := fieldOf(es[0]); p != "headers.hsts.maxAge" || msg != "too small" {
		t.Errorf("first = %q %q", p, msg)
	}
	if p, _, _ := fieldOf(es[1]); p != "headers" {
		t.Errorf("second path = %q, want headers", p)
	}
}
