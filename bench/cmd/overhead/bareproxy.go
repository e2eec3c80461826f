package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"
)

// serveBareProxy is the hidden "serve-bare-proxy" subcommand: an
// [httputil.ReverseProxy] with the transport and server timeouts bulwark
// guard uses by default (guard/proxy.go, guard/serve.go) and no other
// logic. It keeps ReverseProxy's default flushing (SSE and responses of
// unknown length at once, others when the handler returns), as a plain
// Go proxy would. The difference between it and guard is what guard adds.
func serveBareProxy(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bare-proxy", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	upstream := fs.String("upstream", "", "the upstream's base URL")
	flush := fs.Duration("flush-interval", 0, "ReverseProxy.FlushInterval, for experiments (guard uses -1ns)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	target, err := url.Parse(*upstream)
	if err != nil || target.Host == "" {
		return fmt.Errorf("bare-proxy: -upstream %q is not a URL like http://127.0.0.1:3000", *upstream)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
		},
		Transport: &http.Transport{
			DialContext:            dialer.DialContext,
			MaxIdleConns:           256,
			MaxIdleConnsPerHost:    256,
			IdleConnTimeout:        90 * time.Second,
			ResponseHeaderTimeout:  60 * time.Second,
			ExpectContinueTimeout:  time.Second,
			DisableCompression:     true,
			MaxResponseHeaderBytes: 1 << 20,
		},
		FlushInterval: *flush,
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           proxy,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
	return listenUntilDone(ctx, srv)
}
