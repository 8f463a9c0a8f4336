"""Batch work on two workers of the scaled stack (tasks/shared_runs.py, deploy/scale.sh): the Hand-Up billing of
20,000 participants and the removal sweep after it (17,600 removals), each shared by two runs on two workers,
leave the same bills, decisions and notices as one process doing the same work alone, and every notice exists
and goes out exactly once. A worker killed with SIGKILL in the middle of the billing loses nothing: the other
run bills the participants the killed one held, the script starts the worker again, and the killed run is
marked Crashed."""

import csv
import os
import secrets
import signal
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from models.tables import AuditEvent, Notice, Participant, PremiumBill, RemovalCandidate
from tasks.context import settings, transaction
from tests.conftest import STAFF_PASSWORD
from tests.databases import fresh_database
from tests.faults.scaled import api, descendants, wait_suspended, worker_running, workers_that_ran
from tests.handup_bulk import make_participants, pay_all_but
from tests.stack import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(900)]

N = 20_000
KILLED_N = 4_000  # the billing a worker dies in: 40 batches of 100
JAN, BILLED_ON = date(2027, 1, 1), date(2026, 12, 15)  # January's letters go to the mail by 2027-01-13
REMOVAL_DAY, DECIDED = date(2027, 4, 2), date(2027, 4, 5)  # January's premium, due 01-31, is 61 days unpaid
UNPAID = tuple("123456789")  # January is left unpaid but by those whose ID ends in 0 (and those whose credit
# paid it): 17,600 candidates
HELD = {"HU-000003": "payment arrangement agreed", "HU-019997": "processor file under review"}
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def snapshot() -> dict:
    """What the work leaves in our database, without what depends on who did it or when."""
    with transaction() as session:
        return {
            "bills": sorted(session.exec(select(PremiumBill.participant_id, PremiumBill.coverage_month,
                                                PremiumBill.amount, PremiumBill.paid, PremiumBill.status)).all()),
            "notices": dict(session.exec(select(Notice.idempotency_key, Notice.content_hash)).all()),
            "participants": sorted(session.exec(select(Participant.id, Participant.status, Participant.credit,
                                                       Participant.ended_on)).all()),
            "decisions": sorted(session.exec(select(RemovalCandidate.participant_id, RemovalCandidate.decision,
                                                    RemovalCandidate.hold_reason)).all()),
        }


def one_process(tmp_path, monkeypatch) -> dict:
    """The same work in this process alone, without Prefect, on a database of its own."""
    from tasks.handup.billing import bill_month
    from tasks.handup.removal import propose_removals
    from tasks.handup.removal_decision import record_removals

    with fresh_database("postgresql", tmp_path / "alone") as url:
        with monkeypatch.context() as m:
            m.setattr(settings(), "database_url", url)
            make_participants(N)
            bill_month(JAN, BILLED_ON)
            pay_all_but(JAN, UNPAID)
            batch_id = propose_removals.fn(REMOVAL_DAY)
            record_removals.fn(batch_id, HELD, "S-007", DECIDED)
            return snapshot()


def signed_in() -> tuple[str, str]:
    """The roster, a service identity for this test and the supervisor's password, in the stack's database."""
    from tasks.seed import seed_roster
    from tasks.signin.passwords import set_password, set_service_secret

    service = ("svc-test", secrets.token_urlsafe(32))
    with transaction() as session:
        seed_roster(session)
        set_service_secret(session, account_id=service[0], secret=service[1], actor="test")
        set_password(session, staff_id="S-007", password=STAFF_PASSWORD, actor="test")
    return service


def start(stack, service, deployment: str, parameters: dict) -> str:
    from prefect.deployments import run_deployment

    with stack.signed_in(service):
        return str(run_deployment(deployment, parameters=parameters, timeout=0, as_subflow=False).id)


def runs_of(stack, service, flow_name: str) -> list[dict]:
    """The runs of the flow started on purpose (not the schedule's future runs), the first started first."""
    runs = api(stack, "POST", "/flow_runs/filter", service,
               json={"flows": {"name": {"any_": [flow_name]}}, "sort": "START_TIME_ASC"}).json()
    return [r for r in runs if not r["auto_scheduled"]]


def wait_all_final(stack, service, flow_name: str, count: int, timeout: float) -> list[dict]:
    def done() -> list[dict] | None:
        runs = runs_of(stack, service, flow_name)
        return runs if len(runs) >= count and all(r["state"]["type"] in FINAL for r in runs) else None
    try:
        return wait_until(done, timeout, f"{count} {flow_name} runs to end", interval=1)
    except TimeoutError as exc:
        states = [(r["name"], r["state"]["type"]) for r in runs_of(stack, service, flow_name)]
        raise AssertionError(f"{exc}: {states}\n{stack.logs()}") from None


def billed_by_run() -> dict[str, int]:
    """Bills made by each flow run, from the billing's audit rows (one per batch)."""
    with transaction() as session:
        rows = session.exec(select(AuditEvent.flow_run_id, AuditEvent.detail).where(
            AuditEvent.action == "handup.billed")).all()
    shares: dict[str, int] = {}
    for run, detail in rows:
        shares[run] = shares.get(run, 0) + detail["bills"]
    return shares


