package fleet

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"
)

// A Call is one script run with its keys and arguments, for [Shared.Run].
type Call struct {
	Script *redis.Script
	Keys   []string
	Args   []any
}

// Run runs calls in one pipeline (one round trip per shard), bounded by
// the link's timeout, and returns each call's reply. While the link is
// down it returns [ErrDown] at once; a failure takes the link down. Scripts
// the server lacks (after a restart) are sent whole.
func (s *Shared) Run(ctx context.Context, calls ...Call) ([]*redis.Cmd, error) {
	if !s.Up() {
		return nil, ErrDown
	}
	rctx, cancel := s.Context(ctx)
	defer cancel()
	cmds, err := s.pipe(rctx, calls, false)
	if err != nil && strings.Contains(err.Error(), "NOSCRIPT") {
		cmds, err = s.pipe(rctx, calls, true)
	}
	if err != nil {
		return nil, s.Fail(ctx, err)
	}
	return cmds, nil
}

// RunNow runs calls in one pipeline within ctx's deadline whether or not
// the link is up, without taking it down: it is for the merge that
// precedes bringing the link up.
func (s *Shared) RunNow(ctx context.Context, calls ...Call) ([]*redis.Cmd, error) {
	cmds, err := s.pipe(ctx, calls, false)
	if err != nil && strings.Contains(err.Error(), "NOSCRIPT") {
		cmds, err = s.pipe(ctx, calls, true)
	}
	return cmds, err
}

func (s *Shared) pipe(ctx context.Context, calls []Call, whole bool) ([]*redis.Cmd, error) {
	cmds := make([]*redis.Cmd, len(calls))
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, c := range calls {
			if whole {
				cmds[i] = c.Script.Eval(ctx, p, c.Keys, c.Args...)
			} else {
				cmds[i] = c.Script.EvalSha(ctx, p, c.Keys, c.Args...)
			}
		}
		return nil
	})
	if err != nil && err != redis.Nil {
		return nil, err
	}
	for _, c := range cmds {
		if e := c.Err(); e != nil && e != redis.Nil {
			return nil, e
		}
	}
	return cmds, nil
}
