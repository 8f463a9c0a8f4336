"""Benchmarks (printed as a table, never asserted): resume latency and the deadline sweep at scale.

Starts its own `cwa server` (Prefect behind the sign-in layer), runner and SMTP sink in a temporary folder, signed
in as the tests are: a service identity for this process and one for the runner, and a password for every sample
staff member; each resume is sent as the designee S-001 would send it from the UI (HTTP Basic, no decided_by).
The sign-in layer's own cost per request is measured by tests/bench/signin.py.
"""

import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.stack import free_port  # noqa: E402

# Service identities of this process and of the runner; the same password for every sample staff member.
SERVICE = ("svc-bench", secrets.token_urlsafe(32))
RUNNER = ("svc-runner", secrets.token_urlsafe(32))
STAFF_PASSWORD = "Bench-Pass-2026!"
DECIDER = "S-001"  # a designee
WORK = Path(tempfile.mkdtemp(prefix="cwa-bench-"))
PORT, SMTP_PORT = free_port(), free_port()
API = f"http://127.0.0.1:{PORT}/api"
os.environ.update(
    PREFECT_HOME=str(WORK / "prefect-home"), PREFECT_API_URL=API, PREFECT_SERVER_ANALYTICS_ENABLED="false",
    PREFECT_API_AUTH_STRING=":".join(SERVICE),  # before Prefect is imported: its client sends it on every request
    PREFECT_RESULTS_PERSIST_BY_DEFAULT="true", PREFECT_RUNNER_POLL_FREQUENCY="1",
    PREFECT_LOGGING_LEVEL="WARNING", CWA_DATABASE_URL=f"sqlite:///{WORK / 'cwa.db'}",
    CWA_SMTP_PORT=str(SMTP_PORT), CWA_UI_BASE_URL=f"http://127.0.0.1:{PORT}",
)

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from models.migrate import upgrade  # noqa: E402
from models.tables import HumanTask, OnDue, TaskStatus  # noqa: E402
from tasks.context import settings, transaction  # noqa: E402
from tasks.seed import seed_roster  # noqa: E402
from tests.stack import SmtpSink, start_prefect_server, start_runner  # noqa: E402

RESUMES = int(os.environ.get("CWA_BENCH_RESUMES", "20"))
SWEEP_TASKS = 10_000


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def sign_in_everyone(session) -> None:
    """Service identities for this process and the runner; the same password for every sample staff member."""
    from tasks.seed import STAFF
    from tasks.signin.passwords import set_password, set_service_secret

    for account, secret in (SERVICE, RUNNER):
        set_service_secret(session, account_id=account, secret=secret, actor="bench")
    for staff_id, *_ in STAFF:
        set_password(session, staff_id=staff_id, password=STAFF_PASSWORD, actor="bench")


def runner_env() -> dict[str, str]:
    return dict(os.environ, PREFECT_API_AUTH_STRING=":".join(RUNNER))


def resume(run_id: str, run_input: dict) -> None:
    """What the Prefect UI's Resume button sends, signed in as the designee S-001."""
    for _ in range(5):  # like Prefect's own client, retry the server's 503 (SQLite busy)
        response = httpx.post(f"{API}/flow_runs/{run_id}/resume", json={"run_input": run_input}, timeout=30,
                              auth=(DECIDER, STAFF_PASSWORD))
        if response.status_code != 503:
            break
        time.sleep(1)
    response.raise_for_status()
    if response.json().get("status") != "ACCEPT":
        raise RuntimeError(f"resume of {run_id} not accepted: {response.text}")


def bench_resume_latency() -> list[float]:
    """Seconds from the resume call to the flow's next task having done its work (answer recorded)."""
    from models.intake import ScreeningResult
    from tasks.demo import wait_for_human_task
    from tasks.reviews.intake import start_review_run, store_screening

    runs = []
    for n in range(RESUMES):
        with transaction() as session:
            store_screening(session, ScreeningResult(
                review_id=f"HR-BENCH-{n:03d}", contractor_id="C-001", prospect_id=f"P-B{n}",
                prospect_name="Bench Prospect", screened_on=date(2026, 11, 2)), actor="bench")
        runs.append(start_review_run(f"HR-BENCH-{n:03d}", date(2026, 11, 2)))
    for run_id in runs:
        wait_for_human_task(run_id, "designee-response", timeout=180)
        _wait_form_stored(run_id, "designee-response")
    latencies = []
    for run_id in runs:
        t0 = time.perf_counter()
        resume(run_id, {"decision": "may provide case management", "reasons": "Benchmark.",
                        "decision_date": "2026-11-03"})
        while True:
            with transaction() as session:
                row = session.exec(select(HumanTask.status).where(
                    HumanTask.flow_run_id == run_id, HumanTask.key == "designee-response")).one()
            if row == TaskStatus.done:
                break
            time.sleep(0.05)
        latencies.append(time.perf_counter() - t0)
        _wait_finished(run_id)  # one resume at a time, on a runner that is not still reaping the last run
    return latencies


def _wait_form_stored(run_id: str, pause_key: str, timeout: float = 60) -> None:
    """Until Prefect has stored the form's schema: it marks the run suspended a moment before, and a resume in
    between is refused ("Run input schema not found")."""
    deadline = time.monotonic() + timeout
    while httpx.get(f"{API}/flow_runs/{run_id}/input/suspended-{pause_key}-schema", timeout=10,
                    auth=SERVICE).status_code != 200:
        if time.monotonic() > deadline:
            raise TimeoutError(f"run {run_id}: the form of {pause_key} was never stored")
        time.sleep(0.2)


