package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A target is one way of reaching the app: directly, through the bare
// proxy, or through bulwark guard.
type target struct {
	Name string
	URL  string
	proc *child
}

// The targets' places in the slice startTargets returns.
const (
	direct = iota
	bare
	guard
)

// readyTimeout bounds a child's start-up.
const readyTimeout = 15 * time.Second

// startTargets starts the upstream, the bare proxy and bulwark guard, each
// as a process of its own on a free loopback port, and waits until each
// answers GET / with 200 (the proxies through the upstream). The returned
// stop ends every child started, also when startTargets fails; it takes a
// few seconds at most.
func startTargets(ctx context.Context, cfg config, self, tmp string) ([]target, func(), error) {
	var started []*child
	stop := func() {
		for i := len(started) - 1; i >= 0; i-- {
			started[i].stop(5 * time.Second)
		}
	}
	env := childEnv(cfg.gomaxprocs)
	launch := func(name, dir, path string, args func(addr string) []string) (*child, error) {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		c, err := startChild(name, addr, dir, tmp, env, path, args(addr)...)
		if err != nil {
			return nil, err
		}
		started = append(started, c)
		return c, c.waitReady(ctx, readyTimeout)
	}

	up, err := launch("upstream", tmp, self, func(addr string) []string {
		return []string{"serve-upstream", "-addr", addr}
	})
	if err != nil {
		return nil, stop, err
	}
	upURL := "http://" + up.addr
	proxy, err := launch("bare-proxy", tmp, self, func(addr string) []string {
		return []string{"serve-bare-proxy", "-addr", addr, "-upstream", upURL}
	})
	if err != nil {
		return nil, stop, err
	}
	guardDir := filepath.Join(tmp, "guard") // guard writes bulwark.db and its admin token here
	if err := os.Mkdir(guardDir, 0o700); err != nil {
		return nil, stop, fmt.Errorf("making guard's working directory: %w", err)
	}
	admin, err := freeAddr()
	if err != nil {
		return nil, stop, err
	}
	gw, err := launch("guard", guardDir, cfg.bulwark, func(addr string) []string {
		return []string{"guard", "--upstream", upURL, "--listen", addr, "--admin", admin}
	})
	if err != nil {
		return nil, stop, err
	}

	return []target{
		direct: {Name: "direct (upstream)", URL: upURL + "/", proc: up},
		bare:   {Name: "bare proxy", URL: "http://" + proxy.addr + "/", proc: proxy},
		guard:  {Name: "bulwark guard", URL: "http://" + gw.addr + "/", proc: gw},
	}, stop, nil
}

// childEnv is this process's environment for the children, with
// GOMAXPROCS pinned and no BULWARK_ variable, so that guard runs with its
// defaults whatever the caller's shell holds.
func childEnv(gomaxprocs int) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOMAXPROCS=") || strings.HasPrefix(kv, "BULWARK_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOMAXPROCS="+strconv.Itoa(gomaxprocs))
}
