"""The scaled stack as processes (deploy/scale.sh, docs/operations.md "The scaled stack as processes"): on fresh
PostgreSQL databases and a Redis database of its own, a hiring review started through its deployment runs on the
workers, suspends for the designee, is resumed by a signed-in designee and finishes on a worker; task runs reach
Prefect's database through the services process and Redis; stopping the script stops every process it started."""

import os
import random
import re
import secrets
import signal
import subprocess
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import select

from models.db import engine_for
from models.intake import ScreeningResult
from models.tables import AuditEvent, HumanTask, TaskStatus
from tasks.context import settings, transaction
from tests.conftest import ROOT, STAFF_PASSWORD
from tests.databases import PG_HOST, postgres_admin
from tests.stack import SmtpSink, free_port, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]

SCRIPT = ROOT / "deploy" / "scale.sh"
REDIS = "redis://127.0.0.1:6379"
CHICAGO = "America/Chicago"


def _redis_db() -> int:
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


def _processes() -> dict[int, tuple[int, str]]:
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


def _descendants(root: int) -> dict[int, str]:
    """pid -> start time of every living process below root."""
    table = _processes()
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
        self.folder, self.out = folder, folder / "scale.out"
        self.proc = subprocess.Popen(["bash", str(SCRIPT)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                     stdout=open(self.out, "wb"), stderr=subprocess.STDOUT, start_new_session=True)

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
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def scaled(tmp_path, monkeypatch):
    """The stack on free ports, fresh databases (dropped afterwards) and an empty Redis database (flushed)."""
    admin, user = postgres_admin()
    redis_db = _redis_db()
    suffix = uuid.uuid4().hex[:10]
    names = {"cwa": f"cwa_scaled_{suffix}", "prefect": f"cwa_prefect_scaled_{suffix}"}
    smtp = SmtpSink(free_port()).start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(CWA_PREFECT_PORT=str(port), CWA_DB_NAME=names["cwa"], CWA_PREFECT_DB_NAME=names["prefect"],
               CWA_PG_USER=user, CWA_PG_ADMIN_DB="test", CWA_REDIS_URL=f"{REDIS}/{redis_db}",
               CWA_SCALED_DIR=str(tmp_path / "scaled"), CWA_SECRETS_DIR=str(tmp_path / "secrets"),
               CWA_WORKERS="2", CWA_SMTP_PORT=str(smtp.port), CWA_MAILROOM_DIR=str(tmp_path / "mailroom"),
               CWA_REPORTS_DIR=str(tmp_path / "reports"), PREFECT_WORKER_QUERY_SECONDS="1")
    url = f"postgresql+psycopg://{user}@{PG_HOST}/{names['cwa']}"
    stack = ScaledStack(tmp_path, env)
    stack.api, stack.url, stack.names, stack.admin = f"http://127.0.0.1:{port}/api", url, names, admin
    monkeypatch.setattr(settings(), "database_url", url)
    try:
        yield stack
    finally:
        stack.kill()
        smtp.stop()
        engine_for(url).dispose()
        import redis

        redis.Redis.from_url(f"{REDIS}/{redis_db}").flushdb()
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _api(stack, method: str, path: str, auth, **kw) -> httpx.Response:
    response = httpx.request(method, f"{stack.api}{path}", auth=auth, timeout=30, **kw)
    if response.status_code >= 400:
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text}\n{stack.logs()}")
    return response


