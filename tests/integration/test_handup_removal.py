"""Removal for non-payment, 13 CSR 35-32.040 (4)(C), (5)-(6) (tasks/handup/removal.py), on SQLite and PostgreSQL.

The sweep proposes every enrolled participant in the database, so each test gets a freshly migrated database of
its own. PostgreSQL: a throw-away database `cwa_test_<random>` on 127.0.0.1:5432 (trust auth), dropped afterwards;
skipped when the server is not reachable, unless CWA_REQUIRE_POSTGRES=1 (tests/databases.py).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import func, select

from models.errors import RuleViolation
from models.handup import coverage_due_date
from models.tables import AuditEvent, Notice, Participant, PremiumBill, RemovalBatch, RemovalCandidate
from tasks.context import transaction
from tasks.handup import removal, removal_decision
from tasks.handup.payments import import_payments
from tests.databases import BACKENDS, fresh_database
from tests.handup_factory import make_participant

C = "13 CSR 35-32.040 (4)(C)"
pytestmark = pytest.mark.rule(C)
JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))
DAY_60, DAY_61 = date(2026, 4, 1), date(2026, 4, 2)  # January's premium was due 2026-01-31
propose, record = removal.propose_removals.fn, removal_decision.record_removals.fn


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A migrated, empty database on the backend, used by tasks.context.transaction() meanwhile."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


def participant(pid: str, months=(JAN, FEB, MAR, APR), paid: dict | None = None, status="enrolled") -> None:
    """Bills of 100.00 for each month, open unless `paid` (month -> amount) says how much was paid."""
    with transaction() as session:
        make_participant(session, pid, premium=Decimal("100.00"), first_month=months[0], status=status)
        for month in months:
            due, amount = coverage_due_date(month), (paid or {}).get(month, Decimal("0"))
            session.add(PremiumBill(participant_id=pid, coverage_month=month, due_on=due, amount=Decimal("100.00"),
                                    mail_by=due - timedelta(days=20), paid=amount,
                                    status="paid" if amount >= 100 else "open"))


def count(model, *where) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def candidates(batch_id: str) -> dict[str, RemovalCandidate]:
    with transaction() as session:
        return {c.participant_id: c for c in session.exec(
            select(RemovalCandidate).where(RemovalCandidate.batch_id == batch_id))}


def row(model, key):
    with transaction() as session:
        return session.get(model, key)


def bill_states(pid: str) -> list[str]:
    with transaction() as session:
        return list(session.exec(select(PremiumBill.status).where(PremiumBill.participant_id == pid)
                                 .order_by(PremiumBill.coverage_month)).all())


def test_sixty_days_unpaid_is_not_proposed_sixty_one_days_is(db):
    participant("HU-R-1", paid={JAN: Decimal("40.00")})  # part of January paid: still unpaid
    participant("HU-R-2", paid={JAN: Decimal("100.00")})  # oldest unpaid is February
    participant("HU-R-3", status="opted_out")
    assert propose(DAY_60) is None and count(RemovalBatch) == 0
    assert propose(DAY_61) == "RB-2026-04-02"
    found = candidates("RB-2026-04-02")
    assert list(found) == ["HU-R-1"]
    c = found["HU-R-1"]
    assert (c.oldest_due, c.days_unpaid, c.months_unpaid, c.decision) == (date(2026, 1, 31), 61,
                                                                         "2026-01, 2026-02, 2026-03", None)
    assert removal.removal_rows.fn("RB-2026-04-02") == [
        {"participant_id": "HU-R-1", "months_unpaid": "2026-01, 2026-02, 2026-03", "days_unpaid": 61}]


def test_a_rerun_the_same_day_changes_nothing_and_a_later_day_adds_only_the_new(db):
    participant("HU-R-10")
    participant("HU-R-11", months=(FEB, MAR, APR))
    assert propose(DAY_61) == "RB-2026-04-02"
    before = (count(RemovalCandidate), count(AuditEvent), count(RemovalBatch))
    assert propose(DAY_61) == "RB-2026-04-02"
    assert (count(RemovalCandidate), count(AuditEvent), count(RemovalBatch)) == before
    assert propose(date(2026, 4, 30)) == "RB-2026-04-30"  # February's premium, due 02-28, 61 days on
    assert list(candidates("RB-2026-04-30")) == ["HU-R-11"]  # HU-R-10 awaits the first batch's decision
    assert count(RemovalCandidate, RemovalCandidate.participant_id == "HU-R-10") == 1


def test_a_decided_batch_takes_no_one_more_that_day(db):
    participant("HU-R-20")
    batch_id = propose(DAY_61)
    record(batch_id, {"HU-R-20": "arrangement agreed"}, "S-007", DAY_61)
    participant("HU-R-21")
    assert propose(DAY_61) is None
    assert list(candidates(batch_id)) == ["HU-R-20"]
    assert propose(DAY_61 + timedelta(days=1)) == "RB-2026-04-03"  # the held one is not proposed again
    assert list(candidates("RB-2026-04-03")) == ["HU-R-21"]


@pytest.mark.rule(C, "13 CSR 35-32.040 (5)", "13 CSR 35-32.040 (6)")
def test_removal_cancels_the_open_bills_and_queues_one_notice_of_adverse_action(db):
    participant("HU-R-30", paid={FEB: Decimal("100.00")})
    participant("HU-R-31")
    participant("HU-R-32")
    batch_id = propose(DAY_61)
    with transaction() as session:  # HU-R-32 pays January in full before the decision
        session.exec(select(PremiumBill).where(PremiumBill.participant_id == "HU-R-32",
                                               PremiumBill.coverage_month == JAN)).one().paid = Decimal("100")
    on = date(2026, 4, 6)
    counts = record(batch_id, {"HU-R-31": "payment arrangement agreed"}, "S-007", on)
    assert counts == {"removed": 1, "held": 1, "withdrawn": 1}
    p = row(Participant, "HU-R-30")
    assert (p.status, p.ended_on, p.end_reason, p.adverse_action_on) == ("removed", on, "non-payment", on)
    assert bill_states("HU-R-30") == ["cancelled", "paid", "cancelled", "cancelled"]
    assert bill_states("HU-R-31") == ["open"] * 4 and row(Participant, "HU-R-31").status == "enrolled"
    found = candidates(batch_id)
    assert (found["HU-R-31"].decision, found["HU-R-31"].hold_reason) == ("held", "payment arrangement agreed")
    assert found["HU-R-32"].decision == "withdrawn" and row(Participant, "HU-R-32").status == "enrolled"
    batch = row(RemovalBatch, batch_id)
    assert (batch.status, batch.decided_by) == ("decided", "S-007")
    with transaction() as session:
        notices = session.exec(select(Notice).where(Notice.subject_id.in_(["HU-R-30", "HU-R-31", "HU-R-32"]))).all()
        audits = session.exec(select(AuditEvent).where(AuditEvent.action == "handup.removed")).all()
    assert [(n.notice_type, n.channel, n.idempotency_key) for n in notices] == [
        ("adverse-action", "mail", "adverse-action:HU-R-30:removal-2026-01-31:mail")]
    body = " ".join(notices[0].body_text.split())
    assert "The last day to ask for a hearing is 2026-07-05" in body  # on + 90 days
    assert "removal from the Hand-Up Pilot Program" in body and "2026-01, 2026-03" in body
    assert "65 days unpaid" in body and "13 CSR 40-2.160" in body
    assert [(a.subject_id, a.actor, a.rule) for a in audits] == [("HU-R-30", "S-007", C)]

    again = record(batch_id, {}, "S-004", date(2026, 4, 9))
    assert again == counts and count(Notice) == 1 and row(RemovalBatch, batch_id).decided_by == "S-007"
    assert count(AuditEvent, AuditEvent.action == "handup.removed") == 1


def test_not_approved_removes_no_one(db):
    participant("HU-R-40")
    participant("HU-R-41")
    batch_id = propose(DAY_61)
    ids = list(candidates(batch_id))
    assert record(batch_id, dict.fromkeys(ids, "Not approved: recheck the processor file."), "S-007", DAY_61) == {
        "removed": 0, "held": 2, "withdrawn": 0}
    assert {c.hold_reason for c in candidates(batch_id).values()} == {"Not approved: recheck the processor file."}
    assert count(Notice) == 0 and row(Participant, "HU-R-40").status == "enrolled"


@pytest.mark.rule(C, "13 CSR 35-32.040 (5)", "13 CSR 35-32.040 (4)(B)")
def test_reinstatement_restores_the_bills_cancelled_at_removal_and_applies_credit(db):
    participant("HU-R-50", months=(JAN, FEB, MAR, APR), paid={FEB: Decimal("100.00")})
    record(propose(DAY_61), {}, "S-007", DAY_61)
    with transaction() as session:  # a payment after the removal is kept as credit
        import_payments(session, csv_text="reference,participant_id,received_on,amount\n"
                                          "PAY-R-50,HU-R-50,2026-04-20,130.00\n", source="processor", actor="S-006")
    assert row(Participant, "HU-R-50").credit == Decimal("130.00")
    with transaction() as session:
        assert removal.reinstate(session, "HU-R-50", date(2026, 5, 1)) == 3
    p = row(Participant, "HU-R-50")
    assert (p.status, p.ended_on, p.end_reason, p.credit) == ("enrolled", None, None, Decimal("0.00"))
    assert bill_states("HU-R-50") == ["paid", "paid", "open", "open"]
    with transaction() as session:
        march = session.exec(select(PremiumBill).where(PremiumBill.participant_id == "HU-R-50",
                                                       PremiumBill.coverage_month == MAR)).one()
        assert march.paid == Decimal("30.00")
        with pytest.raises(RuleViolation, match="not removed"):
            removal.reinstate(session, "HU-R-50", date(2026, 5, 1))


def test_the_sweep_starts_one_run_per_batch(db, monkeypatch):
    started = []
    monkeypatch.setattr(removal, "propose_removals", removal.propose_removals.fn)
    monkeypatch.setattr(removal, "start_removal_run", lambda batch_id, as_of: started.append(batch_id) or "run-1")
    assert removal.start_removals(DAY_60) == {"awaiting decision": 0, "runs started": 0}
    participant("HU-R-60")
    assert removal.start_removals(DAY_61) == {"awaiting decision": 1, "runs started": 1}
    assert removal.start_removals(DAY_61) == {"awaiting decision": 1, "runs started": 0}
    assert started == ["RB-2026-04-02"] and row(RemovalBatch, "RB-2026-04-02").flow_run_id == "run-1"
