package main

import (
	"net/url"
	"strconv"
	"strings"
)

// categories are shop pages, some localised.
var categories = []string{
	"/shop/shoes", "/shop/home-garden", "/shop/kids-toys", "/shop/books/computing", "/c/mens/shirts",
	"/fr/boutique/chaussures-d%C3%A9t%C3%A9", "/de/shop/k%C3%BCche", "/ja/%E3%82%BB%E3%83%BC%E3%83%AB", "/es/ofertas/a%C3%B1o-nuevo",
}

// campaigns are the values marketing puts in UTM parameters.
var campaigns = []string{"spring_sale_2024", "bfcm-2024", "newsletter_june", "retargeting|cart", "brand:search", "q3 launch", "union_day_promo"}

// browse makes n page loads: landing pages with tracking parameters,
// category and product pages with paging and sorting, localised paths,
// redirects after sign-in, and the static assets a page pulls in.
func browse(n int) []request {
	g := newGen("browse", 9)
	for len(g.reqs) < n {
		switch k := g.intn(12); {
		case k < 3:
			g.add("GET", withQuery(pick(g, []string{"/", "/pricing", "/landing/summer", "/blog/" + g.slug()}), g.utm()...),
				g.browser(pick(g, []string{"", "https://www.google.com/", "https://t.co/" + g.token(10), "https://l.facebook.com/"})), "")
		case k < 5:
			kv := []string{"page", strconv.Itoa(g.between(1, 12)), "sort", pick(g, []string{"price-asc", "price-desc", "newest", "bestselling"})}
			if g.chance(0.4) {
				kv = append(kv, "size", pick(g, sizes), "colour", pick(g, colors))
			}
			if g.chance(0.2) {
				kv = append(kv, "view", "grid", "per_page", "48")
			}
			g.add("GET", withQuery(pick(g, categories), kv...), g.browser(origin+"/"), "")
		case k < 7:
			name := pick(g, products)
			g.add("GET", "/p/"+slugify(name)+"-"+g.digits(6)+pick(g, []string{"", "?variant=" + g.digits(11), "?colour=" + url.QueryEscape(pick(g, colors))}),
				g.browser(origin+pick(g, categories)), "")
		case k < 8:
			g.add("GET", withQuery("/login", pick(g, []string{"next", "returnTo", "redirect_uri", "continue"}),
				pick(g, []string{"/dashboard", "/orders/1042?tab=items", "/settings/profile#security", origin + "/checkout?step=2"})),
				g.browser(origin+"/"), "")
		default:
			g.asset()
		}
	}
	return g.reqs[:n]
}

// utm returns tracking parameters of a campaign, with click ids.
func (g *gen) utm() []string {
	kv := []string{"utm_source", pick(g, []string{"google", "newsletter", "facebook", "linkedin", "partner-site"}),
		"utm_medium", pick(g, []string{"cpc", "email", "social", "referral"}), "utm_campaign", pick(g, campaigns)}
	if g.chance(0.4) {
		kv = append(kv, "utm_term", pick(g, searchPhrases))
	}
	if g.chance(0.3) {
		kv = append(kv, "utm_content", pick(g, []string{"hero-button", "ad_variant_b", "footer link", "banner (v2)"}))
	}
	switch g.intn(4) {
	case 0:
		kv = append(kv, "gclid", "Cj0KCQjw"+g.b64url(80))
	case 1:
		kv = append(kv, "fbclid", "IwAR"+g.b64url(60))
	case 2:
		kv = append(kv, "mc_cid", g.hex(10), "mc_eid", g.hex(10))
	}
	return kv
}

// asset requests a static file the page loads.
func (g *gen) asset() {
	path := pick(g, []string{
		"/static/js/main." + g.hex(8) + ".js", "/static/css/app." + g.hex(8) + ".css", "/favicon.ico",
		"/assets/fonts/Inter-Variable.woff2", "/images/products/" + g.digits(6) + "_800x800.webp?v=" + g.digits(10),
		"/manifest.webmanifest", "/robots.txt", "/sitemap.xml", "/apple-touch-icon.png", "/static/js/chunk-vendors." + g.hex(8) + ".js.map",
	})
	h := g.browser(origin + pick(g, appPages))
	h["Accept"] = "*/*"
	h["Sec-Fetch-Dest"] = pick(g, []string{"script", "style", "image", "font"})
	h["Sec-Fetch-Mode"] = "no-cors"
	if g.chance(0.3) {
		h["If-None-Match"] = `"` + g.hex(20) + `"`
	}
	g.add("GET", path, h, "")
}

// slugify turns a product name into a URL slug.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(fold(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