def test_a_review_runs_on_the_workers_of_the_scaled_stack_and_the_script_stops_everything(scaled):
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    from tasks.reviews.intake import start_review_run, store_screening
    from tasks.seed import seed_roster
    from tasks.signin.passwords import set_password, set_service_secret

    started = time.monotonic()
    scaled.wait_ready(300)
    ready_after = time.monotonic() - started

    # The databases exist and ours is migrated by the script; the roster and this test's identities go into it.
    service = ("svc-test", secrets.token_urlsafe(32))
    with transaction() as session:
        seed_roster(session)
        set_service_secret(session, account_id=service[0], secret=service[1], actor="test")
        set_password(session, staff_id="S-001", password=STAFF_PASSWORD, actor="test")

    deployments = _api(scaled, "POST", "/deployments/filter", service, json={}).json()
    assert len(deployments) == 9, [d["name"] for d in deployments]
    assert {d["work_pool_name"] for d in deployments} == {"cwa"}
    schedules = [s["schedule"] for d in deployments for s in d["schedules"]]
    assert len(schedules) == 3 and all(s["timezone"] == CHICAGO for s in schedules), schedules
    workers = _api(scaled, "POST", "/work_pools/cwa/workers/filter", service, json={}).json()
    assert sorted(w["name"] for w in workers) == ["worker-1", "worker-2"]

    # A hiring review through its deployment, started as the intake command does.
    review_id = f"HR-SCALED-{uuid.uuid4().hex[:6].upper()}"
    with transaction() as session:
        store_screening(session, ScreeningResult(
            review_id=review_id, contractor_id="C-001", prospect_id=f"P-{review_id}", prospect_name="Test Prospect",
            screened_on=date(2026, 11, 2), division_employee=False, release_authorization=True, offences=[]),
            actor="test")
    with temporary_settings(updates={PREFECT_API_URL: scaled.api, PREFECT_API_AUTH_STRING: ":".join(service)}):
        run_id = start_review_run(review_id, date(2026, 11, 2))

    def run() -> dict:
        return _api(scaled, "GET", f"/flow_runs/{run_id}", service).json()

    def suspended() -> HumanTask | None:
        state = run()["state"]
        if state["type"] in ("FAILED", "CRASHED", "COMPLETED", "CANCELLED"):
            raise AssertionError(f"run ended in {state['type']}: {state.get('message')}\n{scaled.logs()}")
        with transaction() as session:
            task = session.exec(select(HumanTask).where(HumanTask.flow_run_id == run_id,
                                                        HumanTask.key == "designee-response")).first()
        return task if (task and task.status == TaskStatus.open and state["type"] == "PAUSED"
                        and state["state_details"].get("pause_key") == task.pause_key) else None

    try:
        wait_until(suspended, 120, f"run {run_id} to suspend at designee-response", interval=0.5)
    except TimeoutError as exc:
        raise AssertionError(f"{exc}; state {run()['state']['type']}\n{scaled.logs()}") from None

    # The designee answers through the API, signed in; a worker picks the run up again and finishes it.
    answer = {"decision": "may provide case management", "reasons": "Nothing relevant to the duties.",
              "decision_date": "2026-11-03"}
    resumed = _api(scaled, "POST", f"/flow_runs/{run_id}/resume", ("S-001", STAFF_PASSWORD),
                   json={"run_input": answer})
    assert resumed.json()["status"] == "ACCEPT", resumed.json()

    def finished() -> dict | None:
        current = run()
        return current if current["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    try:
        final = wait_until(finished, 120, f"run {run_id} to finish after the resume", interval=0.5)
    except TimeoutError as exc:
        raise AssertionError(f"{exc}; state {run()['state']['type']}\n{scaled.logs()}") from None
    assert final["state"]["type"] == "COMPLETED", f"{final['state']}\n{scaled.logs()}"
    assert final["work_pool_name"] == "cwa"
    with transaction() as session:
        answered = session.exec(select(AuditEvent).where(AuditEvent.action == "human_task.answered",
                                                         AuditEvent.subject_id == review_id)).all()
    assert [(a.actor, a.detail["method"]) for a in answered] == [("S-001", "password")]

    # Both halves ran on workers: the first run and the resumed one were each submitted by a worker.
    logs = "".join(p.read_text(errors="replace") for p in (scaled.folder / "scaled" / "logs").glob("worker-*.log"))
    submitted = re.findall(rf"Worker '(worker-\d)' submitting flow run '{run_id}'", logs)
    assert len(submitted) == 2, f"{submitted}\n{scaled.logs()}"
    # Task runs reach Prefect's database only through the task run recorder, in the services process: the
    # events crossed Redis.
    def recorded() -> list:
        return _api(scaled, "POST", "/task_runs/filter", service,
                    json={"flow_runs": {"id": {"any_": [run_id]}}}).json()
    try:
        wait_until(recorded, 30, "the run's task runs in Prefect's database", interval=0.5)
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{scaled.logs()}") from None

    # The service secrets are in no process's command line and in no log.
    children = _descendants(scaled.proc.pid)
    assert len(children) >= 4, children  # the server, the services, two workers
    command_lines = ""
    for pid in children:
        try:
            command_lines += Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            pass
    logs = scaled.output() + "".join(p.read_text(errors="replace")
                                     for p in (scaled.folder / "scaled" / "logs").glob("*.log"))
    for account in ("svc-worker", "svc-cli"):
        secret = (scaled.folder / "secrets" / account).read_text().strip()
        assert secret not in command_lines and secret not in logs, f"the secret of {account} leaked"

    # Stopping the script stops every process it started, each on its own.
    stopping = time.monotonic()
    scaled.proc.send_signal(signal.SIGTERM)
    scaled.proc.wait(60)
    stopped_after = time.monotonic() - stopping
    time.sleep(0.5)
    alive = {pid: started for pid, (_, started) in _processes().items()
             if pid in children and children[pid] == started}
    assert not alive, f"still running after the script stopped: {sorted(alive)}\n{scaled.output()[-2000:]}"
    assert "stopped" in scaled.output() and "killed" not in scaled.output(), scaled.output()[-2000:]
    print(f"scaled stack ready after {ready_after:.0f} s, stopped in {stopped_after:.0f} s; "
          f"whole test {time.monotonic() - started:.0f} s\n{scaled.output()[-300:]}")

    with scaled.admin.connect() as conn:
        engine_for(scaled.url).dispose()
        for name in scaled.names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        left = conn.execute(text("SELECT datname FROM pg_database WHERE datname = ANY(:names)"),
                            {"names": list(scaled.names.values())}).scalars().all()
    assert left == []
