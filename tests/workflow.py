"""Fixtures and helpers for flow and browser tests: a real Prefect server, a runner, a real SMTP server."""

import json
import os
import time
from datetime import date, timedelta

import httpx
import pytest
from sqlmodel import select

from models.intake import OffenceIn, ScreeningResult
from models.migrate import upgrade
from models.tables import HumanTask, TaskStatus
from tasks.context import settings, transaction
from tasks.reviews.intake import start_review_run, store_screening
from tasks.seed import seed_roster
from tests.conftest import API_URL, PREFECT_PORT, RUN_DIR, RUNNER, SERVICE, SMTP_PORT, STAFF_PASSWORD
from tests.stack import SmtpSink, start_prefect_server, start_runner, wait_until


class Stack:
    def __init__(self):
        self.smtp = SmtpSink(SMTP_PORT).start()
        upgrade(settings().database_url)
        with transaction() as session:
            seed_roster(session)
            sign_in_everyone(session)
        self.server = start_prefect_server(PREFECT_PORT, RUN_DIR / "logs" / "server.log",
                                           dict(os.environ, **SERVER_DIAGNOSTICS))
        self.runner = start_runner(RUN_DIR / "logs" / "runner.log", runner_env(), API_URL)

    def restart_runner(self, kill: bool = True) -> None:
        self.runner.kill() if kill else self.runner.stop()
        self.runner = start_runner(RUN_DIR / "logs" / "runner.log", runner_env(), API_URL)

    def close(self) -> None:
        self.runner.stop()
        self.server.stop()
        self.smtp.stop()
        SERVER_TROUBLE.extend(trouble(self.server.log_path.read_text(errors="replace").splitlines()))


# The shared server logs a request slower than 5 s and every "busy" answer of Prefect with its cause; the lines are
# summed up at the end of the session (pytest_terminal_summary), to tell a slow test from a stalled server.
SERVER_DIAGNOSTICS = {"CWA_SLOW_REQUEST_SECONDS": "5", "PREFECT_SERVER_LOG_RETRYABLE_ERRORS": "true"}
SERVER_TROUBLE: list[str] = []


def trouble(log: list[str]) -> list[str]:
    """The slow-request lines of a server log, and each busy answer's time with its exception's last line."""
    found, busy = [], None
    for line in log:
        if "slow request:" in line:
            found.append(line)
        elif "retryable exception" in line:
            busy = line.split("|")[0].strip()
        elif busy and line[:1].isalpha() and not line.startswith(("Traceback", "During handling", "The above")):
            found.append(f"{busy} busy: {line}")
            busy = None
    return found


def pytest_terminal_summary(terminalreporter) -> None:
    if SERVER_TROUBLE:
        slow = [line for line in SERVER_TROUBLE if "slow request:" in line]  # the rest: busy answers
        terminalreporter.section("the shared Prefect server's slow requests and busy answers")
        terminalreporter.write_line(f"{len(slow)} requests took 5 s or more; {len(SERVER_TROUBLE) - len(slow)} times "
                                    f"Prefect's database was busy (tried again in the server, tasks/signin/busy.py); "
                                    f"the first 20 ({RUN_DIR / 'logs'}):")
        for line in SERVER_TROUBLE[:20]:
            terminalreporter.write_line(line[:300])


def runner_env() -> dict[str, str]:
    return dict(os.environ, PREFECT_API_AUTH_STRING=":".join(RUNNER))


def sign_in_everyone(session) -> None:
    """Service identities for this process and the runner; the same password for every sample staff member."""
    from tasks.seed import STAFF
    from tasks.signin.passwords import set_password, set_service_secret

    for account, secret in (SERVICE, RUNNER):
        set_service_secret(session, account_id=account, secret=secret, actor="test")
    for staff_id, *_ in STAFF:
        set_password(session, staff_id=staff_id, password=STAFF_PASSWORD, actor="test")


def as_staff(staff_id: str) -> tuple[str, str]:
    """httpx auth of a sample staff member."""
    return staff_id, STAFF_PASSWORD


@pytest.fixture(scope="session")
def stack():
    s = Stack()
    yield s
    s.close()


def flow_run(run_id: str) -> dict:
    """The run as the API has it; like Prefect's own client, asks again while the SQLite server is busy."""
    for attempt in range(5):
        try:
            response = httpx.get(f"{API_URL}/flow_runs/{run_id}", timeout=30, auth=SERVICE)
            if response.status_code != 503:
                response.raise_for_status()
                return response.json()
        except httpx.TimeoutException:
            pass
        time.sleep(attempt + 1)
    raise TimeoutError(f"the server kept refusing to read run {run_id}")


def state_of(run_id: str) -> tuple[str, str]:
    state = flow_run(run_id)["state"]
    return state["type"], state["name"]


def wait_for_task(run_id: str, key: str, timeout: float = 60) -> HumanTask:
    """Until the run is suspended at the human task `key` (our row open, Prefect state PAUSED)."""
    def ready():
        with transaction() as session:
            row = session.exec(select(HumanTask).where(HumanTask.flow_run_id == run_id,
                                                       HumanTask.key == key)).first()
        run_state = flow_run(run_id)["state"]
        if run_state["type"] in ("FAILED", "CRASHED", "COMPLETED"):
            raise AssertionError(f"run ended in {run_state['type']}: {run_state.get('message')}")
        paused = run_state["type"] == "PAUSED" and run_state["state_details"].get("pause_key") == (
            row.pause_key if row else None)
        return row if row and row.status == TaskStatus.open and paused else None
    return wait_until(ready, timeout, f"run {run_id} to suspend at {key}", interval=0.3)


