"""The scaled stack survives losing Prefect's API and its services (deploy/scale.sh, deploy/README.md): with a
hiring review, a practice improvement plan, a Hand-Up enrolment and a Hand-Up fair hearing each suspended at a
human task, the server and the services process are killed with SIGKILL; the script starts them again; staff
signed in resume every run through the API, a worker finishes each, and nothing is missing or done twice."""

import os
import secrets
import signal
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from models.tables import (AuditEvent, HearingRequest, HiringReview, HumanTask, ImprovementPlan, Notice, Participant,
                           TaskStatus)
from tasks.context import transaction
from tests.conftest import STAFF_PASSWORD
from tests.faults.scaled import api, descendants, workers_that_ran
from tests.stack import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
REVIEW, PLAN, ENROL, HEARD = "HR-RESTART-1", "PIP-RESTART-1", "HU-RESTART-E", "HU-RESTART-H"
HEARING = f"FH-{HEARD}-1"
DEPLOYMENTS = {"review": "hiring-exclusion-review", "plan": "practice-improvement-plan",
               "enrol": "handup-enrolment", "hearing": "handup-hearing"}
SERVER, SERVICES = "cwa server on", "Prefect's background services"
STAFF = ("S-001", "S-005", "S-006", "S-008")  # designee, contract administrator, eligibility worker, hearing officer


def seed(service: tuple[str, str]) -> None:
    """The roster, the pilot providers, a participant removed on 2026-05-31, this test's identities."""
    from tasks.handup.demo import seed_providers
    from tasks.seed import seed_roster
    from tasks.signin.passwords import set_password, set_service_secret
    from tests.handup_factory import make_participant

    with transaction() as session:
        seed_roster(session)
        seed_providers(session)
        make_participant(session, HEARD, premium=Decimal("80.00"), first_month=date(2026, 3, 1), status="removed",
                         enrolled_on=date(2026, 2, 1), ended_on=date(2026, 5, 31), adverse_action_on=date(2026, 5, 31))
        set_service_secret(session, account_id=service[0], secret=service[1], actor="test")
        for staff_id in STAFF:
            set_password(session, staff_id=staff_id, password=STAFF_PASSWORD, actor="test")


def start_runs() -> dict[str, str]:
    """Each workflow started through its deployment as its command does, with dates its rule accepts."""
    from tasks.handup.hearings import request_hearing, start_hearing_run
    from tasks.plans.intake import open_plan, start_plan_run
    from tests.handup_cohort import application, apply
    from tests.workflow import new_review

    runs = {"review": new_review(REVIEW, as_of=date(2026, 11, 2)),
            "enrol": apply(application(ENROL, email="hu.restart@example.org"))}  # applied and as of 2026-01-05
    with transaction() as session:
        open_plan(session, plan_id=PLAN, contract_id="K-001", outcomes=["placement stability"], actor="test")
        request_hearing(session, participant_id=HEARD, requested_on=date(2026, 7, 10), actor="test")
    runs["plan"] = start_plan_run(PLAN, date(2026, 7, 15))
    runs["hearing"] = start_hearing_run(HEARING, date(2026, 7, 10))
    return runs


