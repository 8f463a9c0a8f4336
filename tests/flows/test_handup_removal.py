"""Removal for non-payment on a real Prefect server (13 CSR 35-32.040 (4)(C), (5)-(6)): the daily sweep proposes
the batch and starts one run, an eligibility supervisor signed in approves it holding one participant back, the
one removed gets a notice of adverse action.

The bills are of 2025 and the sweep runs on 2025-06-02, so no other test's participant is in the batch."""

from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlmodel import select

from models.handup import coverage_due_date
from models.tables import Notice, Participant, PremiumBill, RemovalBatch, RemovalCandidate
from tasks.context import transaction
from tasks.handup.removal import removal_rows
from tests.conftest import API_URL, SERVICE
from tests.handup_factory import make_participant
from tests.workflow import form_description, refused, resume, run_sweep, wait_final, wait_for_task

pytestmark = pytest.mark.rule("13 CSR 35-32.040 (4)(C)")
MONTHS = (date(2025, 3, 1), date(2025, 4, 1))  # March's premium was due 2025-03-31
AS_OF, DECIDED = date(2025, 6, 2), date(2025, 6, 3)  # 63 days after March's due date
BATCH = "RB-2025-06-02"
REMOVED, HELD = "HU-FR-1", "HU-FR-2"


def owing(pid: str) -> None:
    with transaction() as session:
        make_participant(session, pid, premium=Decimal("80.00"), first_month=MONTHS[0])
        for month in MONTHS:
            due = coverage_due_date(month)
            session.add(PremiumBill(participant_id=pid, coverage_month=month, due_on=due, amount=Decimal("80.00"),
                                    mail_by=due - timedelta(days=20)))


def batch() -> RemovalBatch:
    with transaction() as session:
        return session.get(RemovalBatch, BATCH)


def artifact(key: str) -> dict:
    response = httpx.post(f"{API_URL}/artifacts/filter", auth=SERVICE, timeout=10,
                          json={"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 1})
    response.raise_for_status()
    return response.json()[0]


@pytest.mark.rule("13 CSR 35-32.040 (4)(C)", "13 CSR 35-32.040 (5)", "13 CSR 35-32.040 (6)")
def test_the_supervisor_approves_the_sweeps_batch_holding_one_back(stack):
    owing(REMOVED)
    owing(HELD)
    assert run_sweep(AS_OF)["state"]["type"] == "COMPLETED"
    run_id = batch().flow_run_id
    assert run_id
    assert run_sweep(AS_OF)["state"]["type"] == "COMPLETED"  # the same day again: no second run
    assert batch().flow_run_id == run_id
    task = wait_for_task(run_id, "approve-removals")
    assert (task.required_role, task.due_date, task.subject_id) == ("eligibility_supervisor", date(2025, 6, 4), BATCH)
    assert [r["participant_id"] for r in removal_rows.fn(BATCH)] == [REMOVED, HELD]
    table = artifact(f"handup-removal-{BATCH.lower()}")
    assert REMOVED in str(table["data"]) and "2025-03, 2025-04" in str(table["data"])
    assert "Family" not in str(table["data"]) and "Family" not in form_description(run_id, task.pause_key)

    answer = dict(approve=True, decided_on=DECIDED, reasons="Sixty days unpaid; no arrangement on file.")
    assert "does not hold the role 'eligibility_supervisor'" in refused(
        run_id, hold_back=f"{HELD}: payment arrangement agreed", decided_by="S-006", **answer)
    resume(run_id, hold_back="HU-NOT-IN-BATCH: moved", decided_by="S-007", **answer)
    again = wait_for_task(run_id, "approve-removals")
    assert "HU-NOT-IN-BATCH is not a candidate in this batch" in again.last_error
    resume(run_id, hold_back=f"{HELD}: payment arrangement agreed", decided_by="S-007", **answer)
    final = wait_final(run_id)
    assert final["state"]["type"] == "COMPLETED", final["state"]

    with transaction() as session:
        removed, held = session.get(Participant, REMOVED), session.get(Participant, HELD)
        decisions = {c.participant_id: (c.decision, c.hold_reason) for c in session.exec(
            select(RemovalCandidate).where(RemovalCandidate.batch_id == BATCH))}
        letters = session.exec(select(Notice).where(Notice.subject_id.in_([REMOVED, HELD]))).all()
        bills = session.exec(select(PremiumBill.status).where(PremiumBill.participant_id == REMOVED)).all()
    assert (removed.status, removed.ended_on, removed.adverse_action_on) == ("removed", DECIDED, DECIDED)
    assert held.status == "enrolled" and bills == ["cancelled", "cancelled"]
    assert decisions == {REMOVED: ("removed", None), HELD: ("held", "payment arrangement agreed")}
    assert [(n.notice_type, n.recipient_id, n.channel) for n in letters] == [("adverse-action", REMOVED, "mail")]
    assert "The last day to ask for a hearing is 2025-09-01" in " ".join(letters[0].body_text.split())
    assert letters[0].status != "queued"  # the flow delivered it
    assert (batch().status, batch().decided_by) == ("decided", "S-007")

