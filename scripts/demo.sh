#!/usr/bin/env bash
# Runs bulwark guard on 127.0.0.1:8080, supervising the example Express app
# on 127.0.0.1:3000 behind it, until Ctrl-C. State (store, admin token,
# console password, events, logs) goes to .demo/, nowhere else.
# GUARD_PORT, APP_PORT and ADMIN_PORT choose other ports, DEMO_DIR another
# folder.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=${APP_PORT:-3000}
GUARD_PORT=${GUARD_PORT:-8080}
ADMIN_PORT=${ADMIN_PORT:-9090}
BIN=${BULWARK_BIN:-bin/bulwark}

# Each port must be free: a server already there would answer in the
# gateway's place, and the demo would show someone else's pages.
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "GUARD_PORT=$GUARD_PORT" "APP_PORT=$APP_PORT" "ADMIN_PORT=$ADMIN_PORT"; do
	if busy "${p#*=}"; then
		echo "demo: port ${p#*=} (${p%%=*}) is busy: another program listens on 127.0.0.1:${p#*=}." >&2
		echo "      Stop it, or choose another port: ${p%%=*}=$((${p#*=} + 1)) make demo" >&2
		exit 1
	fi
done
[ -x "$BIN" ] || { echo "demo: $BIN is missing; run make build" >&2; exit 1; }

DEMO_DIR=${DEMO_DIR:-.demo}
mkdir -p "$DEMO_DIR"
state=$(cd "$DEMO_DIR" && pwd)
rm -f "$state/bulwark-console.password" # written anew at start unless a password is set
app="$PWD/examples/express-app/server.js"
# The attacker script (make demo-attack) sends its requests from TEST-NET
# addresses through X-Forwarded-For, which only this host may set.
cat >"$state/bulwark.yaml" <<YAML
# Written by scripts/demo.sh for make demo: trust forwarding headers from
# this host only, so make demo-attack can play clients from elsewhere.
trustedProxies: [127.0.0.1/32]
YAML

BULWARK_HOME="$state" HOST=127.0.0.1 PORT=$APP_PORT "$BIN" guard \
	--config "$state/bulwark.yaml" \
	--upstream "http://127.0.0.1:$APP_PORT" \
	--listen "127.0.0.1:$GUARD_PORT" \
	--admin "127.0.0.1:$ADMIN_PORT" \
	--run "node $app" >"$state/events.jsonl" 2>"$state/guard.log" &
guard=$!

stop() {
	trap - EXIT INT TERM
	if kill -0 "$guard" 2>/dev/null; then
		echo "demo: stopping bulwark guard and the app…" >&2
		kill -TERM "$guard" 2>/dev/null || true
		wait "$guard" 2>/dev/null || true
	fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

failed() {
	echo "demo: $1; the end of $DEMO_DIR/guard.log:" >&2
	tail -n 15 "$state/guard.log" | sed 's/^/  | /' >&2
	exit 1
}

# Ready when the gateway answers with its X-Request-Id: then it is ours,
# not another server that took the port meanwhile.
ready=
for _ in $(seq 300); do
	kill -0 "$guard" 2>/dev/null || failed "bulwark guard exited"
	if curl -s -o /dev/null -D - --max-time 2 "http://127.0.0.1:$GUARD_PORT/api/health" 2>/dev/null | grep -qi '^x-request-id:'; then
		ready=1
		break
	fi
	sleep 0.1
done
[ -n "$ready" ] || failed "bulwark guard did not answer on 127.0.0.1:$GUARD_PORT within 30s"

cat <<MSG

  bulwark guard is running the example app (vulnerable on purpose) and guarding it:

    through the gateway   http://127.0.0.1:$GUARD_PORT/        (log in as alice / correct horse battery staple)
    the app directly      http://127.0.0.1:$APP_PORT/        (never expose it)
    console               http://127.0.0.1:$ADMIN_PORT/console/  password for this run: $(cat "$state/bulwark-console.password" 2>/dev/null || echo "the one set with bulwark console passwd")
    admin (token needed)  http://127.0.0.1:$ADMIN_PORT/metrics  token in $DEMO_DIR/bulwark-admin.token

  See an attacker banned, alerted on and shown in the console:   make demo-attack
  Try an attack both ways:
    curl -s "http://127.0.0.1:$APP_PORT/search?q=%27%20UNION%20SELECT%20id,name,value%20FROM%20secrets--"   # works
    curl -s "http://127.0.0.1:$GUARD_PORT/search?q=%27%20UNION%20SELECT%20id,name,value%20FROM%20secrets--"   # 403
  Compare the headers:   curl -sI http://127.0.0.1:$APP_PORT/   vs   curl -sI http://127.0.0.1:$GUARD_PORT/
  The whole gateway:     BULWARK_HOME=$DEMO_DIR $BIN status --admin 127.0.0.1:$ADMIN_PORT
  Bans:                  BULWARK_HOME=$DEMO_DIR $BIN bans list
  Restart the app without dropping a request:   kill -HUP $guard
  Events (ECS JSON):     tail -f $DEMO_DIR/events.jsonl
  Logs (gateway + app):  $DEMO_DIR/guard.log

  Ctrl-C stops both.
MSG
set +e
wait "$guard"
code=$?
set -e
# Here only when guard ended on its own (Ctrl-C runs the INT trap).
[ "$code" -eq 0 ] || failed "bulwark guard stopped (exit $code)"
