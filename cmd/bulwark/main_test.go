package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/bulwark-sec/bulwark/cmd/bulwark/internal/cli"
)

func TestMain(m *testing.M) {
	// Every bulwark these tests start keeps its state in a folder of its
	// own, never the machine's (/var/lib/bulwark as root, or ~/.local/state):
	// a test that wants the state elsewhere sets BULWARK_HOME itself.
	var tm testscript.TestingM = m
	if os.Getenv("BULWARK_HOME") == "" {
		if dir, err := os.MkdirTemp("", "bulwark-home"); err == nil {
			os.Setenv("BULWARK_HOME", dir)
			tm = removeAfter{m, dir}
		}
	}
	testscript.Main(tm, map[string]func(){
		"bulwark": func() {
			os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScript runs the CLI end to end from testdata/script/*.txtar. Each
// script's state directory is $WORK/.state unless it sets BULWARK_HOME.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: func(env *testscript.Env) error {
		env.Setenv("BULWARK_HOME", filepath.Join(env.WorkDir, ".state"))
		return nil
	}})
}

// removeAfter runs the tests, then removes dir.
type removeAfter struct {
	m   *testing.M
	dir string
}

func (r removeAfter) Run() int {
	code := r.m.Run()
	os.RemoveAll(r.dir)
	return code
}
