// Package routes is the app's route surface: the route templates learned
// from the traffic the gateway passes (/api/articles/{slug}/comments/{id}),
// with each route's figures (requests, statuses with and without
// credentials, content types, attacks seen, latency); what the app declares
// (an OpenAPI document, the routes of an Express app); and the findings of
// comparing the two: routes declared and never called, routes called and
// never declared, routes that answer without credentials where their
// siblings ask for them, routes that fail when attacked, and routes that
// appear after the learning period.
//
// The inventory is bounded: only requests the app answered with a status
// other than 404, and that Bulwark did not refuse, create templates; a
// position where many distinct values occur becomes a parameter; and routes
// seen by several clients are never given up for the random paths of one.
package routes
