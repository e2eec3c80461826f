package routes

import "errors"

// LoadOpenAPI reads an OpenAPI 3.0 or 3.1 document (YAML or JSON) and
// returns its operations, with the servers' base path (the path part of
// servers[0].url, if any) prefixed.
func LoadOpenAPI(path string) ([]Declared, error) {
	return nil, errors.New("routes: OpenAPI import not implemented yet")
}
