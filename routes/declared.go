package routes

// A Declared route is one the app says it serves: an operation of its
// OpenAPI document ([LoadOpenAPI]) or a route of its Express app
// ([ListExpress]).
type Declared struct {
	// Method is upper case: GET, POST…; "*" for every method (Express's app.all).
	Method string `json:"method"`
	// Template is the path template in the inventory's syntax: static
	// segments as they are, a parameter as {name}
	// ("/api/articles/{slug}/comments/{id}"), a trailing wildcard as {*}.
	// An Express route whose path is a regular expression is the one
	// exception: "~" and the expression's literal, then " under PREFIX"
	// when mounted below one ("~/^\/x-(\d+)$/ under /api"); it matches
	// no template.
	Template string `json:"template"`
	// Source says where it was declared: "openapi:FILE" or "express:FILE".
	Source string `json:"source"`
	// Secured says whether the declaration requires credentials (an
	// OpenAPI operation whose effective security requirement is
	// non-empty). Nil when unknown (Express).
	Secured *bool `json:"secured,omitempty"`
}
