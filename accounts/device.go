package accounts

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
)

// networkOf is the network a login comes from: its /24 (IPv4) or /64 (IPv6).
func networkOf(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	bits := 64
	if ip.Is4() {
		bits = 24
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}

// uaFamily reduces a User-Agent to browser (or client) and platform, so
// that a browser update is not a new device.
func uaFamily(ua string) string {
	l := strings.ToLower(ua)
	pick := func(pairs ...string) string {
		for i := 0; i < len(pairs); i += 2 {
			if strings.Contains(l, pairs[i]) {
				return pairs[i+1]
			}
		}
		return ""
	}
	browser := pick("edg/", "Edge", "opr/", "Opera", "firefox/", "Firefox", "chrome/", "Chrome", "crios/", "Chrome",
		"safari/", "Safari", "curl/", "curl", "go-http-client", "Go", "python", "Python", "okhttp", "OkHttp", "node", "Node")
	if browser == "" {
		browser, _, _ = strings.Cut(ua, "/")
		browser = event.Truncate(strings.TrimSpace(browser), 32)
	}
	platform := pick("android", "Android", "iphone", "iOS", "ipad", "iOS", "windows", "Windows", "mac os", "macOS",
		"cros", "ChromeOS", "linux", "Linux")
	if platform == "" {
		return browser
	}
	return browser + " on " + platform
}

// checkDevice records the login's network and device and, if the user has
// logged in before from neither, publishes an event and mails the user a
// "this wasn't me" link.
func (w *Watch) checkDevice(ctx context.Context, a attempt) {
	if w.cfg.NewDevice.Off || a.user == "" {
		return
	}
	now := w.clock()
	seen := map[string]bool{}
	rows, err := w.db.QueryContext(ctx, `SELECT kind, value FROM accounts_seen WHERE user = ?`, a.user)
	if err != nil {
		w.logError(ctx, "reading login history", err)
		return
	}
	for rows.Next() {
		var kind, value string
		if rows.Scan(&kind, &value) == nil {
			seen[kind+" "+value] = true
		}
	}
	rows.Close()
	network, family := networkOf(a.ip), uaFamily(a.ua)
	known := len(seen)
	var fresh []string
	shared, sharedNew := w.seenFleet(ctx, a.user, seen, network, family)
	if shared >= 0 {
		known = shared
	}
	for i, kv := range [][2]string{{"network", network}, {"device", family}} {
		if kv[1] == "" {
			continue
		}
		if shared >= 0 && sharedNew[i] || shared < 0 && !seen[kv[0]+" "+kv[1]] {
			fresh = append(fresh, kv[0])
		}
		_, err := w.db.ExecContext(ctx, `INSERT INTO accounts_seen (user, kind, value, first, last) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user, kind, value) DO UPDATE SET last = excluded.last`, a.user, kv[0], kv[1], now.Unix(), now.Unix())
		if err != nil {
			w.logError(ctx, "storing login history", err)
		}
	}
	if known == 0 || len(fresh) == 0 {
		return // a first login is nothing new
	}
	e := w.eventFor(a, event.CategoryAuthentication, "info", "new-device-login", event.OutcomeSuccess, event.SeverityMedium)
	e.Message = "login from a new " + strings.Join(fresh, " and ")
	e.Labels = map[string]string{"new": strings.Join(fresh, ","), "network": network, "device": family}
	to := w.emailOf(ctx, a.user)
	if to == "" {
		e.Labels["mail"] = "no address known"
	}
	w.publish(e)
	if to == "" {
		return
	}
	if a.linkBase == "" {
		w.noLinkBase.Do(func() {
			w.log.LogAttrs(ctx, slog.LevelWarn, "new-device mails carry no \"this wasn't me\" link: set accounts.newDevice.linkBase to the site's public URL")
		})
		w.sendMail(Mail{To: to, Subject: "New login to your account",
			Text: fmt.Sprintf("Your account %q was just used to log in from a new %s:\n\n  IP address: %s\n  Device: %s\n  Time: %s\n\n"+
				"If this was you, there is nothing to do.\n\nIf this wasn't you, change your password now and tell the site's support.\n",
				a.user, strings.Join(fresh, " and "), a.ip, family, now.UTC().Format("2006-01-02 15:04 MST"))})
		return
	}
	link := a.linkBase + w.cfg.NewDevice.NotMePath + "?t=" + w.signLink(a.user, a.ip, now.Add(w.cfg.NewDevice.LinkTTL))
	w.sendMail(Mail{To: to, Subject: "New login to your account",
		Text: fmt.Sprintf("Your account %q was just used to log in from a new %s:\n\n  IP address: %s\n  Device: %s\n  Time: %s\n\n"+
			"If this was you, there is nothing to do.\n\nIf this wasn't you, open this link: it signs out every session of your account, "+
			"blocks that address, and you should then change your password:\n\n  %s\n\nThe link works once, until %s.\n",
			a.user, strings.Join(fresh, " and "), a.ip, family, now.UTC().Format("2006-01-02 15:04 MST"), link,
			now.Add(w.cfg.NewDevice.LinkTTL).UTC().Format("2006-01-02 15:04 MST"))})
}
