package accounts

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/fleet"
)

// A loginPipe gathers the Redis calls of one account request whose
// answers nobody waits for (ending the pair's streak, sharing a new
// session), so that they ride in the round trip of the next call that
// needs its answer (the known devices), or go together when the request
// is handled: a successful login costs one round trip after the app
// answers, not three. It is safe for concurrent use.
type loginPipe struct {
	mu    sync.Mutex
	calls []fleet.Call
	fails []func() // what each call's stage does alone if Redis did not take it
}

type pipeKey struct{}

// pipeline returns ctx carrying a pipe for one request's calls, and the
// function that sends what is still pending in it. Without a fleet up it
// returns ctx itself and a flush that does nothing.
func (w *Watch) pipeline(ctx context.Context) (context.Context, func()) {
	if !w.fleet.Up() {
		return ctx, func() {}
	}
	p := &loginPipe{}
	return context.WithValue(ctx, pipeKey{}, p), func() { w.run(ctx, p) }
}

// later queues c in ctx's pipe, with alone to run if Redis does not take
// it; false when ctx carries no pipe (the caller sends c itself).
func later(ctx context.Context, c fleet.Call, alone func()) bool {
	p, _ := ctx.Value(pipeKey{}).(*loginPipe)
	if p == nil {
		return false
	}
	p.mu.Lock()
	p.calls = append(p.calls, c)
	p.fails = append(p.fails, alone)
	p.mu.Unlock()
	return true
}

// run sends calls after those pending in p (nil for none), in one round
// trip, and returns the replies to calls. If Redis does not answer, each
// pending call's stage counts alone.
func (w *Watch) run(ctx context.Context, p *loginPipe, calls ...fleet.Call) ([]*redis.Cmd, error) {
	var pending []fleet.Call
	var fails []func()
	if p != nil {
		p.mu.Lock()
		pending, fails = p.calls, p.fails
		p.calls, p.fails = nil, nil
		p.mu.Unlock()
	}
	if len(pending)+len(calls) == 0 {
		return nil, nil
	}
	cmds, err := w.fleet.Run(ctx, append(pending, calls...)...)
	if err != nil {
		for _, f := range fails {
			f()
		}
		return nil, err
	}
	return cmds[len(pending):], nil
}

// send is run with ctx's pipe, if it carries one.
func (w *Watch) send(ctx context.Context, calls ...fleet.Call) ([]*redis.Cmd, error) {
	p, _ := ctx.Value(pipeKey{}).(*loginPipe)
	return w.run(ctx, p, calls...)
}
