#!/usr/bin/env bash
# The embedded stack: a local Prefect server (SQLite), our migrations, and one process serving
# every deployment with its schedule. CWA_SEED_DEMO=1 also seeds sample data. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${CWA_PREFECT_PORT:-4200}
mkdir -p data/logs
export PREFECT_HOME=${PREFECT_HOME:-$PWD/data/prefect-home}
export PREFECT_API_URL=${PREFECT_API_URL:-http://127.0.0.1:$PORT/api}
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_RESULTS_PERSIST_BY_DEFAULT=true
export PREFECT_RUNNER_POLL_FREQUENCY=1
export CWA_UI_BASE_URL=${CWA_UI_BASE_URL:-http://127.0.0.1:$PORT}

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

if curl -sf "$PREFECT_API_URL/health" >/dev/null 2>&1; then
  echo "a Prefect server already answers on port $PORT: using it"
else
  echo "starting the Prefect server on 127.0.0.1:$PORT (log: data/logs/server.log)"
  "$PY" -m prefect server start --host 127.0.0.1 --port "$PORT" >>data/logs/server.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "$PREFECT_API_URL/health" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$PREFECT_API_URL/health" >/dev/null || { echo "the Prefect server did not start"; tail -20 data/logs/server.log; exit 1; }
fi

SMTP_PORT=${CWA_SMTP_PORT:-8025}
if ! (exec 3<>/dev/tcp/127.0.0.1/"$SMTP_PORT") 2>/dev/null; then
  echo "no SMTP server on 127.0.0.1:$SMTP_PORT: notices go to the Maildir data/mail/ (a local mail sink)"
  "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox data/mail >>data/logs/mail.log 2>&1 &
  pids+=($!)
fi

"$PY" -m flows.cli init-db
echo "serving the deployments (log: data/logs/runner.log)"
"$PY" -m flows.serve >>data/logs/runner.log 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  n=$(curl -sf -X POST -H 'content-type: application/json' -d '{}' "$PREFECT_API_URL/deployments/count" || echo 0)
  [ "${n:-0}" -ge 4 ] && break; sleep 0.5
done
if [ "${CWA_SEED_DEMO:-0}" = 1 ]; then
  "$PY" -m flows.cli seed-demo
fi
echo
echo "Prefect UI: http://127.0.0.1:$PORT   (staff inbox: .venv/bin/cwa inbox)"
echo "Press Ctrl-C to stop."
wait "${pids[@]}"
