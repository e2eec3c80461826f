package main

import (
	"fmt"
	"strconv"
	"strings"
)

// rest makes n calls to a JSON REST API: listing, reading, creating,
// updating and deleting users, products, orders, tasks, events, reviews,
// contacts, messages, settings and invoices, with realistic bodies.
func rest(n int) []request {
	g := newGen("rest", 1)
	makers := []func(){
		g.restUser, g.restProduct, g.restOrder, g.restTask, g.restEvent, g.restReview,
		g.restContact, g.restMessage, g.restSettings, g.restInvoice, g.restAddress, g.restProject,
	}
	for len(g.reqs) < n {
		pick(g, makers)()
	}
	return g.reqs[:n]
}

// crud issues one call on collection: a list with paging, a read, a
// create or replace with body(), a partial update, or a delete.
func (g *gen) crud(collection string, id string, body func() any, patch func() any) {
	base := "/api/v1/" + collection
	switch k := g.intn(10); {
	case k < 3:
		g.add("GET", withQuery(base, g.listParams()...), g.api(""), "")
	case k < 5:
		g.add("GET", base+"/"+id, g.api(""), "")
	case k < 7:
		g.add("POST", base, g.api("application/json"), jsonBody(body()))
	case k < 8:
		g.add("PUT", base+"/"+id, g.api("application/json"), jsonBody(body()))
	case k < 9:
		h := g.api("application/json")
		if g.chance(0.3) {
			h["Content-Type"] = "application/merge-patch+json"
		}
		if g.chance(0.3) {
			h["If-Match"] = `W/"` + g.hex(16) + `"`
		}
		g.add("PATCH", base+"/"+id, h, jsonBody(patch()))
	default:
		g.add("DELETE", base+"/"+id, g.api(""), "")
	}
}

// listParams returns the paging, sorting and filtering of a list call in
// one of the styles APIs use.
func (g *gen) listParams() []string {
	var kv []string
	switch g.intn(4) {
	case 0:
		kv = []string{"page", strconv.Itoa(g.between(1, 40)), "per_page", pick(g, []string{"10", "20", "25", "50", "100"})}
	case 1:
		kv = []string{"offset", strconv.Itoa(20 * g.intn(30)), "limit", "20"}
	case 2:
		kv = []string{"cursor", g.b64url(24), "limit", "50"}
	case 3:
		kv = []string{"page[number]", strconv.Itoa(g.between(1, 9)), "page[size]", "25"}
	}
	if g.chance(0.6) {
		kv = append(kv, "sort", pick(g, []string{"-created_at", "name", "price,-rating", "updatedAt:desc", "-id", "due_date"}))
	}
	if g.chance(0.3) {
		kv = append(kv, "order", pick(g, []string{"asc", "desc"}), "orderBy", pick(g, []string{"createdAt", "name", "lastLogin"}))
	}
	if g.chance(0.3) {
		kv = append(kv, "fields", pick(g, []string{"id,name,email", "id,title,status", "id,name,price,stock"}))
	}
	if g.chance(0.3) {
		kv = append(kv, "from", g.date(), "to", g.date())
	}
	if g.chance(0.2) {
		kv = append(kv, "status", pick(g, []string{"active", "archived", "in_progress", "pending,paid", "draft"}))
	}
	if g.chance(0.2) {
		kv = append(kv, "filter[category]", pick(g, []string{"shoes", "books", "home & garden", "kids' toys"}))
	}
	if g.chance(0.15) {
		kv = append(kv, "include", pick(g, []string{"author", "items.product", "reviews.author,tags"}))
	}
	if g.chance(0.15) {
		kv = append(kv, "q", pick(g, searchPhrases))
	}
	return kv
}

func (g *gen) id() string {
	switch g.intn(3) {
	case 0:
		return strconv.Itoa(g.between(1, 99999))
	case 1:
		return g.uuid()
	}
	return pick(g, []string{"usr_", "ord_", "prd_", "tsk_"}) + g.token(14)
}

func (g *gen) address() obj {
	c := pick(g, cities)
	a := obj{"line1", pick(g, streets)}
	if g.chance(0.3) {
		a = append(a, "line2", pick(g, []string{"c/o Dana Smith", "Floor 2", "Building B — Reception", "Apt 4", ""}))
	}
	return append(a, "city", c.city, "postcode", c.postcode, "country", c.country)
}

