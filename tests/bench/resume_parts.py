"""Parts of tests/bench/resume.py: waiting for the resume forms, the profile of a resume from Prefect's states
and task runs, and the floor (the answer's write without Prefect)."""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import httpx

from tests.stack import wait_until


def wait_forms(api: str, auth: tuple[str, str], runs: list[str], key: str) -> None:
    """Until Prefect has stored every run's form: it marks a run suspended a moment before, and a resume in
    between is refused ("Run input schema not found")."""
    def found(url: str) -> bool:
        try:
            return httpx.get(url, auth=auth, timeout=30).status_code == 200
        except httpx.TimeoutException:
            return False

    def stored(run: str) -> None:
        url = f"{api}/flow_runs/{run}/input/suspended-{key}-schema"
        wait_until(lambda: found(url), 120, f"the form of run {run}", interval=0.5)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(stored, runs))


def _at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _parts(client: httpx.Client, run: str, called: tuple[float, float], done: float) -> dict[str, float] | None:
    """One resume's seconds: the API call, the wait for a runner or worker to pick the run up, the start of the
    flow-run process, the replay up to the answer's task, the task itself (None: its records are missing)."""
    start, accepted = called
    states = client.get("/flow_run_states/", params={"flow_run_id": run}).json()
    after = sorted((_at(s["timestamp"]), s["type"]) for s in states if _at(s["timestamp"]) >= start)
    pending = next((t for t, kind in after if kind == "PENDING"), None)
    running = next((t for t, kind in after if kind == "RUNNING" and pending and t >= pending), None)
    tasks = client.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": [run]}},
                                                   "task_runs": {"name": {"like_": "check-human-answer"}}}).json()
    checked = [_at(t["start_time"]) for t in tasks if t.get("start_time") and _at(t["start_time"]) >= start]
    if pending is None or running is None or not checked:
        return None
    return {"API call": accepted - start, "pick-up (poll)": pending - accepted, "process start": running - pending,
            "replay to the answer's task": min(checked) - running, "answer's task": done - min(checked)}


def profile(api: str, auth: tuple[str, str], calls: dict[str, tuple[float, float]],
            done: dict[str, float]) -> dict[str, float]:
    """The median of each part over the runs (task runs reach Prefect through its services: waited for)."""
    with httpx.Client(base_url=api, auth=auth, timeout=60) as client:
        found = {}
        deadline = time.monotonic() + 30
        while len(found) < len(calls) and time.monotonic() < deadline:
            for run in calls:
                if run not in found and (parts := _parts(client, run, calls[run], done[run])):
                    found[run] = parts
            time.sleep(0.5)
    if not found:
        return {}
    return {name: statistics.median(p[name] for p in found.values()) for name in next(iter(found.values()))}


def floor(count: int) -> float:
    """p50 seconds of the answer's write without Prefect, on our database: the HumanTask row `done` with its
    decision, and its audit row, one transaction each, as check-human-answer writes them."""
    from sqlalchemy import insert

    from models.tables import HumanTask, OnDue, TaskStatus
    from tasks.context import transaction
    from tasks.human.audit import audit

    rows = [{"flow_run_id": f"00000000-0000-4000-a000-{n:012d}", "key": "floor", "kind": "bench task",
             "subject_type": "hiring_review", "subject_id": f"HR-F{n:05d}", "required_role": "designee",
             "on_due": OnDue.remind, "status": TaskStatus.open, "pause_key": "floor", "attempts": 0}
            for n in range(count)]
    with transaction() as session:
        session.exec(insert(HumanTask), params=rows)
    seconds = []
    for row in rows:
        started = time.perf_counter()
        with transaction() as session:
            task = session.query(HumanTask).filter_by(flow_run_id=row["flow_run_id"], key="floor").one()
            task.status, task.decided_by, task.decision = TaskStatus.done, "S-001", {"decision": "floor"}
            task.closed_at = datetime.now(timezone.utc)
            session.add(task)
            audit(session, actor="S-001", action="human_task.answered", subject_type=task.subject_type,
                  subject_id=task.subject_id, detail={"key": task.key})
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)
