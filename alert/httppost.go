package alert

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// newHTTPClient returns a client with timeout that does not follow
// redirects (a redirected webhook is a misconfiguration, and following it
// would resend a signed body elsewhere).
func newHTTPClient(timeout time.Duration, tlsConf *tls.Config) *http.Client {
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf.Clone(),
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Timeout:   timeout,
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// post sends req and classifies the answer: 2xx is success; 429 and 5xx
// are retried (after Retry-After if given); any other status is a
// permanent failure. what names the peer in errors; the URL never appears
// (it may hold a token).
func post(ctx context.Context, c *http.Client, req *http.Request, what string) error {
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("posting to %s: %w", what, redactURL(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("posting to %s: %s: %s", what, resp.Status, printable(body))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			return &retryAfter{err: err, after: time.Duration(s) * time.Second}
		}
		return err
	}
	return Permanent(err)
}

// printable keeps the printable ASCII of a peer's answer, for errors.
func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= ' ' && c < 0x7f {
			out = append(out, c)
		}
	}
	return string(out)
}