def sent_exactly_once(stack) -> None:
    """Every notice delivered, each email received once by the SMTP server, each letter once in the mailroom."""
    with transaction() as session:
        statuses = Counter(session.exec(select(Notice.status)).all())
        emails = session.exec(select(func.count()).select_from(Notice).where(Notice.channel == "email")).one()
        letters = session.exec(select(Notice.id).where(Notice.channel == "mail")).all()
    assert set(statuses) <= {"sent", "batched"}, statuses
    ids = Counter(m["Message-ID"] for m in stack.smtp.messages)  # made from the notice's idempotency key
    assert len(stack.smtp.messages) == emails and max(ids.values(), default=1) == 1
    rows = Counter()
    for manifest in (stack.folder / "mailroom").glob("*/manifest.csv"):
        with open(manifest, newline="") as f:
            rows.update(int(row["notice_id"]) for row in csv.DictReader(f))
    assert set(rows) == set(letters) and max(rows.values()) == 1, (len(rows), len(letters))


def test_two_workers_share_the_billing_and_the_removals_and_match_one_process(scaled, tmp_path, monkeypatch):
    alone = one_process(tmp_path, monkeypatch)
    scaled.start(CWA_WORKER_LIMIT="1", CWA_HANDUP_BATCH_SIZE="1000").wait_ready(300)
    service = signed_in()
    make_participants(N)

    # The billing: the first run asks for a second (CWA_BATCH_RUNS=2, one per worker); both bill and deliver.
    t0 = time.monotonic()
    start(scaled, service, "handup-billing/handup-billing",
          {"coverage_month": JAN.isoformat(), "as_of": BILLED_ON.isoformat()})
    runs = wait_all_final(scaled, service, "handup-billing", 2, 600)
    billing_seconds = time.monotonic() - t0
    assert [r["state"]["type"] for r in runs] == ["COMPLETED", "COMPLETED"], scaled.logs()
    assert {r["parameters"].get("helper", False) for r in runs} == {False, True}
    shares = billed_by_run()
    assert set(shares) == {r["id"] for r in runs} and all(shares.values()), shares
    assert sum(shares.values()) == N
    workers = [w for r in runs for w in workers_that_ran(scaled, r["id"])]
    assert sorted(workers) == ["worker-1", "worker-2"], workers
    sent_exactly_once(scaled)

    # The removal sweep: the day's batch, approved by the supervisor, carried out by two runs.
    from tasks.handup.removal import propose_removals, start_removal_run

    pay_all_but(JAN, UNPAID)
    batch_id = propose_removals.fn(REMOVAL_DAY)
    with scaled.signed_in(service):
        lead = start_removal_run(batch_id, REMOVAL_DAY)
    wait_suspended(scaled, service, lead, "approve-removals")
    holds = "\n".join(f"{pid}: {reason}" for pid, reason in HELD.items())
    api(scaled, "POST", f"/flow_runs/{lead}/resume", ("S-007", STAFF_PASSWORD), json={"run_input": {
        "approve": True, "hold_back": holds, "reasons": "Sixty days unpaid.", "decided_on": DECIDED.isoformat()}})
    removals = wait_all_final(scaled, service, "handup-removal", 2, 600)
    assert [r["state"]["type"] for r in removals] == ["COMPLETED", "COMPLETED"], scaled.logs()
    with transaction() as session:
        deciders = Counter(session.exec(select(AuditEvent.flow_run_id).where(
            AuditEvent.action == "handup.removed")).all())
    removed = sum(1 for _, decision, _ in alone["decisions"] if decision == "removed")
    assert set(deciders) == {r["id"] for r in removals} and sum(deciders.values()) == removed > 17_000
    sent_exactly_once(scaled)

    together = snapshot()
    for part in ("bills", "participants", "decisions"):
        assert together[part] == alone[part], part
    assert together["notices"] == alone["notices"]
    print(f"billing of {N:,} on two workers: {billing_seconds:.0f} s; shares {sorted(shares.values())}; "
          f"removals {sorted(deciders.values())}")


def test_a_worker_killed_in_the_middle_of_the_billing_loses_nothing(scaled, tmp_path, monkeypatch):
    scaled.start(CWA_WORKER_LIMIT="1", CWA_HANDUP_BATCH_SIZE="100", CWA_HEARTBEAT_SECONDS="30").wait_ready(300)
    service = signed_in()
    make_participants(KILLED_N)
    lead = start(scaled, service, "handup-billing/handup-billing",
                 {"coverage_month": JAN.isoformat(), "as_of": BILLED_ON.isoformat()})

    def both_billing() -> bool:
        shares = billed_by_run()
        return len(shares) == 2 and sum(shares.values()) <= KILLED_N // 2
    wait_until(both_billing, 300, "both billing runs to have billed a batch", interval=0.2)
    # The worker running the first run, and that run, die at once (as when the machine goes).
    pid = worker_running(scaled, service, lead)
    worker = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"--name\0")[1].split(b"\0")[0].decode()
    doomed = [pid, *descendants(pid)]
    before = sum(billed_by_run().values())
    for p in doomed:
        os.kill(p, signal.SIGKILL)

    runs = wait_all_final(scaled, service, "handup-billing", 2, 400)
    states = {r["id"]: r["state"]["type"] for r in runs}
    assert states[lead] == "CRASHED" and list(states.values()).count("COMPLETED") == 1, states
    shares = billed_by_run()
    assert sum(shares.values()) == KILLED_N and before < KILLED_N, (before, shares)
    assert f"restarted {worker}" in scaled.output()
    with transaction() as session:
        per_key = session.exec(select(func.count(), func.count(func.distinct(Notice.idempotency_key)))).one()
    assert per_key[0] == per_key[1] == KILLED_N + KILLED_N // 5  # a letter each, an email copy for one in five
    sent_exactly_once(scaled)
