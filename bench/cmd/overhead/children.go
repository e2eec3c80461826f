package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// A child is a server under test running as a process of its own, so that
// every target is measured the same way: over loopback, in its own runtime.
type child struct {
	name   string
	addr   string // host:port it serves on
	cmd    *exec.Cmd
	stderr string        // file holding its standard error
	exited chan struct{} // closed when the process has exited
	err    error         // why it exited; read after exited is closed
}

// startChild starts path with args in dir, its standard error going to a
// file in logDir; env is its whole environment. The child gets its own
// process group, so stop can end it and anything it started, and it dies
// with this process (Pdeathsig).
func startChild(name, addr, dir, logDir string, env []string, path string, args ...string) (*child, error) {
	stderr, err := os.Create(filepath.Join(logDir, name+".stderr"))
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	defer stderr.Close()
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Env = append(env, "BULWARK_HOME="+dir) // a bulwark's state stays in its run's folder
	cmd.Stdout = nil                           // events and chatter go to /dev/null
	cmd.Stderr = stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s (%s): %w", name, path, err)
	}
	c := &child{name: name, addr: addr, cmd: cmd, stderr: stderr.Name(), exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	return c, nil
}

// waitReady polls GET / until the child answers 200, it exits, or timeout
// passes.
func (c *child) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	url := "http://" + c.addr + "/"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.exited:
			return fmt.Errorf("%s exited before it was ready (%v); its last words:\n%s", c.name, c.err, c.lastWords())
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer 200 on %s within %s; its last words:\n%s", c.name, url, timeout, c.lastWords())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop asks the child's process group to terminate, and kills it if it has
// not exited within grace.
func (c *child) stop(grace time.Duration) {
	pgid := -c.cmd.Process.Pid
	syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(grace):
		syscall.Kill(pgid, syscall.SIGKILL)
		<-c.exited
	}
}

// lastWords returns the end of the child's standard error.
func (c *child) lastWords() string {
	b, err := os.ReadFile(c.stderr)
	if err != nil {
		return err.Error()
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	if s == "" {
		return "(nothing on stderr)"
	}
	return s
}

// freeAddr returns a loopback address with a port the kernel just gave out
// and that is free again. Another process could take it before the child
// does; then the child fails to start and says so.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}