def wait_final(run_id: str, timeout: float = 60) -> dict:
    def done():
        run = flow_run(run_id)
        return run if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED") else None
    return wait_until(done, timeout, f"run {run_id} to finish", interval=0.3)


def resume(run_id: str, *, decided_by: str, **run_input) -> httpx.Response:
    """What the Prefect UI's Resume button sends, signed in as the staff member `decided_by`."""
    payload = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in run_input.items()}
    for _ in range(5):  # like Prefect's own client, retry the server's 503 (SQLite busy)
        response = httpx.post(f"{API_URL}/flow_runs/{run_id}/resume", json={"run_input": payload}, timeout=10,
                              auth=as_staff(decided_by))
        if response.status_code != 503:
            break
        time.sleep(1)
    response.raise_for_status()
    assert response.json()["status"] == "ACCEPT", response.json()
    return response


def refused(run_id: str, *, decided_by: str, **run_input) -> str:
    """A resume the sign-in layer refuses (403): the reason it gives."""
    payload = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in run_input.items()}
    response = httpx.post(f"{API_URL}/flow_runs/{run_id}/resume", json={"run_input": payload}, timeout=10,
                          auth=as_staff(decided_by))
    assert response.status_code == 403, response.text
    return response.json()["detail"]


def new_review(review_id: str, *, offences=(), employee=False, authorization=True,
               contractor="C-001", as_of: date | None = None, prospect_name="Test Prospect") -> str:
    result = ScreeningResult(
        review_id=review_id, contractor_id=contractor, prospect_id=f"P-{review_id}",
        prospect_name=prospect_name, screened_on=as_of or date(2026, 11, 2), division_employee=employee,
        release_authorization=authorization, offences=[OffenceIn(**o) for o in offences],
    )
    with transaction() as session:
        store_screening(session, result, actor="test")
    return start_review_run(review_id, as_of)


def form_description(run_id: str, pause_key: str) -> str:
    """The markdown shown at the top of the resume dialog."""
    r = httpx.get(f"{API_URL}/flow_runs/{run_id}/input/suspended-{pause_key}-description", timeout=10,
                  auth=SERVICE)
    r.raise_for_status()
    return r.json() if r.headers.get("content-type", "").startswith("application/json") else r.text


def review_row(review_id: str):
    from models.tables import HiringReview

    with transaction() as session:
        return session.get(HiringReview, review_id)


def notices_for(review_id: str):
    from models.tables import Notice

    with transaction() as session:
        return session.exec(select(Notice).where(Notice.subject_id == review_id).order_by(Notice.id)).all()


def mails_about(smtp: SmtpSink, review_id: str) -> list:
    return [m for m in smtp.messages if review_id in (m["Subject"] or "")]


def run_sweep(as_of: date, timeout: float = 60) -> dict:
    from prefect.deployments import run_deployment

    run = run_deployment("deadline-sweep/deadline-sweep", parameters={"as_of": as_of.isoformat()}, timeout=0)
    return wait_final(str(run.id), timeout)


DENY = {"decision": "may not provide case management", "reasons": "History relevant to the duties."}


def denied_review(review_id: str, decided: date, **intake) -> str:
    """A review the designee denied on `decided`, waiting for the contractor's request."""
    run_id = new_review(review_id, as_of=decided, **intake)
    wait_for_task(run_id, "designee-response")
    resume(run_id, **DENY, decision_date=decided, decided_by="S-001")
    wait_for_task(run_id, "review-request-1")
    return run_id


def review_for_the_director(review_id: str, decided: date = date(2026, 11, 2)) -> str:
    """A review whose designee S-001 recommended affirming: it waits for the director's final decision."""
    run_id = denied_review(review_id, decided)
    resume(run_id, received_on=decided + timedelta(days=2), reasons="Disputed.", decided_by="S-001")
    wait_for_task(run_id, "schedule-review-1")
    resume(run_id, review_date=decided + timedelta(days=3), review_time="10:00", place="Room 4",
           scheduled_on=decided + timedelta(days=2), decided_by="S-001")
    wait_for_task(run_id, "review-held-1")
    resume(run_id, outcome="held: recommend the director affirm", reasons="No new information.", decided_by="S-001")
    wait_for_task(run_id, "director-decision")
    return run_id


def everything_prefect_holds() -> str:
    """Every run, task run, log, artifact, deployment, variable and run input the server has."""
    def post(path: str, body: dict | None = None) -> list:
        r = httpx.post(f"{API_URL}{path}", json=body or {}, timeout=30, auth=SERVICE)
        r.raise_for_status()
        return r.json()

    runs = post("/flow_runs/filter", {"limit": 200})
    dumps = [runs, post("/task_runs/filter", {"limit": 200}), post("/logs/filter", {"limit": 200}),
             post("/artifacts/filter", {"limit": 200}), post("/deployments/filter"),
             post("/variables/filter"), post("/flows/filter")]
    for offset in range(200, 5000, 200):
        page = post("/logs/filter", {"limit": 200, "offset": offset})
        if not page:
            break
        dumps.append(page)
    for run in runs:
        dumps.append(post(f"/flow_runs/{run['id']}/input/filter", {"prefix": "", "limit": 100}))
    return json.dumps(dumps)


def everything_in_prefects_database() -> str:
    """Every row of every table of the Prefect server's own database, its events included, read directly."""
    import sqlite3

    path = RUN_DIR / "prefect-home" / "prefect.db"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()
