package main

import "strconv"

// searchPhrases are what people type into a search box, many of them with
// words that SQL, HTML and shells use too.
var searchPhrases = []string{
	"how to select a good mattress", "union station to airport bus", "drop shipping suppliers europe",
	"how do I delete my account", "update billing address", "where is my order", "pizza dough from scratch",
	"script for a wedding toast", "price drop alert", "exec chair leather black", "select all that apply meaning",
	"union jack cushion", "drop waist dress", "or best offer meaning", "and/or grammar", "table for two tonight",
	"insert coin sound effect", "join the waitlist", "group by colour", "order by date", "null and void meaning",
	"sleep sounds for babies", "gpu benchmark 2024", "char siu pork recipe", "concat cells in excel",
	"where to buy from japan", "O'Reilly books on sql", "women's shoes size 8", "kids' toys under $20", "C++ tutorial",
	"C# vs Java", "AT&T phone plans", "50% off sale", "rock & roll hall of fame", "2 + 2 = 4 proof", "\"exact phrase\" search",
	"what's the weather in Cork", "McDonald's opening hours", "D'Angelo's pizza menu", "Coeur d'Alene hotels",
	"where can I drop off old electronics", "select comfort bed reviews", "update iphone to ios 18", "alert dog breeds",
	"from paris with love cast", "delete facebook page", "how to script in python", "javascript alert box example",
	"union membership benefits", "drop-in childcare near me", "table tennis bats", "update driver's licence address",
	"1/2 cup to grams", "5'11\" in cm", "sale -winter", "cheap flights dublin -> lisbon", "where's my refund?",
	"can I return a gift without a receipt", "O'Neill wetsuit 4/3", "L'Oréal shampoo", "café au lait vs latte",
	"is it \"select\" or \"choose\"", "what does exec mean in business", "order of the phoenix audiobook",
	"drop table ideas for a wedding", "the union of two sets", "where clause in english grammar", "from a to b",
	"email alerts not working", "or vs and in boolean search", "blue & white striped shirt", "men's 32x34 jeans",
	"usb-c (2m) cable", "100% cotton sheets", "best sellers [fiction]", "{gift ideas} for dad", "sofas < €500",
	"tv > 55 inch", "size: medium", "recipe: lasagne", "new arrivals!", "what is a semicolon; examples",
	"sleep mask", "bench press form", "wait for me lyrics", "delay repay claim", "select committee meaning",
	"update: store hours christmas", "schema therapy books", "union pacific jobs", "drop a pin on google maps",
	"insert page numbers in word", "exec summary template", "alert bracelet for elderly", "script writing course online",
	"select your language", "hello world", "Ben & Jerry's cookie dough", "Toys \"R\" Us", "Lowe's paint colors",
	"Trader Joe's recipes", "Yahoo! mail login", "E*TRADE fees", "H&M returns policy", "St. John's weather",
}

// search makes n searches: a site's search box (GET with the query and
// facets), autocomplete calls while typing, and a JSON search API.
func search(n int) []request {
	g := newGen("search", 4)
	for len(g.reqs) < n {
		q := pick(g, searchPhrases)
		switch k := g.intn(10); {
		case k < 5:
			kv := []string{"q", q}
			if g.chance(0.4) {
				kv = append(kv, "category", pick(g, []string{"all", "books", "home & garden", "men's", "kids' toys"}))
			}
			if g.chance(0.3) {
				kv = append(kv, "sort", pick(g, []string{"relevance", "price_asc", "price_desc", "newest"}))
			}
			if g.chance(0.3) {
				kv = append(kv, "price[gte]", strconv.Itoa(g.between(0, 50)), "price[lte]", strconv.Itoa(g.between(60, 500)))
			}
			if g.chance(0.3) {
				kv = append(kv, "page", strconv.Itoa(g.between(2, 9)))
			}
			if g.chance(0.2) {
				kv = append(kv, "in_stock", "true", "color[]", pick(g, colors), "color[]", pick(g, colors))
			}
			g.add("GET", withQuery(pick(g, []string{"/search", "/shop/search", "/s"}), kv...), g.browser(origin+pick(g, appPages)), "")
		case k < 8:
			prefix := q[:min(len(q), g.between(2, 12))]
			g.add("GET", withQuery("/api/search/suggest", "q", prefix, "limit", "8"), g.api(""), "")
		default:
			g.add("POST", "/api/v1/search", g.api("application/json"), jsonBody(obj{"query", q,
				"filters", obj{"inStock", true, "tags", g.pickN(tags, g.between(0, 2))}, "page", g.between(1, 5), "pageSize", 24}))
		}
	}
	return g.reqs[:n]
}
