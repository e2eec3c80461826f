package release

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestNPMInstall publishes the release's npm packages to a real npm
// registry (verdaccio, on loopback, storage in a temp dir, no uplinks: it
// never asks the public registry), installs bulwark in a fresh folder with
// plain npm install, and runs npx bulwark --version and npx bulwark guard
// --run in front of the example Express app until a request passes through.
func TestNPMInstall(t *testing.T) {
	b := releaseTwice(t)
	if runtime := exec.Command("uname", "-sm"); true {
		out, _ := runtime.Output()
		if strings.TrimSpace(string(out)) != "Linux x86_64" {
			t.Skipf("installs the linux/amd64 package; this machine is %s", out)
		}
	}
	app := testutil.ExpressAppDir(t)
	registry := startVerdaccio(t, filepath.Join(b.root, "internal", "release", "testdata", "verdaccio"))

	// Publish as a user of the registry, as a maintainer would.
	token := addRegistryUser(t, registry)
	publisher := t.TempDir()
	npmrc := filepath.Join(publisher, ".npmrc")
	host := strings.TrimPrefix(registry, "http:")
	if err := os.WriteFile(npmrc, []byte(host+"/:_authToken="+token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	version := b.stamp.NPMVersion()
	for _, tgz := range []string{"bulwark-sec-linux-x64-" + version + ".tgz", "bulwark-" + version + ".tgz"} {
		npm(t, publisher, []string{"npm_config_userconfig=" + npmrc},
			"publish", filepath.Join(b.distA, tgz), "--registry", registry, "--tag", "latest", "--access", "public")
	}

	// A Node developer's project: plain npm install, no token, no scripts.
	project := t.TempDir()
	if err := os.WriteFile(filepath.Join(project, "package.json"), []byte(`{"name":"my-app","version":"1.0.0","private":true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"npm_config_userconfig=" + filepath.Join(project, "no.npmrc"), "npm_config_registry=" + registry}
	npm(t, project, env, "install", "--save-dev", "bulwark", "--registry", registry)

	bin := filepath.Join(project, "node_modules", "@bulwark-sec", "linux-x64", "bin", "bulwark")
	if st, err := os.Stat(bin); err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("npm install put no executable binary at %s: %v", bin, err)
	}
	for _, pkg := range []string{"bulwark", "@bulwark-sec/linux-x64"} {
		var manifest struct{ Scripts map[string]string }
		raw, err := os.ReadFile(filepath.Join(project, "node_modules", pkg, "package.json"))
		if err == nil {
			err = json.Unmarshal(raw, &manifest)
		}
		if err != nil || len(manifest.Scripts) > 0 {
			t.Errorf("%s as installed: scripts %v (%v), want none: nothing may run or download at install time", pkg, manifest.Scripts, err)
		}
	}
	out := run(t, project, env, "node", "-e", "console.log(require('bulwark').binaryPath())")
	if got := strings.TrimSpace(out); got != bin {
		t.Errorf("require('bulwark').binaryPath() = %q, want %q", got, bin)
	}
	out = npx(t, project, env, "bulwark", "--version")
	if !strings.HasPrefix(out, "bulwark "+b.stamp.Version+" (commit "+b.stamp.Commit) {
		t.Errorf("npx bulwark --version = %q, want bulwark %s (commit %s…", out, b.stamp.Version, b.stamp.Commit)
	}

	// npx bulwark guard --run in front of the example app.
	appAddr, pub, adm := testutil.FreeAddr(t), testutil.FreeAddr(t), testutil.FreeAddr(t)
	_, port, _ := net.SplitHostPort(appAddr)
	guard := exec.Command("npx", "--no-install", "bulwark", "guard", "--upstream", "http://"+appAddr,
		"--listen", pub, "--admin", adm, "--run", "node "+filepath.Join(app, "server.js"))
	guard.Dir = project
	guard.Env = append(os.Environ(), env...)
	guard.Env = append(guard.Env, "BULWARK_HOME="+t.TempDir(), "HOST=127.0.0.1", "PORT="+port,
		"NODE_PATH="+filepath.Join(app, "node_modules"))
	logs := &testutil.SyncBuffer{}
	guard.Stdout, guard.Stderr = logs, logs
	guard.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := guard.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- guard.Wait() }()
	t.Cleanup(func() {
		// SIGTERM to npx's process group: npx, the launcher, bulwark (which
		// stops the app it runs).
		syscall.Kill(-guard.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			syscall.Kill(-guard.Process.Pid, syscall.SIGKILL)
			t.Errorf("npx bulwark guard did not stop within 20s of SIGTERM; its output:\n%s", logs)
		}
	})
	client := &http.Client{Timeout: 5 * time.Second}
	var resp *http.Response
	testutil.Eventually(t, "a request passed through npx bulwark guard to the app", func() bool {
		select {
		case err := <-exited:
			t.Fatalf("npx bulwark guard exited: %v; its output:\n%s", err, logs)
		default:
		}
		r, err := client.Get("http://" + pub + "/")
		if err != nil {
			return false
		}
		resp = r
		return true
	})
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Powered-By") != "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET / through the gateway: %s, X-Powered-By %q, X-Content-Type-Options %q; want 200 from the app with the gateway's headers\n%s",
			resp.Status, resp.Header.Get("X-Powered-By"), resp.Header.Get("X-Content-Type-Options"), body)
	}
	// And the gateway, not the app alone, answered: an attack is refused.
	r, err := client.Get("http://" + pub + "/search?q=" + "1%27%20OR%20%271%27%3D%271")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("GET /search?q=1' OR '1'='1 through the gateway: %s, want 403", r.Status)
	}
}

// startVerdaccio runs verdaccio, installed by make deps in dir, on a free
// loopback port with its storage in a temp dir and no uplinks, and returns
// its URL once it answers.
func startVerdaccio(t *testing.T, dir string) string {
	t.Helper()
	main := filepath.Join(dir, "node_modules", "verdaccio", "bin", "verdaccio")
	if _, err := os.Stat(main); err != nil {
		testutil.RealPartMissing(t, "verdaccio is not installed in "+dir+": run make deps")
	}
	state := t.TempDir()
	config := fmt.Sprintf(`storage: %s/storage
auth:
  htpasswd:
    file: %s/htpasswd
uplinks: {}
max_body_size: 200mb
packages:
  '**':
    access: $all
    publish: $authenticated
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
`, state, state)
	cfg := filepath.Join(state, "config.yaml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := testutil.FreeAddr(t)
	cmd := exec.Command("node", main, "--config", cfg, "--listen", addr)
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("verdaccio's output:\n%s", logs)
		}
	})
	url := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	testutil.Eventually(t, "verdaccio answering /-/ping", func() bool {
		r, err := client.Get(url + "/-/ping")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	})
	return url
}

// addRegistryUser signs up a user, as npm adduser does, and returns its
// token.
func addRegistryUser(t *testing.T, registry string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"name": "maintainer", "password": "release-test-only"})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPut, registry+"/-/user/org.couchdb.user:maintainer", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reply struct{ Token string }
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &reply); err != nil || reply.Token == "" {
		t.Fatalf("adding a registry user: %s %s", resp.Status, raw)
	}
	return reply.Token
}

// npm runs npm with args in dir and returns its standard output.
func npm(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	return run(t, dir, env, "npm", append(args, "--no-audit", "--no-fund", "--no-update-notifier")...)
}

// npx runs npx --no-install (only what is installed in dir) with args.
func npx(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	return run(t, dir, env, "npx", append([]string{"--no-install"}, args...)...)
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "npm_config_cache="+filepath.Join(dir, ".npm-cache"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
