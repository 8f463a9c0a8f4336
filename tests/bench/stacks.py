"""The stacks tests/bench/resume.py measures, and the memory and CPU of their processes read from /proc.

- SQLite: the embedded stack, `cwa server` on SQLite with its services, and `workers` runner processes of
  flows/serve.py (what `make up` runs; two runners serve the same deployments and race for each run).
- PostgreSQL: the scaled stack, deploy/scale.sh with CWA_WORKERS process workers, on fresh databases and an
  empty Redis database (as tests/faults/scaled.py runs it, which cannot be imported here: tests/conftest.py
  sets its own environment), dropped and flushed afterwards.

`environment()` is called before Prefect is imported (its settings are read from the environment then);
`start()` after.
"""

import os
import secrets
import uuid
from pathlib import Path

from tests.stack import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379"
SERVICE = ("svc-bench", secrets.token_urlsafe(32))  # this process's identity
RUNNER = ("svc-runner", secrets.token_urlsafe(32))  # the embedded runners'
STAFF_PASSWORD = "Bench-Pass-2026!"
CLOCK = os.sysconf("SC_CLK_TCK")


class Stack:
    """One configuration: its API, our database, its processes."""

    def __init__(self, db: str, workers: int, work: Path, query_seconds: float | None):
        self.db, self.workers, self.work, self.query_seconds = db, workers, work, query_seconds
        self.port, self.smtp_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.smtp = self.server = self.scaled = self.admin = None
        self.runners, self.names, self.redis = [], {}, None
        if db == "sqlite":
            self.url = f"sqlite:///{work / 'cwa.db'}"
        else:
            self.admin, user = _postgres_admin()
            suffix = uuid.uuid4().hex[:10]
            self.names = {"cwa": f"cwa_bench_{suffix}", "prefect": f"cwa_prefect_bench_{suffix}"}
            self.url = f"postgresql+psycopg://{user}@127.0.0.1:5432/{self.names['cwa']}"
            self.user = user

    def label(self) -> str:
        kind = "runner" if self.db == "sqlite" else "worker"
        return f"{self.workers} {kind}{'s' if self.workers > 1 else ''}"

    def environment(self) -> dict[str, str]:
        """This process's settings: the stack's API, signed in as SERVICE; our database; mail into WORK."""
        return dict(PREFECT_HOME=str(self.work / "prefect-home"), PREFECT_API_URL=self.api,
                    PREFECT_API_AUTH_STRING=":".join(SERVICE), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                    PREFECT_RESULTS_PERSIST_BY_DEFAULT="true", PREFECT_LOGGING_LEVEL="WARNING",
                    CWA_DATABASE_URL=self.url, CWA_SMTP_PORT=str(self.smtp_port),
                    CWA_UI_BASE_URL=f"http://127.0.0.1:{self.port}", CWA_MAILROOM_DIR=str(self.work / "mailroom"),
                    CWA_REPORTS_DIR=str(self.work / "reports"))

    def start(self) -> "Stack":
        self.smtp = SmtpSink(self.smtp_port).start()
        if self.db == "sqlite":
            self._start_embedded()
        else:
            self._start_scaled()
        return self

    def _sign_in_everyone(self, with_runner: bool) -> None:
        from tasks.context import transaction
        from tasks.seed import STAFF, seed_roster
        from tasks.signin.passwords import set_password, set_service_secret

        with transaction() as session:
            seed_roster(session)
            for account, secret in (SERVICE, RUNNER) if with_runner else (SERVICE,):
                set_service_secret(session, account_id=account, secret=secret, actor="bench")
            for staff_id, *_ in STAFF:
                set_password(session, staff_id=staff_id, password=STAFF_PASSWORD, actor="bench")

    def _start_embedded(self) -> None:
        from models.migrate import upgrade
        from tests.stack import start_prefect_server, start_runner

        upgrade(self.url)
        self._sign_in_everyone(with_runner=True)
        self.server = start_prefect_server(self.port, self.work / "server.log", dict(os.environ))
        env = dict(os.environ, PREFECT_API_AUTH_STRING=":".join(RUNNER))
        if self.query_seconds:
            env["CWA_RUNNER_QUERY_SECONDS"] = str(self.query_seconds)
        for n in range(self.workers):
            self.runners.append(start_runner(self.work / f"runner-{n + 1}.log", env, self.api))

    def _start_scaled(self) -> None:
        from tests.stack import Process, wait_until

        self.redis = f"{REDIS}/{_empty_redis_database()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(CWA_PREFECT_PORT=str(self.port), CWA_DB_NAME=self.names["cwa"],
                   CWA_PREFECT_DB_NAME=self.names["prefect"], CWA_PG_USER=self.user, CWA_PG_ADMIN_DB="test",
                   CWA_REDIS_URL=self.redis, CWA_SCALED_DIR=str(self.work / "scaled"),
                   CWA_SECRETS_DIR=str(self.work / "secrets"), CWA_WORKERS=str(self.workers))
        if self.query_seconds:
            env["PREFECT_WORKER_QUERY_SECONDS"] = str(self.query_seconds)
        self.scaled = Process(["bash", str(ROOT / "deploy" / "scale.sh")], self.work / "scale.out", env, ROOT).start()

        def ready() -> bool:
            if self.scaled.proc.poll() is not None:
                raise RuntimeError(f"deploy/scale.sh exited:\n{self.scaled.tail()}")
            return "scaled stack ready" in self.scaled.tail(100_000)

        wait_until(ready, 300, "deploy/scale.sh to report the stack ready", interval=0.5)
        self._sign_in_everyone(with_runner=False)

    def roots(self) -> list[int]:
        """The processes whose trees make the stack (PostgreSQL and Redis are not counted)."""
        if self.scaled:
            return [self.scaled.proc.pid]
        return [p.proc.pid for p in [self.server, *self.runners] if p and p.proc]

    def stop(self) -> None:
        for runner in self.runners:
            runner.stop()
        if self.server:
            self.server.stop()
        if self.scaled:
            self._stop_scaled()
        if self.smtp:
            self.smtp.stop()

    def _stop_scaled(self) -> None:
        import redis
        from sqlalchemy import text

        from models.db import engine_for

        self.scaled.stop(timeout=40)  # SIGTERM to the script and its processes, then SIGKILL
        engine_for(self.url).dispose()
        redis.Redis.from_url(self.redis).flushdb()
        with self.admin.connect() as conn:
            for name in self.names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def _empty_redis_database() -> int:
    """An empty database of the Redis server for this stack's streams (their names are fixed)."""
    import redis

    for n in range(1, 16):
        if redis.Redis.from_url(f"{REDIS}/{n}", socket_connect_timeout=3).dbsize() == 0:
            return n
    raise SystemExit(f"no empty database on the Redis server at {REDIS}")


