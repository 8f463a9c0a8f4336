"""deploy/scale.sh under test: the script as a child process on free ports, fresh PostgreSQL databases and an
empty Redis database, its processes and logs, and the stack's API."""

import os
import random
import signal
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import select

from models.db import engine_for
from tasks.context import settings
from tests.conftest import ROOT
from tests.databases import PG_HOST, postgres_admin
from tests.stack import SmtpSink, free_port, wait_until

SCRIPT = ROOT / "deploy" / "scale.sh"
REDIS = "redis://127.0.0.1:6379"
CHICAGO = "America/Chicago"


def redis_db() -> int:
    """An empty Redis database for this stack's streams and Docket (skips, or fails with
    CWA_REQUIRE_POSTGRES=1, when Redis is not reachable)."""
    import redis

    try:
        for n in random.sample(range(1, 16), 15):
            if redis.Redis.from_url(f"{REDIS}/{n}", socket_connect_timeout=3).dbsize() == 0:
                return n
    except redis.RedisError as exc:
        reason = f"Redis not reachable at {REDIS}: {exc}"
        if os.environ.get("CWA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (CWA_REQUIRE_POSTGRES=1: the scaled stack needs it)")
        pytest.skip(reason)
    pytest.skip(f"no empty database on the Redis server at {REDIS}")


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) of every process on the machine."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                table[int(entry.name)] = (int(fields[1]), fields[19])
    return table


def descendants(root: int) -> dict[int, str]:
    """pid -> start time of every living process below root."""
    table = processes()
    found, todo = {}, [root]
    while todo:
        parent = todo.pop()
        for pid, (ppid, started) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                todo.append(pid)
    return found


class ScaledStack:
    """deploy/scale.sh as a child process, its output in a file."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder, self.out, self.env = folder, folder / "scale.out", env
        self.proc: subprocess.Popen | None = None

    def start(self, **env: str) -> "ScaledStack":
        """Run the script with these variables added (CWA_WORKERS, CWA_WORKER_LIMIT, ...)."""
        self.proc = subprocess.Popen(["bash", str(SCRIPT)], cwd=ROOT, env={**self.env, **env},
                                     stdin=subprocess.DEVNULL, stdout=open(self.out, "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def signed_in(self, service: tuple[str, str]):
        """Prefect's client settings for this stack, signed in as `service` (id, secret)."""
        from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

        return temporary_settings(updates={PREFECT_API_URL: self.api, PREFECT_API_AUTH_STRING: ":".join(service)})

    def secret(self, account: str) -> str:
        return (self.folder / "secrets" / account).read_text().strip()

    def output(self) -> str:
        return self.out.read_text(errors="replace") if self.out.exists() else ""

    def logs(self) -> str:
        """The end of the script's output and of every log, for a failure message."""
        parts = [f"--- deploy/scale.sh ---\n{self.output()[-3000:]}"]
        for log in sorted((self.folder / "scaled" / "logs").glob("*.log")):
            parts.append(f"--- {log.name} ---\n{log.read_text(errors='replace')[-2500:]}")
        return "\n".join(parts)

    def wait_ready(self, timeout: float) -> None:
        def ready() -> bool:
            if "scaled stack ready" in self.output():
                return True
            if self.proc.poll() is not None:
                raise AssertionError(f"deploy/scale.sh exited with {self.proc.returncode}:\n{self.logs()}")
            return False
        try:
            wait_until(ready, timeout, "deploy/scale.sh to report the stack ready", interval=0.5)
        except TimeoutError as exc:
            raise AssertionError(f"{exc}\n{self.logs()}") from None

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def scaled(tmp_path, monkeypatch):
    """The stack on free ports, fresh databases (dropped afterwards) and an empty Redis database (flushed); the
    test starts the script with `scaled.start(...)`."""
    admin, user = postgres_admin()
    database = redis_db()
    suffix = uuid.uuid4().hex[:10]
    names = {"cwa": f"cwa_scaled_{suffix}", "prefect": f"cwa_prefect_scaled_{suffix}"}
    smtp = SmtpSink(free_port()).start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(CWA_PREFECT_PORT=str(port), CWA_DB_NAME=names["cwa"], CWA_PREFECT_DB_NAME=names["prefect"],
               CWA_PG_USER=user, CWA_PG_ADMIN_DB="test", CWA_REDIS_URL=f"{REDIS}/{database}",
               CWA_SCALED_DIR=str(tmp_path / "scaled"), CWA_SECRETS_DIR=str(tmp_path / "secrets"),
               CWA_WORKERS="2", CWA_SMTP_PORT=str(smtp.port), CWA_MAILROOM_DIR=str(tmp_path / "mailroom"),
               CWA_REPORTS_DIR=str(tmp_path / "reports"), PREFECT_WORKER_QUERY_SECONDS="1")
    url = f"postgresql+psycopg://{user}@{PG_HOST}/{names['cwa']}"
    stack = ScaledStack(tmp_path, env)
    stack.api, stack.url, stack.names, stack.admin, stack.smtp = f"http://127.0.0.1:{port}/api", url, names, admin, smtp
    monkeypatch.setattr(settings(), "database_url", url)
    try:
        yield stack
    finally:
        stack.kill()
        smtp.stop()
        engine_for(url).dispose()
        import redis

        redis.Redis.from_url(f"{REDIS}/{database}").flushdb()
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def api(stack, method: str, path: str, auth, **kw) -> httpx.Response:
    response = httpx.request(method, f"{stack.api}{path}", auth=auth, timeout=30, **kw)
    if response.status_code >= 400:
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text}\n{stack.logs()}")
    return response


