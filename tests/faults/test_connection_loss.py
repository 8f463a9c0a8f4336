"""PostgreSQL connections terminated in the middle of the Hand-Up billing (`pg_terminate_backend`): the batch is
retried alone and the month's bills and notices are the same as in a run nobody disturbed (docs/architecture.md,
"Sweeps")."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select

from flows.handup_billing import handup_billing
from models.tables import Notice, PremiumBill
from tasks.context import settings, transaction
from tasks.handup import billing
from tests.databases import fresh_database
from tests.handup_factory import make_participant

MONTH, AS_OF = date(2026, 12, 1), date(2026, 12, 1)
FAMILIES = 25


def enrol() -> None:
    with transaction() as session:
        for n in range(FAMILIES):
            make_participant(session, f"HU-PG-{n:02d}", premium=Decimal(f"{40 + n}.15"), first_month=MONTH,
                             email=f"family{n}@example.org", email_opt_in=n % 2 == 0)


def month_billed() -> tuple[list, list]:
    with transaction() as session:
        bills = [(b.participant_id, b.amount, b.due_on, b.mail_by, b.paid, b.status) for b in session.exec(
            select(PremiumBill).order_by(PremiumBill.participant_id))]
        notices = sorted((n.idempotency_key, n.content_hash, n.mail_by) for n in session.exec(select(Notice)))
    return bills, notices


def bill(tmp_path, monkeypatch, kill_batches: set[int]) -> tuple[tuple, list[int]]:
    """Bill the month in batches of ten on a fresh PostgreSQL database, terminating this session's own
    connection in the middle of the batches named (counted from 1) the first time each is tried."""
    killed, seen = [], []
    original = billing.bill_participants

    def terminated(session, participants, dates, as_of):
        first = participants[0].id
        if first not in seen:
            seen.append(first)
            if len(seen) in kill_batches:
                killed.append(len(seen))
                session.connection().exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")
        return original(session, participants, dates, as_of)

    with fresh_database("postgresql", tmp_path):
        monkeypatch.setattr(settings(), "handup_batch_size", 10)
        monkeypatch.setattr(billing, "bill_participants", terminated)
        enrol()
        summary = handup_billing(coverage_month=MONTH, as_of=AS_OF)
        assert summary["bills"] == FAMILIES
        return month_billed(), killed


@pytest.mark.postgres
@pytest.mark.rule("13 CSR 35-32.040 (4)(B)")
def test_a_batch_whose_connection_is_terminated_is_retried_with_the_same_result(stack, tmp_path, monkeypatch):
    undisturbed, _ = bill(tmp_path / "a", monkeypatch, set())
    disturbed, killed = bill(tmp_path / "b", monkeypatch, {2, 3})
    assert killed == [2, 3]  # the second and third batches lost their connection once each
    assert disturbed == undisturbed
    bills, notices = disturbed
    assert len(bills) == FAMILIES and len(notices) == FAMILIES + (FAMILIES + 1) // 2  # letters + opted-in copies