def _postgres_admin():
    """(AUTOCOMMIT engine on the `test` database, user) as tests/databases.py finds them, without importing it:
    our settings must not be read before this process's environment is set."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    for user in ("postgres", "root"):
        engine = create_engine(f"postgresql+psycopg://{user}@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return engine, user
        except OperationalError:
            engine.dispose()
    raise SystemExit("PostgreSQL is not reachable on 127.0.0.1:5432 as postgres or root")


def usage(roots: list[int]) -> dict[str, float]:
    """Processes, RSS and PSS (MiB) and CPU seconds (their own and their reaped children's) of the trees;
    executor_cpu: of the runners or workers and the flow runs below them."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError):
            continue
    pids, todo = set(roots), list(roots)
    while todo:
        parent = todo.pop()
        children = {pid for pid, ppid in parents.items() if ppid == parent} - pids
        pids |= children
        todo += children
    executors = {pid for pid in pids if _executor(pid)}
    total = {"processes": 0, "rss": 0.0, "pss": 0.0, "cpu": 0.0, "executor_cpu": 0.0}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total["processes"] += 1
        total["rss"] += _kib(status, "VmRSS:") / 1024
        total["pss"] += _kib(rollup, "Pss:") / 1024
        cpu = sum(int(v) for v in stat[11:15]) / CLOCK
        total["cpu"] += cpu
        ancestor = pid
        while ancestor in pids and ancestor not in executors:
            ancestor = parents.get(ancestor)
        total["executor_cpu"] += cpu if ancestor in executors else 0.0
    return total


def _executor(pid: int) -> bool:
    """A runner (flows/serve.py) or a worker (flows/worker.py)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"flows.serve" in args or b"flows.worker" in args


def _kib(text: str, field: str) -> int:
    for line in text.splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0