func (g *gen) restUser() {
	p := pick(g, people)
	g.crud("users", g.id(), func() any {
		u := obj{"firstName", p.first, "lastName", p.last, "displayName", p.full(), "email", p.email()}
		if g.chance(0.6) {
			u = append(u, "phone", fmt.Sprintf("+%d (%s) %s-%s", g.between(1, 99), g.digits(3), g.digits(3), g.digits(4)))
		}
		if g.chance(0.5) {
			u = append(u, "bio", pick(g, bios))
		}
		return append(u, "locale", pick(g, locales), "timezone", pick(g, timezones),
			"marketingOptIn", g.chance(0.4), "address", g.address())
	}, func() any {
		return pick(g, []obj{{"bio", pick(g, bios)}, {"displayName", p.full()}, {"timezone", pick(g, timezones)},
			{"email", p.email(), "emailVerified", false}, {"avatarUrl", "https://cdn.example.com/avatars/" + g.uuid() + ".png"}})
	})
}

func (g *gen) restProduct() {
	g.crud("products", g.id(), func() any {
		return obj{"name", pick(g, products), "sku", fmt.Sprintf("%s-%s-%s", g.alphabet(3, "ABCDEFGHJKLMNPQRSTUVWXYZ"), g.digits(4), pick(g, sizes)),
			"description", pick(g, descriptions), "price", obj{"amount", g.between(199, 99999), "currency", pick(g, currencies)},
			"tags", g.pickN(tags, g.between(0, 3)), "attributes", obj{"color", pick(g, colors), "size", pick(g, sizes)},
			"stock", g.intn(500), "active", g.chance(0.9)}
	}, func() any {
		return pick(g, []obj{{"stock", g.intn(200)}, {"price", obj{"amount", g.between(199, 9999), "currency", "EUR"}},
			{"active", false}, {"description", pick(g, descriptions)}, {"tags", g.pickN(tags, 2)}})
	})
}

func (g *gen) restOrder() {
	g.crud("orders", g.id(), func() any {
		var items []obj
		for range g.between(1, 4) {
			items = append(items, obj{"productId", g.id(), "name", pick(g, products), "quantity", g.between(1, 5), "unitPrice", g.price()})
		}
		o := obj{"items", items, "currency", pick(g, currencies), "shippingAddress", g.address()}
		if g.chance(0.5) {
			o = append(o, "notes", pick(g, notes))
		}
		if g.chance(0.3) {
			o = append(o, "couponCode", pick(g, []string{"SPRING-24", "WELCOME10", "FREESHIP", "BFCM_2024", "O'BRIEN15"}))
		}
		if g.chance(0.2) {
			o = append(o, "giftMessage", pick(g, []string{"Happy b'day, Sam! (From all of us.)", "Congrats on the new job :)",
				"Merry Xmas & a happy New Year!", "For the best mum in the world ❤️", "Thinking of you; get well soon."}))
		}
		return o
	}, func() any {
		return pick(g, []obj{{"status", "cancelled", "reason", pick(g, []string{"Ordered the wrong size", "Found it cheaper elsewhere", "Changed my mind — sorry!"})},
			{"notes", pick(g, notes)}, {"shippingAddress", g.address()}})
	})
}

func (g *gen) restTask() {
	g.crud("tasks", g.id(), func() any {
		return obj{"title", pick(g, taskTitles), "description", pick(g, taskDescriptions),
			"status", pick(g, []string{"todo", "in_progress", "review", "done"}), "priority", pick(g, []string{"low", "medium", "high", "urgent"}),
			"assigneeId", g.id(), "dueDate", g.date(), "labels", g.pickN([]string{"frontend", "backend", "a11y", "bug", "tech-debt", "docs", "db"}, g.between(0, 3))}
	}, func() any {
		return pick(g, []obj{{"status", "done"}, {"title", pick(g, taskTitles)}, {"assigneeId", nil}, {"dueDate", g.date()}})
	})
}

func (g *gen) restEvent() {
	g.crud("events", g.id(), func() any {
		start := g.timestamp()
		return obj{"title", pick(g, eventTitles), "start", start, "durationMinutes", pick(g, []int{15, 30, 45, 60, 90}),
			"location", pick(g, []string{"Room 4 (2nd floor)", "Zoom — link in invite", "Café O'Leary's", "HQ / Union Street", "TBD"}),
			"attendees", []string{pick(g, people).email(), pick(g, people).email()}, "allDay", false,
			"recurrence", pick(g, []any{nil, "RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1"})}
	}, func() any {
		return obj{"title", pick(g, eventTitles)}
	})
}

