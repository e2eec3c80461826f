package main

import "strings"

// graphqlOps are operations as front ends send them: named, with
// variables, fragments, aliases and directives.
var graphqlOps = []struct {
	name, query string
	vars        func(g *gen) obj
}{
	{"GetViewer", `query GetViewer { viewer { id name email avatarUrl(size: 64) settings { theme language } } }`, nil},
	{"GetUser", `query GetUser($id: ID!) {
  user(id: $id) {
    id
    name
    email
    posts(first: 10, orderBy: {field: CREATED_AT, direction: DESC}) {
      edges { node { id title createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`, func(g *gen) obj { return obj{"id", g.id()} }},
	{"SearchProducts", `query SearchProducts($q: String!, $first: Int = 24, $after: String, $filter: ProductFilter) {
  search(query: $q, first: $first, after: $after, filter: $filter) {
    totalCount
    nodes { ...ProductCard }
  }
}
fragment ProductCard on Product { id name slug price { amount currency } thumbnail { url(width: 320) alt } }`,
		func(g *gen) obj {
			return obj{"q", pick(g, searchPhrases), "first", 24, "after", nil, "filter", obj{"inStock", true, "category", pick(g, []string{"shoes", "books", "home"})}}
		}},
	{"OrderHistory", `query OrderHistory($cursor: String) {
  me {
    orders(first: 20, after: $cursor) {
      nodes { id number status total { amount currency } items { name quantity } createdAt }
      pageInfo { endCursor hasNextPage }
    }
  }
}`, func(g *gen) obj { return obj{"cursor", pick(g, []any{nil, g.b64url(16)})} }},
	{"CreatePost", `mutation CreatePost($input: CreatePostInput!) {
  createPost(input: $input) { post { id slug title } errors { field message } }
}`, func(g *gen) obj {
		return obj{"input", obj{"title", pick(g, postTitles), "body", pick(g, markdownComments), "tags", g.pickN(tags, 2), "draft", g.chance(0.3)}}
	}},
	{"UpdateProfile", `mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id name bio } } }`,
		func(g *gen) obj {
			p := pick(g, people)
			return obj{"input", obj{"name", p.full(), "bio", pick(g, bios), "location", pick(g, cities).city}}
		}},
	{"AddToCart", `mutation AddToCart($productId: ID!, $quantity: Int!, $options: [OptionInput!]) {
  cartLinesAdd(lines: [{merchandiseId: $productId, quantity: $quantity, attributes: $options}]) {
    cart { id totalQuantity cost { totalAmount { amount currencyCode } } }
    userErrors { field message }
  }
}`, func(g *gen) obj {
		return obj{"productId", "gid://shop/ProductVariant/" + g.digits(11), "quantity", g.between(1, 3),
			"options", []obj{{"key", "Engraving", "value", pick(g, []string{"J & M — 2024", "Love, Mum x", "Don't panic!", "Select Few"})}}}
	}},
	{"SendMessage", `mutation SendMessage($conversationId: ID!, $text: String!) {
  sendMessage(conversationId: $conversationId, text: $text) { id text sentAt }
}`, func(g *gen) obj { return obj{"conversationId", g.id(), "text", pick(g, messages)} }},
	{"DeleteComment", `mutation DeleteComment($id: ID!) { deleteComment(id: $id) { deletedId } }`,
		func(g *gen) obj { return obj{"id", g.id()} }},
	{"Notifications", `query Notifications($unreadOnly: Boolean = false) @cached(ttl: 30) {
  notifications(unreadOnly: $unreadOnly, first: 15) {
    nodes {
      id
      kind
      read
      ... on MentionNotification { comment { id excerpt author { name } } }
      ... on OrderNotification { order { id status } }
    }
  }
}`, func(g *gen) obj { return obj{"unreadOnly", g.chance(0.5)} }},
	{"Dashboard", `query Dashboard($from: Date!, $to: Date!) {
  revenue: salesTotal(from: $from, to: $to) { amount currency }
  orders: ordersCount(from: $from, to: $to)
  topProducts(from: $from, to: $to, first: 5) { name unitsSold }
  recentSignups: users(first: 5, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { name createdAt } }
}`, func(g *gen) obj { return obj{"from", g.date(), "to", g.date()} }},
	{"UpdateTask", `mutation UpdateTask($id: ID!, $patch: TaskPatch!) { updateTask(id: $id, patch: $patch) { task { id title status } } }`,
		func(g *gen) obj {
			return obj{"id", g.id(), "patch", obj{"title", pick(g, taskTitles), "status", pick(g, []string{"TODO", "IN_PROGRESS", "DONE"})}}
		}},
}

// introspection is what GraphiQL and Apollo tools send when they open.
const introspection = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name } } }`

// graphql makes n GraphQL requests: POSTed JSON bodies (a few batched),
// GETs with the query in the URL, persisted-query hashes, and now and
// then an introspection query from a developer tool.
func graphql(n int) []request {
	g := newGen("graphql", 2)
	for len(g.reqs) < n {
		op := pick(g, graphqlOps)
		var vars any = obj{}
		if op.vars != nil {
			vars = op.vars(g)
		}
		switch k := g.intn(20); {
		case k < 14:
			g.add("POST", "/graphql", g.api("application/json"), jsonBody(obj{"operationName", op.name, "query", op.query, "variables", vars}))
		case k < 15:
			op2 := pick(g, graphqlOps)
			var vars2 any = obj{}
			if op2.vars != nil {
				vars2 = op2.vars(g)
			}
			g.add("POST", "/graphql", g.api("application/json"), jsonBody([]obj{
				{"operationName", op.name, "query", op.query, "variables", vars},
				{"operationName", op2.name, "query", op2.query, "variables", vars2}}))
		case k < 17:
			q := strings.Join(strings.Fields(op.query), " ")
			g.add("GET", withQuery("/graphql", "operationName", op.name, "query", q, "variables", jsonBody(vars)), g.api(""), "")
		case k < 19:
			ext := jsonBody(obj{"persistedQuery", obj{"version", 1, "sha256Hash", g.hex(64)}})
			g.add("GET", withQuery("/graphql", "operationName", op.name, "variables", jsonBody(vars), "extensions", ext), g.api(""), "")
		default:
			g.add("POST", "/graphql", g.api("application/json"), jsonBody(obj{"operationName", "IntrospectionQuery", "query", introspection}))
		}
	}
	return g.reqs[:n]
}
