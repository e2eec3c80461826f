package main

import (
	"fmt"
	"strconv"
)

// webhook makes n calls that other services make to the app: Stripe
// events, GitHub pushes, Slack slash commands and interactions (JSON in a
// form field), Twilio SMS (the message text in a form field) and Shopify
// orders.
func webhook(n int) []request {
	g := newGen("webhook", 10)
	for len(g.reqs) < n {
		ts := 1717000000 + g.intn(30000000)
		switch k := g.intn(10); {
		case k < 3:
			h := map[string]string{"Host": host, "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", "Accept": "*/*; q=0.5, application/xml",
				"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": fmt.Sprintf("t=%d,v1=%s", ts, g.hex(64))}
			p := pick(g, people)
			g.add("POST", "/webhooks/stripe", h, jsonBody(obj{"id", "evt_" + g.token(24), "object", "event", "api_version", "2024-06-20", "created", ts,
				"type", pick(g, []string{"checkout.session.completed", "invoice.paid", "customer.subscription.updated", "charge.refunded"}),
				"data", obj{"object", obj{"id", "cs_live_" + g.token(40), "object", "checkout.session", "amount_total", g.between(500, 50000),
					"currency", "eur", "customer_details", obj{"email", p.email(), "name", p.full(), "address", g.address()},
					"metadata", obj{"orderId", g.id(), "note", pick(g, notes)}}},
				"livemode", true}))
		case k < 5:
			h := map[string]string{"Host": host, "User-Agent": "GitHub-Hookshot/" + g.hex(7), "Accept": "*/*", "Content-Type": "application/json",
				"X-GitHub-Event": "push", "X-GitHub-Delivery": g.uuid(), "X-Hub-Signature-256": "sha256=" + g.hex(64)}
			var commits []obj
			for range g.between(1, 3) {
				a := pick(g, people)
				commits = append(commits, obj{"id", g.hex(40), "message", pick(g, commitMessages), "timestamp", g.timestamp(),
					"author", obj{"name", a.full(), "email", a.email()}, "added", []string{}, "modified", []string{"README.md", "src/routes/orders.js"}})
			}
			g.add("POST", "/webhooks/github", h, jsonBody(obj{"ref", "refs/heads/main", "before", g.hex(40), "after", g.hex(40),
				"repository", obj{"full_name", "example/shop", "private", true}, "commits", commits}))
		case k < 6:
			h := map[string]string{"Host": host, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)", "Accept": "application/json,*/*",
				"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": strconv.Itoa(ts), "X-Slack-Signature": "v0=" + g.hex(64)}
			g.add("POST", "/slack/commands", h, form("token", g.token(24), "team_id", "T"+g.token(8), "channel_name", "ops-alerts",
				"user_name", "dana.obrien", "command", "/deploy", "text", pick(g, []string{"status", "select env staging", "drop cache for eu-west", "where is build 1042?", "help"}),
				"response_url", "https://hooks.slack.com/commands/T0/"+g.digits(12)+"/"+g.token(24), "trigger_id", g.digits(13)+"."+g.digits(10)))
		case k < 7:
			h := map[string]string{"Host": host, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)", "Content-Type": "application/x-www-form-urlencoded"}
			payload := jsonBody(obj{"type", "block_actions", "user", obj{"id", "U" + g.token(8), "name", "aoife"},
				"actions", []obj{{"action_id", "approve_refund", "value", "order_" + g.digits(5), "type", "button"}},
				"message", obj{"text", pick(g, messages)}})
			g.add("POST", "/slack/interactions", h, form("payload", payload))
		case k < 9:
			h := map[string]string{"Host": host, "User-Agent": "TwilioProxy/1.1", "Accept": "*/*", "Content-Type": "application/x-www-form-urlencoded",
				"X-Twilio-Signature": g.b64url(27) + "="}
			g.add("POST", "/webhooks/sms", h, form("ToCountry", "IE", "SmsMessageSid", "SM"+g.hex(32), "NumMedia", "0",
				"Body", pick(g, messages), "From", "+3538"+g.digits(8), "To", "+3531"+g.digits(7), "AccountSid", "AC"+g.hex(32)))
		default:
			h := map[string]string{"Host": host, "User-Agent": "Shopify-Captain-Hook", "Accept": "*/*", "Content-Type": "application/json",
				"X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": g.b64url(43) + "=", "X-Shopify-Shop-Domain": "example.myshopify.com"}
			p := pick(g, people)
			g.add("POST", "/webhooks/shopify", h, jsonBody(obj{"id", g.between(1000000, 9999999), "email", p.email(), "note", pick(g, notes),
				"line_items", []obj{{"title", pick(g, products), "quantity", g.between(1, 3), "price", strconv.FormatFloat(g.price(), 'f', 2, 64)}},
				"shipping_address", obj{"name", p.full(), "address1", pick(g, streets), "city", pick(g, cities).city}}))
		}
	}
	return g.reqs[:n]
}
