// Package guard composes Bulwark's stages into one security gateway: an
// http.Handler that decides the client's address, bounds the request, sets
// secure response headers and proxies to the upstream app, plus an admin
// handler for health and metrics that is served on its own listener.
package guard