def _wait_finished(run_id: str) -> None:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        while not client.read_flow_run(UUID(run_id)).state.is_final():
            time.sleep(0.1)


def _open_tasks(as_of: date) -> None:
    """10,000 open tasks: a fifth overdue for escalation, a fifth due for a reminder, 1% timers of
    runs no longer in Prefect, the rest due later."""
    rows = []
    for n in range(SWEEP_TASKS):
        kind = n % 100
        if kind < 20:
            due, on_due = as_of - timedelta(days=3), OnDue.escalate
        elif kind < 40:
            due, on_due = as_of, OnDue.remind
        elif kind == 40:
            due, on_due = as_of - timedelta(days=1), OnDue.timer
        else:
            due, on_due = as_of + timedelta(days=30 + n % 60), OnDue.remind
        rows.append({"flow_run_id": f"00000000-0000-4000-8000-{n:012d}", "key": "bench", "kind": "bench task",
                     "subject_type": "hiring_review", "subject_id": f"HR-B{n:05d}", "required_role": "designee",
                     "due_date": due, "on_due": on_due, "status": TaskStatus.open, "pause_key": "bench",
                     "attempts": 0})
    with transaction() as session:
        session.exec(insert(HumanTask), params=rows)


def _open_plans(as_of: date) -> None:
    """10,000 active plans under 100 contracts: a third owe a reminder today, 1% are past their deadline
    (timers of runs no longer in Prefect), the rest are due later."""
    contracts = [{"id": f"K-B{n:03d}", "contractor_id": "C-001", "region": "", "starts_on": date(2026, 7, 1),
                  "ends_on": date(2027, 6, 30), "status": "active"} for n in range(100)]
    plans, tasks = [], []
    for n in range(SWEEP_TASKS):
        kind = n % 100
        due = (as_of + timedelta(days=(7, 14, 30)[n % 3]) if kind < 33 else
               as_of - timedelta(days=1) if kind == 33 else as_of + timedelta(days=40 + n % 50))
        plans.append({"id": f"PIP-B{n:05d}", "contract_id": f"K-B{n % 100:03d}", "outcomes_missed": ["bench"],
                      "status": "active", "deadline": due})
        tasks.append({"flow_run_id": f"00000000-0000-4000-9000-{n:012d}", "key": "verify-plan",
                      "kind": "verify the plan's actions", "subject_type": "improvement_plan",
                      "subject_id": f"PIP-B{n:05d}", "required_role": "contract_admin", "due_date": due,
                      "on_due": OnDue.timer, "status": TaskStatus.open, "pause_key": "verify-plan", "attempts": 0})
    from models.tables import Contract, ImprovementPlan

    with transaction() as session:
        session.exec(insert(Contract), params=contracts)
        session.exec(insert(ImprovementPlan), params=plans)
        session.exec(insert(HumanTask), params=tasks)


def bench_sweep() -> list[tuple[str, float, dict]]:
    from flows.deadline_sweep import deadline_sweep

    as_of = date(2027, 3, 10)
    _open_tasks(as_of)
    results = []
    for label in ("first sweep", "second sweep (same day)"):
        t0 = time.perf_counter()
        summary = deadline_sweep(as_of=as_of)
        results.append((f"{label}, {SWEEP_TASKS:,} open tasks", time.perf_counter() - t0, summary))
    plan_day = date(2027, 9, 10)
    _open_plans(plan_day)
    for label in ("plan sweep", "plan sweep again (same day)"):
        t0 = time.perf_counter()
        summary = deadline_sweep(as_of=plan_day)
        results.append((f"{label}, {SWEEP_TASKS:,} open plans", time.perf_counter() - t0, summary))
    from tasks.notices.delivery import deliver_due

    t0 = time.perf_counter()
    counts = deliver_due()
    results.append(("outbox delivery of the queued notices (SMTP on loopback)", time.perf_counter() - t0,
                    {"counts": counts, "seconds": {}}))
    return results


def main() -> None:
    console = Console()
    smtp = SmtpSink(SMTP_PORT).start()
    upgrade(settings().database_url)
    with transaction() as session:
        seed_roster(session)
        sign_in_everyone(session)
    server = start_prefect_server(PORT, WORK / "server.log", dict(os.environ))
    runner = start_runner(WORK / "runner.log", runner_env(), API)
    try:
        console.print(f"resume latency over {RESUMES} resumes, signed in as {DECIDER} ...")
        latencies = bench_resume_latency()
        runner.stop()
        console.print(f"deadline sweep over {SWEEP_TASKS:,} open tasks ...")
        sweeps = bench_sweep()
    finally:
        runner.stop()
        server.stop()
        smtp.stop()
    table = Table(title="cwa benchmarks (2 cores; cwa server: Prefect on SQLite behind the sign-in layer)")
    for column in ("measure", "figure", "goal"):
        table.add_column(column)
    table.add_row(f"resume as {DECIDER} -> next task, p50", f"{statistics.median(latencies):.2f} s", "<= 3 s")
    table.add_row("resume -> next task, p95", f"{_percentile(latencies, 95):.2f} s", "")
    table.add_row("resume -> next task, max", f"{max(latencies):.2f} s", "")
    for label, seconds, summary in sweeps:
        table.add_row(label, f"{seconds:.2f} s", "" if label.startswith("outbox") else "<= 5 s")
        counts = ", ".join(f"{k} {v}" for k, v in summary["counts"].items() if v)
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in summary["seconds"].items() if v >= 0.05)
        table.add_row("", f"counts: {counts or 'nothing to do'}", "")
        table.add_row("", f"steps: {steps}", "")
    console.print(table)


if __name__ == "__main__":
    main()