def wait_suspended(stack, auth, run_id: str, key: str, timeout: float = 180) -> None:
    """Until the run is suspended at its human task `key`, the task open and its form stored."""
    from models.tables import HumanTask, TaskStatus
    from tasks.context import transaction

    def suspended() -> bool:
        state = api(stack, "GET", f"/flow_runs/{run_id}", auth).json()["state"]
        if state["type"] in ("FAILED", "CRASHED", "COMPLETED", "CANCELLED"):
            raise AssertionError(f"run ended in {state['type']}: {state.get('message')}\n{stack.logs()}")
        with transaction() as session:
            task = session.exec(select(HumanTask).where(HumanTask.flow_run_id == run_id,
                                                        HumanTask.key == key)).first()
        return bool(task and task.status == TaskStatus.open and state["type"] == "PAUSED"
                    and state["state_details"].get("pause_key") == task.pause_key
                    and httpx.get(f"{stack.api}/flow_runs/{run_id}/input/suspended-{task.pause_key}-schema",
                                  auth=auth, timeout=10).status_code == 200)
    try:
        wait_until(suspended, timeout, f"run {run_id} to suspend at {key}", interval=0.5)
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{stack.logs()}") from None


def workers_that_ran(stack, run_id: str) -> list[str]:
    """The workers that started the run, once per start: a submission the server aborted, because the other
    worker took the run first, is not one."""
    found = []
    for log in sorted((stack.folder / "scaled" / "logs").glob("worker-*.log")):
        text = log.read_text(errors="replace")
        found += [log.stem] * (text.count(f"submitting flow run '{run_id}'")
                               - text.count(f"submission of flow run '{run_id}'"))
    return found


def worker_running(stack, auth, run_id: str) -> int:
    """The pid of the worker process below which the flow run's process runs now (the process the worker
    recorded as the run's infrastructure_pid)."""
    child = int(api(stack, "GET", f"/flow_runs/{run_id}", auth).json()["infrastructure_pid"])
    table = processes()
    pid = child
    while pid in table and pid != stack.proc.pid:
        if b"flows.worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
        pid = table[pid][0]
    raise AssertionError(f"no worker runs {run_id} (its process: {child})\n{stack.logs()}")
