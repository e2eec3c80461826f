package routes

import (
	"context"
	"errors"
)

// ListExpress loads the Express app of script in Node (node found on PATH
// when node is empty, or the given binary) without listening, and returns
// its routes.
func ListExpress(ctx context.Context, node, script string) ([]Declared, error) {
	return nil, errors.New("routes: Express listing not implemented yet")
}
