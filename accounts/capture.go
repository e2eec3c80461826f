package accounts

import (
	"net/http"
)

// capture holds back an account route's response (status and a small
// body) until the watch has judged it, so that it can still be replaced.
// A body past max, or a flush, sends what is held and streams the rest.
// It unwraps for http.ResponseController.
type capture struct {
	rw      http.ResponseWriter
	max     int
	status  int
	buf     []byte
	passing bool // the response is going out as written
}

func (c *capture) Header() http.Header { return c.rw.Header() }

func (c *capture) WriteHeader(code int) {
	if code < 200 || c.passing {
		c.rw.WriteHeader(code)
		return
	}
	if c.status == 0 {
		c.status = code
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if !c.passing && len(c.buf)+len(b) > c.max {
		c.pass()
	}
	if c.passing {
		return c.rw.Write(b)
	}
	c.buf = append(c.buf, b...)
	return len(b), nil
}

// FlushError implements the interface http.ResponseController uses.
func (c *capture) FlushError() error {
	c.pass()
	return http.NewResponseController(c.rw).Flush()
}

// Flush implements http.Flusher.
func (c *capture) Flush() { c.FlushError() }

func (c *capture) Unwrap() http.ResponseWriter { return c.rw }

// pass sends the status and body held so far.
func (c *capture) pass() {
	if c.passing {
		return
	}
	c.passing = true
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.rw.WriteHeader(c.status)
	if len(c.buf) > 0 {
		c.rw.Write(c.buf)
	}
	c.buf = nil
}

// replace answers with status and a plain-text message instead of what
// the upstream said, unless the response has already gone out.
func (c *capture) replace(status int, msg string) bool {
	if c.passing {
		return false
	}
	h := c.rw.Header()
	for _, k := range []string{"Set-Cookie", "Location", "Content-Length", "Content-Type", "Content-Encoding", "Etag", "Last-Modified"} {
		h.Del(k)
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.buf = []byte(msg)
	c.status = status
	c.pass()
	return true
}
