#!/usr/bin/env bash
# The embedded stack: `cwa server` (Prefect on SQLite behind our sign-in layer), our migrations, and one
# process serving every deployment with its schedule. CWA_SEED_DEMO=1 also seeds sample data and staff
# passwords. Service secrets are made once in data/secrets/ (readable by this user only) and reach each
# process through its environment, never its command line. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${CWA_PREFECT_PORT:-4200}
mkdir -p data/logs
export PREFECT_HOME=${PREFECT_HOME:-$PWD/data/prefect-home}
export PREFECT_API_URL=${PREFECT_API_URL:-http://127.0.0.1:$PORT/api}
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_RESULTS_PERSIST_BY_DEFAULT=true
export CWA_UI_BASE_URL=${CWA_UI_BASE_URL:-http://127.0.0.1:$PORT}

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

"$PY" -m flows.cli init-db
mkdir -p data/secrets && chmod 700 data/secrets
for svc in svc-runner svc-cli; do
  [ -s "data/secrets/$svc" ] || (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' >"data/secrets/$svc")
  CWA_SERVICE_SECRET=$(cat "data/secrets/$svc") "$PY" -m flows.cli service-account "$svc" >/dev/null
done
cli_auth="svc-cli:$(cat data/secrets/svc-cli)"

if curl -sf "$PREFECT_API_URL/health" >/dev/null 2>&1; then
  echo "a server already answers on port $PORT: using it"
else
  echo "starting cwa server (Prefect with sign-in) on 127.0.0.1:$PORT (log: data/logs/server.log)"
  "$PY" -m flows.cli server --host 127.0.0.1 --port "$PORT" >>data/logs/server.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "$PREFECT_API_URL/health" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$PREFECT_API_URL/health" >/dev/null || { echo "the server did not start"; tail -20 data/logs/server.log; exit 1; }
fi

SMTP_PORT=${CWA_SMTP_PORT:-8025}
if ! (exec 3<>/dev/tcp/127.0.0.1/"$SMTP_PORT") 2>/dev/null; then
  echo "no SMTP server on 127.0.0.1:$SMTP_PORT: notices go to the Maildir data/mail/ (a local mail sink)"
  "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox data/mail >>data/logs/mail.log 2>&1 &
  pids+=($!)
fi

echo "serving the deployments (log: data/logs/runner.log)"
PREFECT_API_AUTH_STRING="svc-runner:$(cat data/secrets/svc-runner)" "$PY" -m flows.serve >>data/logs/runner.log 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  n=$(printf 'user = "%s"\n' "$cli_auth" | curl -sf -K - -X POST -H 'content-type: application/json' -d '{}' \
      "$PREFECT_API_URL/deployments/count" || echo 0)
  [ "${n:-0}" -ge 9 ] && break; sleep 0.5
done
if [ "${CWA_SEED_DEMO:-0}" = 1 ]; then
  PREFECT_API_AUTH_STRING="$cli_auth" "$PY" -m flows.cli seed-demo
fi
echo
echo "Prefect UI: http://127.0.0.1:$PORT   (staff inbox: .venv/bin/cwa inbox)"
echo "Commands that start runs sign in as the command line's service identity:"
echo '  export PREFECT_API_AUTH_STRING="svc-cli:$(cat data/secrets/svc-cli)"'
echo "Press Ctrl-C to stop."
wait "${pids[@]}"
