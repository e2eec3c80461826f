package update

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const testToken = "s3cret-npm-token"

// npmFixture publishes answer (1.0.1 deprecated, 1.0.2 passes, 1.1.0
// breaks the app's test, 2.0.0 a major), greet (a devDependency; 1.2.0
// passes) and @acme/util (behind a token; 1.0.1 passes) on a loopback
// registry, and installs an app depending on them at their first version.
func npmFixture(t *testing.T) (dir string, env []string) {
	t.Helper()
	needNPM(t)
	answer := func(n string) string { return "exports.answer = () => " + n + ";\n" }
	reg := newNPMRegistry(t, testToken, []npmVersion{
		{name: "answer", version: "1.0.0", index: answer("42")},
		{name: "answer", version: "1.0.1", index: answer("42"), deprecated: "use 1.0.2"},
		{name: "answer", version: "1.0.2", index: answer("42")},
		{name: "answer", version: "1.1.0", index: answer("41")},
		{name: "answer", version: "2.0.0", index: answer("42")},
		{name: "greet", version: "1.0.0", index: "exports.hi = () => 'hi';\n"},
		{name: "greet", version: "1.2.0", index: "exports.hi = () => 'hi';\n"},
		{name: "@acme/util", version: "1.0.0", index: "exports.id = (x) => x;\n"},
	})
	env = npmEnv(t)
	dir = t.TempDir()
	host := strings.TrimPrefix(reg.URL, "http:")
	write(t, dir, ".npmrc", "registry="+reg.URL+"\n@acme:registry="+reg.URL+"scoped/\n"+host+"scoped/:_authToken=${TEST_NPM_TOKEN}\n")
	env = append(env, "TEST_NPM_TOKEN="+testToken)
	write(t, dir, "package.json", `{
  "name": "app",
  "version": "1.0.0",
  "private": true,
  "scripts": {
    "test": "node test.js"
  },
  "dependencies": {
    "@acme/util": "^1.0.0",
    "answer": "1.0.0"
  },
  "devDependencies": {
    "greet": "~1.0.0"
  }
}
`)
	write(t, dir, "test.js", `const {answer} = require('answer');
const {hi} = require('greet');
const {id} = require('@acme/util');
if (answer() !== 42 || hi() !== 'hi' || id(1) !== 1) {
  console.error('answer() is ' + answer() + ', want 42');
  process.exit(1);
}
`)
	run(t, dir, env, "npm", "install", "--no-audit", "--no-fund")
	// Published after the install: the lockfile holds 1.0.0, the range ^1.0.0 takes 1.0.1.
	reg.publish(t, npmVersion{name: "@acme/util", version: "1.0.1", index: "exports.id = (x) => x;\n"})
	return dir, env
}

func TestNPMProject(t *testing.T) {
	dir, env := npmFixture(t)
	before := treeHash(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var logs bytes.Buffer
	opts := Options{Env: env, Jobs: 2, Timeout: 2 * time.Minute,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	want := map[string]Status{
		"npm:@acme/util@1.0.1": Passed,
		"npm:answer@1.0.2":     Passed,
		"npm:answer@1.1.0":     Failed,
		"npm:answer@2.0.0":     Skipped,
		"npm:greet@1.2.0":      Passed,
	}
	for _, group := range []bool{false, true} {
		name := map[bool]string{false: "one by one", true: "group"}[group]
		t.Run(name, func(t *testing.T) {
			o := opts
			o.Group = group
			rep, err := Run(ctx, dir, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != len(want) {
				t.Fatalf("got %d results, want %d: %+v", len(rep.Results), len(want), rep.Results)
			}
			for _, r := range rep.Results {
				if r.Status != want[r.ID()] || r.Keep != (r.Status == Passed) {
					t.Errorf("%s: %s keep=%v (%s), want %s\n%s", r.ID(), r.Status, r.Keep, r.How, want[r.ID()], r.Tail)
				}
				switch r.Name {
				case "answer":
					if !strings.Contains(strings.Join(r.Notes, " "), "skipped 1.0.1: deprecated (use 1.0.2)") {
						t.Errorf("%s: notes %q lack the deprecated 1.0.1", r.ID(), r.Notes)
					}
					if r.Status == Failed && !strings.Contains(r.Tail, "want 42") {
						t.Errorf("tail of the failure:\n%s", r.Tail)
					}
				case "greet":
					if !r.Dev || r.Kind != Minor {
						t.Errorf("greet: dev %v kind %s, want a dev minor", r.Dev, r.Kind)
					}
				case "@acme/util":
					if r.ReleaseNotes != "https://github.com/acme/util/releases" {
						t.Errorf("release notes %q", r.ReleaseNotes)
					}
				}
			}
			var out bytes.Buffer
			rep.WriteTable(&out)
			rep.WriteJSON(&out)
			out.WriteString(rep.Markdown())
			if strings.Contains(out.String()+logs.String(), testToken) {
				t.Error("the npm token reached the report or the logs")
			}
			t.Logf("%s: %d runs\n%s", name, rep.Runs, out.String()[:strings.Index(out.String(), "{")])
		})
	}
	if treeHash(t, dir) != before {
		t.Fatal("the project changed without --apply")
	}
}

func TestSetRange(t *testing.T) {
	in := `{
  "name": "x",
  "scripts": {"answer": "1.0.0"},
  "dependencies": {"answer": "1.0.0", "b": "^2.0.0"},
  "devDependencies": {
    "c" :  "~3.1.0",
    "answer": "^1.0.0"
  }
}`
	tests := []struct{ name, to, want string }{
		{"answer", "1.0.2", `"dependencies": {"answer": "1.0.2", "b": "^2.0.0"}`},
		{"b", "2.1.0", `"b": "^2.1.0"`},
		{"c", "3.1.4", `"c" :  "~3.1.4"`},
	}
	for _, tt := range tests {
		got, err := setRange([]byte(in), tt.name, tt.to)
		if err != nil {
			t.Fatalf("setRange(%s, %s): %v", tt.name, tt.to, err)
		}
		if !strings.Contains(string(got), tt.want) {
			t.Errorf("setRange(%s, %s) = %s, want it to contain %s", tt.name, tt.to, got, tt.want)
		}
		if !strings.Contains(string(got), `"scripts": {"answer": "1.0.0"}`) {
			t.Errorf("setRange(%s) touched scripts: %s", tt.name, got)
		}
	}
	got, _ := setRange([]byte(in), "answer", "1.0.2")
	if !strings.Contains(string(got), `"answer": "^1.0.2"`) {
		t.Errorf("devDependencies copy not rewritten: %s", got)
	}
	if _, err := setRange([]byte(in), "missing", "1.0.0"); err == nil {
		t.Error("setRange of a missing dependency: no error")
	}
}
