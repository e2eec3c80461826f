package guard

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/bulwark-sec/bulwark/event"
	"github.com/bulwark-sec/bulwark/supervise"
)

// An App is an upstream the gateway also supervises: requests wait while it
// starts or restarts instead of failing. *supervise.Supervisor is one.
type App interface {
	// WaitReady returns when the app takes requests, or at once with a
	// *supervise.UnavailableError when it is in backoff.
	WaitReady(ctx context.Context) error
	Status() supervise.Status
}

// AppWait bounds how requests wait for a supervised app (guard --run).
type AppWait struct {
	// Timeout is how long a request waits for the app to be ready before it
	// gets 503. If zero, 30s.
	Timeout time.Duration `yaml:"timeout"`
	// MaxWaiting is how many requests may wait at once; more get 503 at
	// once. If zero, 1024.
	MaxWaiting int `yaml:"maxWaiting"`
}

// withApp holds each request until the supervised app is ready and counts
// the requests passed to it, so that a planned restart can drain them.
func (g *Gateway) withApp(next http.Handler) http.Handler {
	g.registerAppMetrics()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.enterApp(w, r) {
			return
		}
		defer g.inflight.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// enterApp waits for the app and counts r as in flight, or answers 503.
func (g *Gateway) enterApp(w http.ResponseWriter, r *http.Request) bool {
	if g.waiting.Add(1) > int64(g.cfg.AppWait.MaxWaiting) {
		g.waiting.Add(-1)
		g.unavailable(w, r, time.Second, "too many requests waiting for the app")
		return false
	}
	defer g.waiting.Add(-1)
	ctx, cancel := context.WithTimeout(r.Context(), g.cfg.AppWait.Timeout)
	defer cancel()
	for {
		err := g.app.WaitReady(ctx)
		var down *supervise.UnavailableError
		switch {
		case errors.As(err, &down):
			g.unavailable(w, r, down.RetryAfter, down.Error())
			return false
		case err != nil:
			if r.Context().Err() == nil {
				g.unavailable(w, r, 5*time.Second, "the app did not become ready in "+g.cfg.AppWait.Timeout.String())
			}
			return false
		}
		g.inflight.Add(1)
		if g.app.Status().State == supervise.StateReady {
			return true
		}
		g.inflight.Add(-1) // a restart began between the two looks: wait again
	}
}

// Drain waits until no request is in flight to the app, or ctx is done.
// The supervisor calls it before a planned stop, when new requests already
// wait.
func (g *Gateway) Drain(ctx context.Context) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for g.inflight.Load() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// unavailable answers 503 with Retry-After (whole seconds, at least 1).
func (g *Gateway) unavailable(w http.ResponseWriter, r *http.Request, retry time.Duration, why string) {
	secs := max(1, int(math.Ceil(retry.Seconds())))
	g.publish(r, event.Event{
		Category: event.CategoryWeb, Type: "error", Action: "app-unavailable",
		Outcome: event.OutcomeFailure, Severity: event.SeverityMedium, Status: http.StatusServiceUnavailable,
		Message: why,
	})
	writeError(w, http.StatusServiceUnavailable, infoFrom(r.Context()).id, secs)
}

// retryRefused retries an idempotent, bodiless request once when the app
// refused the connection (it was restarting or crashed), after waiting for
// it to be ready again. Other requests are never replayed.
type retryRefused struct {
	next http.RoundTripper
	app  App
}

func (t *retryRefused) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.send(req)
	if err == nil || !errors.Is(err, syscall.ECONNREFUSED) || !replayable(req) {
		return resp, err
	}
	if werr := t.app.WaitReady(req.Context()); werr != nil {
		return nil, err
	}
	return t.send(req)
}

// send passes req to the app. When the app's supervisor watches for hangs
// (its Traffic), send tells it about the request and whether the app
// answered, and gives up at once with [errHung] if the app is declared
// hung first: the client gets 504 now, not at the response timeout. Such a
// request is never replayed: it may be the one that hung the app.
func (t *retryRefused) send(req *http.Request) (*http.Response, error) {
	tr := trafficOf(t.app)
	if tr == nil {
		return t.next.RoundTrip(req)
	}
	hung := tr.Send()
	ctx, cancel := context.WithCancelCause(req.Context())
	stop := context.AfterFunc(hung, func() { cancel(context.Cause(hung)) })
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	tr.Done(err == nil)
	if err != nil {
		if errors.Is(context.Cause(ctx), supervise.ErrHung) && req.Context().Err() == nil {
			err = errHung{}
		}
		stop()
		cancel(nil)
		return nil, err
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// An upgraded connection is the client's now: it lives on past a
		// restart decision and its body must stay a ReadWriteCloser.
		stop()
		return resp, nil
	}
	resp.Body = &endBody{ReadCloser: resp.Body, end: func() { stop(); cancel(nil) }}
	return resp, nil
}

// trafficOf returns the Traffic the app's supervisor reads; nil if none.
func trafficOf(app App) *supervise.Traffic {
	if a, ok := app.(interface{ Traffic() *supervise.Traffic }); ok {
		return a.Traffic()
	}
	return nil
}

// errHung ends a request whose app was declared hung before it answered.
// It is a timeout, so the proxy answers 504 with the request id.
type errHung struct{}

func (errHung) Error() string {
	return "the app answered nothing (hang detection) and is being restarted"
}
func (errHung) Timeout() bool   { return true }
func (errHung) Temporary() bool { return true }

var _ net.Error = errHung{}

// endBody calls end once when the response body is closed.
type endBody struct {
	io.ReadCloser
	once sync.Once
	end  func()
}

func (b *endBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.end)
	return err
}

func replayable(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return r.Body == nil || r.Body == http.NoBody
	}
	return false
}