func (g *gen) restReview() {
	g.crud("products/"+g.id()+"/reviews", g.id(), func() any {
		return obj{"rating", g.between(1, 5), "title", pick(g, reviewTitles), "body", pick(g, reviewBodies),
			"recommend", g.chance(0.7), "author", pick(g, people).full()}
	}, func() any {
		return obj{"body", pick(g, reviewBodies)}
	})
}

func (g *gen) restContact() {
	p := pick(g, people)
	g.crud("contacts", g.id(), func() any {
		return obj{"name", p.full(), "company", pick(g, companies), "title", pick(g, jobTitles), "email", p.email(),
			"notes", pick(g, []string{"Met at the Web Summit; interested in the enterprise plan.", "Prefers email over calls.",
				"Decision maker — loop in procurement (they're strict about T&Cs).", "Follow up after Q3; budget's frozen till then.",
				"Referred by O'Reilly's team.", ""}), "tags", g.pickN([]string{"lead", "customer", "partner", "vip", "churn-risk"}, 2)}
	}, func() any {
		return obj{"company", pick(g, companies)}
	})
}

func (g *gen) restMessage() {
	conv := g.id()
	if g.chance(0.7) {
		g.add("POST", "/api/v1/conversations/"+conv+"/messages", g.api("application/json"),
			jsonBody(obj{"text", pick(g, messages), "clientId", g.uuid(), "sentAt", g.timestamp()}))
		return
	}
	g.add("GET", withQuery("/api/v1/conversations/"+conv+"/messages", "before", g.timestamp(), "limit", "30"), g.api(""), "")
}

func (g *gen) restSettings() {
	body := obj{"theme", pick(g, []string{"dark", "light", "system"}), "language", pick(g, locales),
		"notifications", obj{"email", g.chance(0.5), "push", g.chance(0.5), "digest", pick(g, []string{"daily", "weekly", "never"})},
		"privacy", obj{"showEmail", false, "searchable", g.chance(0.5)}}
	if g.chance(0.5) {
		g.add("PUT", "/api/v1/me/settings", g.api("application/json"), jsonBody(body))
		return
	}
	g.add("GET", "/api/v1/me/settings", g.api(""), "")
}

func (g *gen) restInvoice() {
	g.crud("invoices", "INV-"+g.digits(6), func() any {
		var lines []obj
		for range g.between(1, 5) {
			lines = append(lines, obj{"description", pick(g, []string{"Consulting (May)", "Design & build — phase 1", "Hosting: 12 months",
				"Support hours ×10", "Travel expenses (see receipts)", "Licence: 25 seats"}), "quantity", g.between(1, 25), "unitPrice", g.price(), "taxRate", 0.23})
		}
		return obj{"customer", pick(g, companies), "issueDate", g.date(), "dueDate", g.date(), "currency", pick(g, currencies),
			"lines", lines, "memo", pick(g, []string{"Net 30; wire transfer only.", "Thanks for your business!", "PO #4471 — ref. \"Website\"", ""})}
	}, func() any {
		return obj{"status", pick(g, []string{"sent", "paid", "void"})}
	})
}

func (g *gen) restAddress() {
	p := pick(g, people)
	a := append(obj{"name", p.full(), "company", pick(g, append([]string{""}, companies...))}, g.address()...)
	a = append(a, "phone", "+"+g.digits(11), "isDefault", g.chance(0.3))
	if g.chance(0.6) {
		g.add("POST", "/api/v1/me/addresses", g.api("application/json"), jsonBody(a))
		return
	}
	g.add("GET", "/api/v1/me/addresses", g.api(""), "")
}

func (g *gen) restProject() {
	g.crud("projects", strings.ToLower(g.token(8)), func() any {
		return obj{"name", pick(g, projectNames), "description", pick(g, taskDescriptions), "visibility", pick(g, []string{"private", "team", "public"}),
			"members", []obj{{"userId", g.id(), "role", "owner"}, {"userId", g.id(), "role", pick(g, []string{"editor", "viewer"})}}}
	}, func() any {
		return obj{"archived", true}
	})
}
