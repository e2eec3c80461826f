package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// newProbe returns the health check for h (which must be enabled) and the
// host:port it talks to.
func newProbe(h Health) (probe func(context.Context) error, addr string) {
	dialer := &net.Dialer{Timeout: h.Timeout}
	if h.TCP != "" {
		return func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, h.Timeout)
			defer cancel()
			c, err := dialer.DialContext(ctx, "tcp", h.TCP)
			if err != nil {
				return err
			}
			return c.Close()
		}, h.TCP
	}
	u, _ := url.Parse(h.HTTP) // valid: checked by Validate
	addr = u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	get := httpGetter(h.HTTP, h.Timeout)
	return func(ctx context.Context) error {
		code, err := get(ctx)
		if err != nil {
			return err
		}
		if code < 200 || code > 399 {
			return fmt.Errorf("GET %s: status %d", u.Path, code)
		}
		return nil
	}, addr
}

// httpGetter returns a function that GETs rawURL (valid) within timeout
// and returns the answer's status.
func httpGetter(rawURL string, timeout time.Duration) func(context.Context) (int, error) {
	u, _ := url.Parse(rawURL)
	client := &http.Client{
		// A fresh connection each time: a hung app that still accepts
		// connections must fail, not answer from a kept-alive one.
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
			DisableKeepAlives:     true,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       timeout,
	}
	return func(ctx context.Context) (int, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("User-Agent", "bulwark-health/1")
		resp, err := client.Do(req)
		if err != nil {
			var ue *url.Error // its message repeats the URL, query and all
			if errors.As(err, &ue) {
				err = ue.Err
			}
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
				err = fmt.Errorf("no answer within %s", timeout)
			}
			return 0, fmt.Errorf("GET %s: %w", u.Path, err)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		return resp.StatusCode, nil
	}
}

// portBusy reports whether addr accepts a connection now.
func portBusy(ctx context.Context, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
