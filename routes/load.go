package routes

import (
	"context"
	"fmt"
)

// LoadDeclared reads the declared surface c names: its OpenAPI document,
// then its Express app's routes.
func LoadDeclared(ctx context.Context, c Config) ([]Declared, error) {
	var ds []Declared
	if c.OpenAPI != "" {
		d, err := LoadOpenAPI(c.OpenAPI)
		if err != nil {
			return nil, fmt.Errorf("routes.openapi: %w", err)
		}
		ds = append(ds, d...)
	}
	if c.Express != "" {
		d, err := ListExpress(ctx, "", c.Express) // bounded in time itself

		if err != nil {
			return nil, fmt.Errorf("routes.express: %w", err)
		}
		ds = append(ds, d...)
	}
	return ds, nil
}
