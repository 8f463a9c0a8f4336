"""The scaled stack as processes (deploy/scale.sh, docs/operations.md "The scaled stack as processes"): on fresh
PostgreSQL databases and a Redis database of its own, a hiring review started through its deployment runs on the
workers, suspends for the designee, is resumed by a signed-in designee and finishes on a worker; task runs reach
Prefect's database through the services process and Redis; stopping the script stops every process it started."""

import secrets
import signal
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from models.db import engine_for
from models.intake import ScreeningResult
from models.tables import AuditEvent, HumanTask, TaskStatus
from tasks.context import transaction
from tests.conftest import STAFF_PASSWORD
from tests.faults.scaled import CHICAGO, api, descendants, processes, workers_that_ran
from tests.stack import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]


def test_a_review_runs_on_the_workers_of_the_scaled_stack_and_the_script_stops_everything(scaled):
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    from tasks.reviews.intake import start_review_run, store_screening
    from tasks.seed import seed_roster
    from tasks.signin.passwords import set_password, set_service_secret

    started = time.monotonic()
    scaled.start().wait_ready(300)
    ready_after = time.monotonic() - started

    # The databases exist and ours is migrated by the script; the roster and this test's identities go into it.
    service = ("svc-test", secrets.token_urlsafe(32))
    with transaction() as session:
        seed_roster(session)
        set_service_secret(session, account_id=service[0], secret=service[1], actor="test")
        set_password(session, staff_id="S-001", password=STAFF_PASSWORD, actor="test")

    deployments = api(scaled, "POST", "/deployments/filter", service, json={}).json()
    assert len(deployments) == 9, [d["name"] for d in deployments]
    assert {d["work_pool_name"] for d in deployments} == {"cwa"}
    schedules = [s["schedule"] for d in deployments for s in d["schedules"]]
    assert len(schedules) == 3 and all(s["timezone"] == CHICAGO for s in schedules), schedules
    workers = api(scaled, "POST", "/work_pools/cwa/workers/filter", service, json={}).json()
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
        return api(scaled, "GET", f"/flow_runs/{run_id}", service).json()

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
    resumed = api(scaled, "POST", f"/flow_runs/{run_id}/resume", ("S-001", STAFF_PASSWORD),
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
    submitted = workers_that_ran(scaled, run_id)
    assert len(submitted) == 2, f"{submitted}\n{scaled.logs()}"
    # Task runs reach Prefect's database only through the task run recorder, in the services process: the
    # events crossed Redis.
    def recorded() -> list:
        return api(scaled, "POST", "/task_runs/filter", service,
                    json={"flow_runs": {"id": {"any_": [run_id]}}}).json()
    try:
        wait_until(recorded, 30, "the run's task runs in Prefect's database", interval=0.5)
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{scaled.logs()}") from None

    # The service secrets are in no process's command line and in no log.
    children = descendants(scaled.proc.pid)
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
        secret = scaled.secret(account)
        assert secret not in command_lines and secret not in logs, f"the secret of {account} leaked"

    # Stopping the script stops every process it started, each on its own.
    stopping = time.monotonic()
    scaled.proc.send_signal(signal.SIGTERM)
    scaled.proc.wait(60)
    stopped_after = time.monotonic() - stopping
    time.sleep(0.5)
    alive = {pid: started for pid, (_, started) in processes().items()
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
