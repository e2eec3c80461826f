package main

import "strconv"

// misc makes n of the small requests around an app: analytics beacons,
// CORS preflights, health checks, HEAD requests, feature flags, event
// streams and websocket upgrades.
func misc(n int) []request {
	g := newGen("misc", 11)
	for len(g.reqs) < n {
		switch k := g.intn(10); {
		case k < 3:
			h := g.api("")
			h["Content-Type"] = pick(g, []string{"application/json", "text/plain;charset=UTF-8"})
			g.add("POST", "/api/events", h, jsonBody(obj{"event", pick(g, []string{"page_view", "add_to_cart", "search", "signup_started", "video_played"}),
				"props", obj{"path", pick(g, appPages), "referrer", pick(g, []string{"", "https://www.google.com/", "https://news.ycombinator.com/"}),
					"title", pick(g, append(postTitles, products...)), "screen", pick(g, []string{"1920x1080", "390x844", "1440x900"})},
				"anonymousId", g.uuid(), "timestamp", g.timestamp()}))
		case k < 5:
			h := map[string]string{"Host": host, "User-Agent": pick(g, browserAgents), "Accept": "*/*", "Origin": "https://www.example.com",
				"Access-Control-Request-Method":  pick(g, []string{"POST", "PUT", "DELETE", "PATCH"}),
				"Access-Control-Request-Headers": pick(g, []string{"authorization,content-type", "content-type,x-request-id", "authorization"}),
				"Sec-Fetch-Mode":                 "cors"}
			g.add("OPTIONS", "/api/v1/"+pick(g, []string{"orders", "users/me", "products/" + g.id(), "search"}), h, "")
		case k < 6:
			h := map[string]string{"Host": host, "User-Agent": pick(g, []string{"kube-probe/1.30", "ELB-HealthChecker/2.0", "Uptime-Kuma/1.23.13", "GoogleHC/1.0"}), "Accept": "*/*"}
			g.add(pick(g, []string{"GET", "HEAD"}), pick(g, []string{"/healthz", "/readyz", "/api/health", "/status?full=1"}), h, "")
		case k < 7:
			g.add("GET", withQuery("/api/flags", "context", jsonBody(obj{"userId", g.id(), "country", pick(g, cities).country, "plan", "pro"})), g.api(""), "")
		case k < 8:
			h := g.api("")
			h["Accept"] = "text/event-stream"
			h["Cache-Control"] = "no-cache"
			g.add("GET", "/api/v1/notifications/stream?lastEventId="+strconv.Itoa(g.between(1, 99999)), h, "")
		case k < 9:
			h := g.browser("")
			delete(h, "Sec-Fetch-Dest")
			h["Connection"] = "Upgrade"
			h["Upgrade"] = "websocket"
			h["Sec-WebSocket-Version"] = "13"
			h["Sec-WebSocket-Key"] = g.b64url(22) + "=="
			h["Origin"] = origin
			g.add("GET", "/ws?room="+g.id(), h, "")
		default:
			h := g.browser(origin + "/products")
			h["Range"] = "bytes=0-1048575"
			g.add("GET", "/media/videos/"+g.uuid()+".mp4", h, "")
		}
	}
	return g.reqs[:n]
}