def test_runs_waiting_for_staff_survive_killing_the_api_and_the_services(scaled):
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    began = time.monotonic()
    scaled.start().wait_ready(300)
    service = ("svc-test", secrets.token_urlsafe(32))
    seed(service)

    def run(run_id: str) -> dict:
        return api(scaled, "GET", f"/flow_runs/{run_id}", service).json()

    def wait(what: str, check, timeout: float = 120):
        try:
            return wait_until(check, timeout, what, interval=0.5)
        except TimeoutError as exc:
            raise AssertionError(f"{exc}\n{scaled.logs()}") from None

    def waiting_at(run_id: str, key: str) -> HumanTask:
        def ready() -> HumanTask | None:
            state = run(run_id)["state"]
            if state["type"] in FINAL:
                raise AssertionError(f"{run_id} ended in {state['type']}: {state.get('message')}\n{scaled.logs()}")
            with transaction() as session:
                row = session.exec(select(HumanTask).where(HumanTask.flow_run_id == run_id,
                                                           HumanTask.key == key)).first()
            return row if (row and row.status == TaskStatus.open and state["type"] == "PAUSED"
                           and state["state_details"].get("pause_key") == row.pause_key) else None
        return wait(f"run {run_id} to suspend at {key}", ready)

    def resume(run_id: str, staff_id: str, **answer) -> None:
        body = {"run_input": {k: v.isoformat() if isinstance(v, date) else v for k, v in answer.items()}}
        response = api(scaled, "POST", f"/flow_runs/{run_id}/resume", (staff_id, STAFF_PASSWORD), json=body)
        assert response.json()["status"] == "ACCEPT", f"{response.json()}\n{scaled.logs()}"

    with temporary_settings(updates={PREFECT_API_URL: scaled.api, PREFECT_API_AUTH_STRING: ":".join(service)}):
        runs = start_runs()

    # The plan goes two steps before the fault: it is required, its written plan recorded; it waits for the
    # verification. The others wait at their first task.
    waiting_at(runs["plan"], "require-plan")
    resume(runs["plan"], "S-005", require=True, reasons="Placement stability below target two quarters running.")
    waiting_at(runs["plan"], "record-plan")
    resume(runs["plan"], "S-005", reasons_not_achieved="Caseworker turnover in the second quarter.",
           steps="Hire two supervisors; weekly case reviews.", timeframe_days=90, effective_on=date(2026, 8, 1),
           responsible="A. Reyes, program director\nB. Okoro, case management supervisor")
    for name, key in (("plan", "verify-plan"), ("review", "designee-response"), ("enrol", "approve-enrolment"),
                      ("hearing", "decide-hearing")):
        waiting_at(runs[name], key)

    # SIGKILL to the API server and the services process; the script starts each again.
    def stack_process(marker: str) -> int:
        found = []
        for pid in descendants(scaled.proc.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in command:
                found.append(pid)
        assert len(found) == 1, f"{marker!r}: {found}\n{scaled.logs()}"
        return found[0]

    killed = {SERVER: stack_process("-m flows.cli server"), SERVICES: stack_process("server services start")}
    before = len(scaled.output())
    for pid in killed.values():
        os.kill(pid, signal.SIGKILL)
    faulted = time.monotonic()

    def restarted() -> dict[str, int] | None:
        lines = scaled.output()[before:].splitlines()
        pids = {name: int(line.rsplit("(pid ", 1)[1].rstrip(")")) for name in killed for line in lines
                if line.startswith(f"restarted {name}")}
        return pids if len(pids) == 2 else None

    def healthy() -> bool:
        try:
            return httpx.get(f"{scaled.api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    new_pids = wait("the script to restart the server and the services", restarted, 30)
    wait("the restarted API to answer /api/health", healthy, 120)
    back_after = time.monotonic() - faulted
    out = scaled.output()[before:]
    for name, pid in killed.items():
        assert f"exited (status {128 + signal.SIGKILL})" in out.split(name, 1)[1].splitlines()[0], f"{name}\n{out}"
        assert new_pids[name] != pid and not Path(f"/proc/{pid}/cmdline").exists(), f"{name}\n{scaled.logs()}"
        assert new_pids[name] in descendants(scaled.proc.pid), f"{name} is not running\n{scaled.logs()}"

    # Each run is resumed by the staff member whose role its task needs; a worker finishes it.
    resume(runs["review"], "S-001", decision="may provide case management",
           reasons="Nothing relevant to the duties.", decision_date=date(2026, 11, 3))
    resume(runs["plan"], "S-005", outcome="actions taken: verified", evidence="Report Q3-17; hiring records HR-88.",
           decided_on=date(2026, 10, 20))
    resume(runs["enrol"], "S-006", approve=True, enrolled_on=date(2026, 1, 5))
    resume(runs["hearing"], "S-008", outcome="upheld: the adverse action stands",
           reasons="No payment was made within sixty days.", decided_on=date(2026, 7, 20))
    for name, run_id in runs.items():
        final = wait(f"the {name} run {run_id} to finish", lambda: (r := run(run_id))["state"]["type"] in FINAL and r)
        assert final["state"]["type"] == "COMPLETED", f"{name}: {final['state']}\n{scaled.logs()}"

    # The records reached their outcomes.
    with transaction() as session:
        outcomes = (session.get(HiringReview, REVIEW).status, session.get(ImprovementPlan, PLAN).status,
                    session.get(Participant, ENROL).status, session.get(HearingRequest, HEARING).status)
        answered = session.exec(select(AuditEvent).where(AuditEvent.action.in_(["human_task.answered",
                                                                                "human_task.refused"]))).all()
        notices = session.exec(select(Notice).where(Notice.subject_id.in_([REVIEW, PLAN, ENROL, HEARD]))).all()
        still_open = session.exec(select(HumanTask.key).where(HumanTask.flow_run_id.in_(list(runs.values())),
                                                              HumanTask.status != TaskStatus.done)).all()
    assert outcomes == ("approved", "verified", "enrolled", "upheld"), f"{outcomes}\n{scaled.logs()}"
    assert still_open == [], still_open

    # Every human task answered exactly once, by the person who resumed it, and none refused.
    assert sorted((a.action, a.subject_id, a.detail["key"], a.actor, a.detail["method"]) for a in answered) == sorted([
        ("human_task.answered", REVIEW, "designee-response", "S-001", "password"),
        ("human_task.answered", PLAN, "require-plan", "S-005", "password"),
        ("human_task.answered", PLAN, "record-plan", "S-005", "password"),
        ("human_task.answered", PLAN, "verify-plan", "S-005", "password"),
        ("human_task.answered", ENROL, "approve-enrolment", "S-006", "password"),
        ("human_task.answered", HEARING, "decide-hearing", "S-008", "password")]), scaled.logs()

    # Every notice queued exactly once per key, and each delivered once: letters to the mailroom, emails sent.
    keys = Counter(n.idempotency_key for n in notices)
    contractor = [f"{kind}:{subject}:1:{channel}" for kind, subject in (
        ("designee-decision", REVIEW), ("pip-required", PLAN), ("pip-accepted", PLAN), ("pip-closed", PLAN))
        for channel in ("mail", "email")]
    expected = contractor + [f"handup-enrolled:{ENROL}:1:mail", f"handup-enrolled:{ENROL}:1:email",
                             f"hearing-decision:{HEARD}:{HEARING}:mail"]
    assert sorted(keys) == sorted(expected) and set(keys.values()) == {1}, f"{keys}\n{scaled.logs()}"
    delivered = {"mail": "batched", "email": "sent"}
    assert all(n.status == delivered[n.channel] for n in notices), [(n.idempotency_key, n.status) for n in notices]
    sent = Counter(m["X-Notice-Key"] for m in scaled.smtp.messages)
    assert sent == Counter(k for k in expected if k.endswith(":email")), sent

    # No run left waiting and no run of these deployments but the four: nothing started twice.
    deployments = {d["name"]: d["id"] for d in api(scaled, "POST", "/deployments/filter", service, json={}).json()}
    flow_runs = api(scaled, "POST", "/flow_runs/filter", service, json={"flow_runs": {"deployment_id": {
        "any_": [deployments[n] for n in DEPLOYMENTS.values()]}}}).json()
    assert sorted((r["id"], r["state"]["type"]) for r in flow_runs) == sorted(
        (run_id, "COMPLETED") for run_id in runs.values()), f"{flow_runs}\n{scaled.logs()}"
    by_deployment = {r["id"]: r["deployment_id"] for r in flow_runs}
    assert all(by_deployment[runs[n]] == deployments[d] for n, d in DEPLOYMENTS.items()), by_deployment

    # The restarted services recorded the task runs of the resumed runs (events cross Redis to the task run
    # recorder): each decision step once, and run, not taken from a cache.
    decisions = {"review": "record-designee-decision", "plan": "record-plan-closed",
                 "enrol": "record-handup-enrolment", "hearing": "record-hearing-decision"}

    def recorded() -> dict[str, list] | None:
        task_runs = api(scaled, "POST", "/task_runs/filter", service, json={
            "flow_runs": {"id": {"any_": list(runs.values())}}, "limit": 200}).json()
        found = {n: [t["state"]["name"] for t in task_runs if t["flow_run_id"] == runs[n]
                     and t["name"].startswith(f"{task}-")] for n, task in decisions.items()}
        unsettled = {"Pending", "Running"} & {state for states in found.values() for state in states}
        return found if all(found.values()) and not unsettled else None

    found = wait("the resumed runs' task runs in Prefect's database", recorded, 60)
    assert found == {n: ["Completed"] for n in decisions}, f"{found}\n{scaled.logs()}"

    # A worker took each run again after each resume, and no run twice: start and resumes, no more. Both workers
    # may ask for a resumed run at once; the server lets one have it and sends the other an abort.
    submitted = {n: len(workers_that_ran(scaled, run_id)) for n, run_id in runs.items()}
    assert submitted == {"review": 2, "plan": 4, "enrol": 2, "hearing": 2}, f"{submitted}\n{scaled.logs()}"
    print(f"server and services back {back_after:.0f} s after SIGKILL; whole test {time.monotonic() - began:.0f} s")
