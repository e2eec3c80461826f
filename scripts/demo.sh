#!/usr/bin/env bash
# Runs bulwark guard on 127.0.0.1:8080, supervising the example Express app
# on 127.0.0.1:3000 behind it, until Ctrl-C. State goes to .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=${APP_PORT:-3000}
GUARD_PORT=${GUARD_PORT:-8080}
ADMIN_PORT=${ADMIN_PORT:-9090}
mkdir -p .demo
rm -f .demo/bulwark-console.password # written anew at start unless a password is set
app="$PWD/examples/express-app/server.js"

(cd .demo && HOST=127.0.0.1 PORT=$APP_PORT exec ../bin/bulwark guard \
	--upstream "http://127.0.0.1:$APP_PORT" \
	--listen "127.0.0.1:$GUARD_PORT" \
	--admin "127.0.0.1:$ADMIN_PORT" \
	--run "node $app" >events.jsonl 2>guard.log) &
guard=$!
trap 'kill -TERM $guard 2>/dev/null; wait $guard 2>/dev/null' EXIT INT TERM

for _ in $(seq 300); do
	curl -s -o /dev/null "http://127.0.0.1:$GUARD_PORT/api/health" && break
	kill -0 $guard 2>/dev/null || { echo "demo: guard exited; see .demo/guard.log" >&2; exit 1; }
	sleep 0.1
done

cat <<MSG

  bulwark guard is running the example app (vulnerable on purpose) and guarding it:

    through the gateway   http://127.0.0.1:$GUARD_PORT/        (log in as alice / correct horse battery staple)
    the app directly      http://127.0.0.1:$APP_PORT/        (never expose it)
    admin (token needed)  http://127.0.0.1:$ADMIN_PORT/metrics  token in .demo/bulwark-admin.token
    console               http://127.0.0.1:$ADMIN_PORT/console/  password for this run: $(cat .demo/bulwark-console.password 2>/dev/null || echo "the one set with bulwark console passwd")

  Try an attack both ways:
    curl -s "http://127.0.0.1:$APP_PORT/search?q=%27%20UNION%20SELECT%20id,name,value%20FROM%20secrets--"   # works
    curl -s "http://127.0.0.1:$GUARD_PORT/search?q=%27%20UNION%20SELECT%20id,name,value%20FROM%20secrets--"   # 403
  Compare the headers:   curl -sI http://127.0.0.1:$APP_PORT/   vs   curl -sI http://127.0.0.1:$GUARD_PORT/
  Restart the app without dropping a request:   kill -HUP $guard
  Metrics:               curl -s -H "Authorization: Bearer \$(cat .demo/bulwark-admin.token)" http://127.0.0.1:$ADMIN_PORT/metrics
  Events (ECS JSON):     tail -f .demo/events.jsonl
  Logs (gateway + app):  .demo/guard.log

  Ctrl-C stops both.
MSG
wait $guard
