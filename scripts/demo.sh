#!/usr/bin/env bash
# Runs the example Express app on 127.0.0.1:3000 and bulwark guard in front
# of it on 127.0.0.1:8080, until Ctrl-C. State goes to .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=${APP_PORT:-3000}
GUARD_PORT=${GUARD_PORT:-8080}
ADMIN_PORT=${ADMIN_PORT:-9090}
mkdir -p .demo

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

HOST=127.0.0.1 PORT=$APP_PORT node examples/express-app/server.js >.demo/app.log 2>&1 &
pids+=($!)

(cd .demo && exec ../bin/bulwark guard \
	--upstream "http://127.0.0.1:$APP_PORT" \
	--listen "127.0.0.1:$GUARD_PORT" \
	--admin "127.0.0.1:$ADMIN_PORT" >events.jsonl 2>guard.log) &
pids+=($!)

wait_for() { # url
	for _ in $(seq 100); do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.1
	done
	echo "demo: $1 did not come up; see .demo/*.log" >&2
	exit 1
}
wait_for "http://127.0.0.1:$APP_PORT/api/health"
wait_for "http://127.0.0.1:$GUARD_PORT/api/health"

cat <<MSG

  The example app (vulnerable on purpose) is behind bulwark guard:

    through the gateway   http://127.0.0.1:$GUARD_PORT/        (log in as alice / correct horse battery staple)
    the app directly      http://127.0.0.1:$APP_PORT/        (never expose it)
    admin (token needed)  http://127.0.0.1:$ADMIN_PORT/metrics  token in .demo/bulwark-admin.token

  Compare the headers:   curl -sI http://127.0.0.1:$APP_PORT/   vs   curl -sI http://127.0.0.1:$GUARD_PORT/
  Metrics:               curl -s -H "Authorization: Bearer \$(cat .demo/bulwark-admin.token)" http://127.0.0.1:$ADMIN_PORT/metrics
  Events (ECS JSON):     tail -f .demo/events.jsonl
  Logs:                  .demo/app.log  .demo/guard.log

  Ctrl-C stops both.
MSG
wait -n "${pids[@]}"
