#!/usr/bin/env bash
# Plays an attacker against make demo's gateway: SQL injection, XSS and
# path traversal from 203.0.113.66 (TEST-NET-3, an address no one owns),
# sent through X-Forwarded-For, which the demo trusts from this host only.
# After a few blocked attacks the attacker is banned: a ban, an alert
# event, and the console's pages light up.
set -euo pipefail
cd "$(dirname "$0")/.."

GUARD_PORT=${GUARD_PORT:-8080}
ADMIN_PORT=${ADMIN_PORT:-9090}
BIN=${BULWARK_BIN:-bin/bulwark}
ATTACKER=${ATTACKER:-203.0.113.66}
DEMO_DIR=${DEMO_DIR:-.demo}
base="http://127.0.0.1:$GUARD_PORT"

if ! curl -s -o /dev/null -D - --max-time 2 "$base/api/health" 2>/dev/null | grep -qi '^x-request-id:'; then
	echo "demo-attack: no bulwark guard answers on 127.0.0.1:$GUARD_PORT; start it with make demo (in another terminal)" >&2
	exit 1
fi

# send PATH: one request as the attacker; prints the status code.
send() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "X-Forwarded-For: $ATTACKER" \
		-A 'Mozilla/5.0 (demo attacker)' "$base$1"
}

attacks=(
	"/search?q=%27%20UNION%20SELECT%20id,name,value%20FROM%20secrets--"
	"/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E"
	"/download?file=..%2F..%2F..%2Fetc%2Fpasswd"
	"/search?q=1%27%20OR%20%271%27=%271"
	"/search?q=%3Cimg%20src=x%20onerror=alert(1)%3E"
	"/search?q=1;%20DROP%20TABLE%20users--"
	"/download?file=....%2F%2F....%2F%2Fetc%2Fshadow"
	"/search?q=%27%20AND%20SLEEP(5)--"
)
echo "demo-attack: $ATTACKER sends ${#attacks[@]} attacks to $base"
for a in "${attacks[@]}"; do
	printf '  %s  %s\n' "$(send "$a")" "$a"
	sleep 0.2
done

# The ban is decided on the event bus: give it a moment, then show it.
code=
for _ in $(seq 50); do
	code=$(send "/")
	[ "$code" = 403 ] && break
	sleep 0.1
done
echo "  $code  / (an ordinary page, asked by the same address)"
echo
if [ "$code" = 403 ]; then
	echo "demo-attack: $ATTACKER is banned; every request it sends is refused."
else
	echo "demo-attack: $ATTACKER is not banned yet (answer $code); see $DEMO_DIR/guard.log" >&2
fi
echo
echo "  The ban:        BULWARK_HOME=$DEMO_DIR $BIN bans show $ATTACKER"
BULWARK_HOME=$DEMO_DIR "$BIN" bans show "$ATTACKER" --color never 2>/dev/null | sed 's/^/    /' || true
echo "  The alert:      grep '\"kind\":\"alert\"' $DEMO_DIR/events.jsonl | tail -n 1"
echo "  The console:    http://127.0.0.1:$ADMIN_PORT/console/ (Traffic, Black book)"
[ "$code" = 403 ]
