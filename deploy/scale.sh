#!/usr/bin/env bash
# The scaled stack as processes on this host, the same stack deploy/compose.yaml describes in containers
# (deploy/README.md): PostgreSQL databases for Prefect and for our tables; `cwa server` (Prefect's API and UI
# behind our sign-in layer, without its background services); Prefect's background services in a process of
# their own; Redis as Prefect's messaging broker, cache, causal ordering, lease storage and Docket (prefect-redis);
# the work pool `cwa` with the deployments of deploy/prefect.yaml; CWA_WORKERS process workers. Service secrets are
# made once in data/secrets/ (readable by this user only) and reach each process through its environment, never
# its command line or a log. Ctrl-C (or SIGTERM) stops every process the script started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PY")
HOST=${CWA_PREFECT_HOST:-127.0.0.1}
PORT=${CWA_PREFECT_PORT:-4200}
WORKERS=${CWA_WORKERS:-2}
WORKER_LIMIT=${CWA_WORKER_LIMIT:-8}  # flow runs at once per worker, as the embedded runner (CWA_RUNNER_LIMIT)
RESTART_LIMIT=${CWA_RESTART_LIMIT:-5}
POOL=cwa  # the work pool of deploy/prefect.yaml
PG_HOST=${CWA_PG_HOST:-127.0.0.1}
PG_PORT=${CWA_PG_PORT:-5432}
PG_USER=${CWA_PG_USER:-postgres}
PG_ADMIN_DB=${CWA_PG_ADMIN_DB:-postgres}
DB=${CWA_DB_NAME:-cwa}
PREFECT_DB=${CWA_PREFECT_DB_NAME:-cwa_prefect}
REDIS_URL=${CWA_REDIS_URL:-redis://127.0.0.1:6379/0}
STATE=${CWA_SCALED_DIR:-$ROOT/data/scaled}
SECRETS=${CWA_SECRETS_DIR:-$ROOT/data/secrets}
case "$STATE" in /*) ;; *) STATE=$ROOT/$STATE ;; esac
case "$SECRETS" in /*) ;; *) SECRETS=$ROOT/$SECRETS ;; esac
LOGS=$STATE/logs
mkdir -p "$LOGS" "$STATE/results"
mkdir -p "$SECRETS" && chmod 700 "$SECRETS"

# A database password, if the server asks for one: from data/secrets/postgres into PGPASSWORD (libpq, asyncpg),
# never into a URL. A caller's own credentials are not passed on to the stack's processes.
if [ -s "$SECRETS/postgres" ]; then PGPASSWORD=$(cat "$SECRETS/postgres"); export PGPASSWORD; fi
unset PREFECT_API_AUTH_STRING PREFECT_API_KEY PREFECT_SERVER_API_AUTH_STRING PREFECT_PROFILE

export PREFECT_HOME=$STATE/prefect-home
export PREFECT_API_URL=http://$HOST:$PORT/api
export CWA_UI_BASE_URL=${CWA_UI_BASE_URL:-http://$HOST:$PORT}
export CWA_DATABASE_URL=postgresql+psycopg://$PG_USER@$PG_HOST:$PG_PORT/$DB
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_RESULTS_PERSIST_BY_DEFAULT=true
export PREFECT_LOCAL_STORAGE_PATH=$STATE/results  # shared by every worker: a resumed run may start on another
export PREFECT_CLI_PROMPT=false
export PREFECT_WORKER_QUERY_SECONDS=${PREFECT_WORKER_QUERY_SECONDS:-0.25}
export CWA_APP_DIR=$ROOT  # where each flow run starts (the pull step of deploy/prefect.yaml)
export CWA_BATCH_RUNS=${CWA_BATCH_RUNS:-$WORKERS}  # runs that share a batch job: one per worker
# Each flow run sends a heartbeat this often; the automation made in step 4 marks a run Crashed after 2.5 times
# that without one (its worker died).
export PREFECT_FLOWS_HEARTBEAT_FREQUENCY=${CWA_HEARTBEAT_SECONDS:-60}

pids=()
names=()
logs=()
starters=()
restarts=()  # the times each process was started again, for the restart limit
stopping=0
tree() {  # $1 a pid: it and every process below it
  local child
  echo "$1"
  for child in $(pgrep -P "$1" 2>/dev/null); do tree "$child"; done
}
kill_tree() {  # $1 a pid: it and every process below it, children first stopped so none escapes
  local child
  kill -STOP "$1" 2>/dev/null || true
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
  kill -KILL "$1" 2>/dev/null || true
}
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  [ "${#pids[@]}" -gt 0 ] || return 0
  echo "stopping ${#pids[@]} process(es)"
  local p i everything=()
  # A worker's forkserver and flow runs outlive it for a moment when it exits: they are waited for too.
  for p in "${pids[@]}"; do everything+=($(tree "$p")); done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 60); do  # up to 15 s to stop cleanly
    local alive=0
    for p in "${everything[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for i in "${!pids[@]}"; do  # then by force, with the flow runs a worker may still have
    p=${pids[$i]}
    if kill -0 "$p" 2>/dev/null; then
      echo "${names[$i]} still running after 15 s: killed"
      kill_tree "$p"
    fi
  done
  for p in "${everything[@]}"; do kill -KILL "$p" 2>/dev/null || true; done  # flow runs an exited worker left
  wait 2>/dev/null || true
  echo "stopped"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "scale.sh: $*" >&2; exit 1; }
started() {  # $1 pid, $2 what, $3 log, $4 the function that starts it again
  pids+=("$1"); names+=("$2"); logs+=("$3"); starters+=("$4"); restarts+=(""); echo "started $2 (pid $1, log: $3)"
}
alive_or_fail() {  # $1 pid, $2 what, $3 log
  kill -0 "$1" 2>/dev/null || { echo "$2 exited; the end of $3:" >&2; tail -30 "$3" >&2; exit 1; }
}

# 1. PostgreSQL: the two databases, created if missing; our migrations; the service identities.
"$PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$PG_ADMIN_DB" "$PREFECT_DB" "$DB" <<'EOF' || fail "PostgreSQL is not ready (see above)"
import sys
import psycopg
from psycopg import sql

host, port, user, admin_db, *names = sys.argv[1:]
try:
    conn = psycopg.connect(host=host, port=port, user=user, dbname=admin_db, autocommit=True, connect_timeout=5)
except psycopg.OperationalError as exc:
    sys.exit(f"cannot connect to PostgreSQL at {host}:{port} as {user}: {' '.join(str(exc).split())}")
with conn:
    for name in names:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            print(f"database {name}: exists")
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"database {name}: created")
EOF
"$PY" - "$REDIS_URL" <<'EOF' || fail "Redis is not reachable at CWA_REDIS_URL (see above)"
import sys
import redis

try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=5).ping()
except redis.RedisError as exc:
    sys.exit(f"Redis: {exc}")
EOF
"$PY" -m flows.cli init-db
for svc in svc-worker svc-cli; do
  [ -s "$SECRETS/$svc" ] || (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$SECRETS/$svc")
  CWA_SERVICE_SECRET=$(cat "$SECRETS/$svc") "$PY" -m flows.cli service-account "$svc" >/dev/null
done

# Prefect's server processes: PostgreSQL, and Redis for everything the API and the services share.
server_env=(
  "PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://$PG_USER@$PG_HOST:$PG_PORT/$PREFECT_DB"
  "PREFECT_MESSAGING_BROKER=prefect_redis.messaging"
  "PREFECT_MESSAGING_CACHE=prefect_redis.messaging"
  "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING=prefect_redis.ordering"
  "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE=prefect_redis.lease_storage"
  "PREFECT_REDIS_MESSAGING_URL=$REDIS_URL"
  "PREFECT_SERVER_DOCKET_URL=$REDIS_URL"
)

# Background processes of a script start with SIGINT ignored; a worker stops on SIGTERM by sending itself SIGINT,
# so every process gets SIGINT back (env --default-signal, GNU coreutils 8.31+).
healthy() { curl -sf -m 2 "$PREFECT_API_URL/health" >/dev/null 2>&1; }
healthy && fail "a server already answers on $HOST:$PORT: stop it or set CWA_PREFECT_PORT"

# 2. `cwa server` without the background services (PREFECT__SERVER_WEBSERVER_ONLY, what `prefect server start
#    --no-services` sets): it migrates Prefect's database when it starts.
start_server() {
  env --default-signal=INT "${server_env[@]}" PREFECT__SERVER_WEBSERVER_ONLY=1 \
    "$PY" -m flows.cli server --host "$HOST" --port "$PORT" >>"$LOGS/server.log" 2>&1 &
}
start_server
server_pid=$!
started "$server_pid" "cwa server on $HOST:$PORT" "$LOGS/server.log" start_server
for _ in $(seq 1 360); do healthy && break; alive_or_fail "$server_pid" "cwa server" "$LOGS/server.log"; sleep 0.5; done
healthy || { tail -30 "$LOGS/server.log" >&2; fail "cwa server did not answer within 180 s"; }

# 3. The background services (scheduler, late runs, event persister, task run recorder, triggers, ...).
start_services() {
  env --default-signal=INT "${server_env[@]}" "$BIN/prefect" server services start >>"$LOGS/services.log" 2>&1 &
}
start_services
services_pid=$!
started "$services_pid" "Prefect's background services" "$LOGS/services.log" start_services

# 4. The work pool and the deployments, signed in as the command line's service identity.
cli_auth="svc-cli:$(cat "$SECRETS/svc-cli")"
(
  export PREFECT_API_AUTH_STRING=$cli_auth
  "$BIN/prefect" work-pool inspect "$POOL" >/dev/null 2>&1 \
    || "$BIN/prefect" work-pool create "$POOL" --type process
  "$BIN/prefect" deploy --all --prefect-file deploy/prefect.yaml
  "$PY" -m flows.cli crash-detection --within $((PREFECT_FLOWS_HEARTBEAT_FREQUENCY * 5 / 2))
) </dev/null >>"$LOGS/deploy.log" 2>&1 || { tail -40 "$LOGS/deploy.log" >&2; fail "prefect deploy failed"; }
echo "deployments of deploy/prefect.yaml on the work pool $POOL, crash detection (log: $LOGS/deploy.log)"
alive_or_fail "$services_pid" "Prefect's background services" "$LOGS/services.log"

# 5. The workers, signed in as svc-worker: Prefect's process worker, with each run forked from a server that has
#    our flows imported (flows/worker.py).
worker_auth="svc-worker:$(cat "$SECRETS/svc-worker")"
start_worker() {  # $1 the worker's number
  PREFECT_API_AUTH_STRING=$worker_auth env --default-signal=INT "$PY" -m flows.worker --pool "$POOL" \
    --name "worker-$1" ${WORKER_LIMIT:+--limit "$WORKER_LIMIT"} </dev/null >>"$LOGS/worker-$1.log" 2>&1 &
}
for i in $(seq 1 "$WORKERS"); do
  start_worker "$i"
  started $! "worker-$i" "$LOGS/worker-$i.log" "start_worker $i"
done

# 6. Ready when every deployment of the file exists and is READY (a worker of its pool polled) and every worker
#    has sent its heartbeat.
PREFECT_API_AUTH_STRING=$cli_auth "$PY" - "$POOL" "$WORKERS" <<'EOF' || fail "the stack did not become ready (logs: $LOGS)"
import os
import sys
import time

import httpx
import yaml

pool, workers = sys.argv[1], int(sys.argv[2])
expected = {d["name"] for d in yaml.safe_load(open("deploy/prefect.yaml"))["deployments"]}
api = os.environ["PREFECT_API_URL"]
auth = tuple(os.environ["PREFECT_API_AUTH_STRING"].split(":", 1))
missing = "nothing asked yet"
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        deployments = httpx.post(f"{api}/deployments/filter", json={}, auth=auth, timeout=10).json()
        polling = httpx.post(f"{api}/work_pools/{pool}/workers/filter", json={}, auth=auth, timeout=10).json()
        ready = {d["name"] for d in deployments if d.get("status") == "READY"}
        online = [w for w in polling if w.get("status") == "ONLINE"]
        if expected <= ready and len(online) >= workers:
            print(f"{len(expected)} deployments ready; {len(online)} worker(s) polling the pool {pool}")
            sys.exit(0)
        missing = f"not ready: {sorted(expected - ready)}; workers online: {len(online)} of {workers}"
    except (httpx.HTTPError, ValueError) as exc:
        missing = f"{type(exc).__name__}: {exc}"
    time.sleep(1)
sys.exit(f"after 120 s: {missing}")
EOF
for i in "${!pids[@]}"; do alive_or_fail "${pids[$i]}" "${names[$i]}" "${logs[$i]}"; done

echo
echo "scaled stack ready"
echo "Prefect UI and API: http://$HOST:$PORT   (Prefect's database: $PREFECT_DB; ours: $DB on $PG_HOST:$PG_PORT)"
echo "Redis: messaging, cache, ordering, leases, Docket; $WORKERS worker(s) on the pool $POOL; logs in $LOGS"
echo "Commands that start runs sign in as the command line's service identity:"
echo "  export PREFECT_API_URL=$PREFECT_API_URL CWA_DATABASE_URL=$CWA_DATABASE_URL"
echo "  export PREFECT_API_AUTH_STRING=\"svc-cli:\$(cat ${SECRETS#"$ROOT"/}/svc-cli)\""
echo "Press Ctrl-C to stop."
# Supervision, as the compose file's `restart: unless-stopped`: a process that exits is started again, with the
# same environment and log; one that exits RESTART_LIMIT times within 5 minutes stops the stack.
restart() {  # $1 index
  local i=$1 now recent=() t code
  now=$(date +%s)
  for t in ${restarts[$i]}; do [ $((now - t)) -lt 300 ] && recent+=("$t"); done
  if [ "${#recent[@]}" -ge "$RESTART_LIMIT" ]; then
    echo "${names[$i]} exited $RESTART_LIMIT times within 5 minutes: stopping the stack" >&2
    tail -30 "${logs[$i]}" >&2
    exit 1
  fi
  wait "${pids[$i]}" 2>/dev/null && code=0 || code=$?
  echo "${names[$i]} exited (status $code): starting it again (log: ${logs[$i]})"
  ${starters[$i]}
  pids[$i]=$!
  restarts[$i]="${recent[*]} $now"
  echo "restarted ${names[$i]} (pid ${pids[$i]})"
}
while :; do
  for i in "${!pids[@]}"; do
    kill -0 "${pids[$i]}" 2>/dev/null || restart "$i"
  done
  sleep 1
done
