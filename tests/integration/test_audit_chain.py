"""The tamper-evident audit trail (docs/architecture.md, "The system of record"): the triggers refuse UPDATE and
DELETE on each database, the sealer links every row into one chain, and `cwa audit-verify` finds the first row that
was changed, removed or inserted behind the triggers' back."""

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from flows.cli import app
from models.audit_chain import GENESIS
from models.tables import AuditEvent
from tasks.audit_chain import seal_chain, verify_chain
from tasks.context import transaction
from tasks.human.audit import audit
from tests.databases import BACKENDS, fresh_database

TRIGGERS = {"sqlite": ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"],
            "postgresql": ["ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"]}
DETAIL = {"decision": "may not perform", "paragraphs": ["(7)(C)1.A"], "ratio": 0.25, "note": "José «x»", "n": None}


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield request.param


def write(n: int, start: int = 0) -> None:
    """n audit rows: half through audit(), half in one bulk insert as the sweep writes them."""
    with transaction() as session:
        for i in range(start, start + n // 2):
            audit(session, actor="S-001", action="review.designee_decided", subject_type="hiring_review",
                  subject_id=f"HR-{i:04d}", rule="13 CSR 35-32.020 (7)(C)2", detail=DETAIL, flow_run_id=None)
        session.exec(insert(AuditEvent), params=[
            dict(at=datetime(2026, 11, 2, 9, i % 60, i % 60, 123456, tzinfo=timezone.utc), actor="deadline-sweep",
                 action="human_task.escalated", subject_type="human_task", subject_id=str(i), rule="",
                 flow_run_id="0" * 36, detail={"due": "2026-11-01", "i": i}) for i in range(start + n // 2, start + n)])


def tamper(backend: str, *statements) -> None:
    """Run statements with the refusing triggers out of the way (as someone with the owner's rights could)."""
    with transaction() as session:
        for statement in TRIGGERS[backend]:
            session.execute(text(statement))
        for statement in statements:
            session.execute(statement)


def verify():
    with transaction() as session:
        return verify_chain(session)


def ids() -> list[int]:
    with transaction() as session:
        return list(session.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars())


def test_seal_then_verify_is_ok_and_sealing_is_idempotent(db):
    write(10)
    assert verify().sealed == 0 and verify().unsealed == 10

    assert seal_chain(batch=3) == 10
    report = verify()
    assert (report.ok, report.sealed, report.unsealed) == (True, 10, 0)
    assert report.head != GENESIS

    assert seal_chain() == 0  # nothing left to seal; the chain is unchanged
    assert verify() == report

    write(4, start=10)  # later rows continue the chain
    assert verify().unsealed == 4
    assert seal_chain() == 4
    assert (verify().ok, verify().sealed, verify().unsealed) == (True, 14, 0)


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(detail={"decision": "may perform"}),
    update(AuditEvent).values(actor="S-002"),
    delete(AuditEvent),
], ids=["update-detail", "update-actor", "delete"])
@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
def test_the_database_refuses_update_and_delete(db, statement, sealed):
    write(2)
    if sealed:
        seal_chain()
    with pytest.raises(DBAPIError, match="append-only"):
        with transaction() as session:
            session.execute(statement.where(AuditEvent.id == ids()[0]))
    assert len(ids()) == 2 and verify().ok


def test_the_database_refuses_resealing_or_a_forged_seal(db):
    write(2)
    seal_chain()
    with pytest.raises(DBAPIError, match="append-only"):
        with transaction() as session:
            session.execute(update(AuditEvent).values(row_hash="f" * 64).where(AuditEvent.id == ids()[0]))
    write(2, start=2)
    with pytest.raises(DBAPIError, match="append-only"):  # sealing must leave the row itself as it is
        with transaction() as session:
            session.execute(update(AuditEvent).values(seal_seq=99, prev_hash=GENESIS, row_hash="f" * 64,
                                                      subject_id="HR-9999").where(AuditEvent.id == ids()[-1]))


def test_a_changed_row_is_found(db):
    write(6)
    seal_chain()
    changed = ids()[3]
    tamper(db, update(AuditEvent).values(detail={"decision": "may perform"}).where(AuditEvent.id == changed))

    report = verify()
    assert not report.ok
    assert (report.broken.row_id, report.broken.reason.split(":")[0]) == (changed, "hash mismatch")


def test_a_removed_row_is_found_at_the_row_after_it(db):
    write(6)
    seal_chain()
    rows = ids()
    tamper(db, delete(AuditEvent).where(AuditEvent.id == rows[2]))

    report = verify()
    assert (report.broken.row_id, report.broken.reason.split(":")[0]) == (rows[3], "prev mismatch")


def test_cli_reports_ok_and_a_break_with_exit_1(db):
    write(4)
    result = CliRunner().invoke(app, ["audit-verify", "--seal"])
    assert result.exit_code == 0, result.output
    assert "sealed 4 row(s)" in result.output and "OK: 4 sealed row(s) verified, 0 unsealed" in result.output

    first = ids()[0]
    tamper(db, update(AuditEvent).values(subject_id="HR-9999").where(AuditEvent.id == first))
    result = CliRunner().invoke(app, ["audit-verify"])
    assert result.exit_code == 1
    assert f"BROKEN at audit row {first}" in result.output and "hash mismatch" in result.output


def test_concurrent_writers_and_sealers_make_one_chain(db):
    """Two sealers while two writers insert: every row sealed once, one unbroken chain."""
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            job()
        except BaseException as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)

    def writer(start: int) -> None:
        for k in range(5):
            write(4, start=start + 4 * k)

    def sealer() -> None:
        for _ in range(6):
            seal_chain(batch=5)

    threads = [threading.Thread(target=run, args=(job,)) for job in
               (lambda: writer(0), lambda: writer(100), sealer, sealer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seal_chain()

    report = verify()
    assert (report.ok, report.sealed, report.unsealed) == (True, 40, 0)
    with transaction() as session:
        seqs = sorted(session.execute(select(AuditEvent.seal_seq)).scalars())
    assert seqs == list(range(1, 41))
