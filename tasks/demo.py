"""Seeding the demo: start a workflow's run and answer its first human tasks, as staff would in the UI."""

import os
import time
from datetime import date
from uuid import UUID

import httpx
from prefect import get_client
from sqlmodel import select

from models.tables import HumanTask, TaskStatus
from tasks.context import transaction
from tasks.seed import DEMO_PASSWORD


def wait_for_human_task(run_id: str, key: str, timeout: float = 120) -> None:
    """Until the run is suspended at the open human task `key`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with transaction() as session:
            row = session.exec(select(HumanTask).where(HumanTask.flow_run_id == run_id,
                                                       HumanTask.key == key)).first()
        if row and row.status == TaskStatus.open:
            with get_client(sync_client=True) as client:
                state = client.read_flow_run(UUID(run_id)).state
            if state.is_paused() and state.state_details.pause_key == row.pause_key:
                return
        time.sleep(0.5)
    raise TimeoutError(f"run {run_id} did not reach {key}; is the runner serving (make up)?")


def answer_task(run_id: str, key: str, answer: dict) -> None:
    """Resume the run as the sample staff member `answer["decided_by"]` would in the UI: signed in."""
    wait_for_human_task(run_id, key)
    staff_id = answer["decided_by"]
    run_input = {k: v.isoformat() if isinstance(v, date) else v for k, v in answer.items() if k != "decided_by"}
    for attempt in range(8):  # like Prefect's own client, ask again while the SQLite server is busy
        response = httpx.post(f"{os.environ['PREFECT_API_URL']}/flow_runs/{run_id}/resume",
                              json={"run_input": run_input}, auth=(staff_id, DEMO_PASSWORD), timeout=30)
        if response.status_code != 503:
            break
        time.sleep(attempt + 1)
    response.raise_for_status()


def seed_one(model, record_id: str, store, start, answers, report) -> bool:
    """Store a record unless it exists, start its run, and answer its first tasks; False if it existed."""
    with transaction() as session:
        if session.get(model, record_id):
            report(f"{record_id} exists already: skipped")
            return False
        store(session)
    run_id = start(record_id)
    for key, answer in answers:
        answer_task(run_id, key, answer)
    report(f"{record_id}: run {run_id}")
    return True


