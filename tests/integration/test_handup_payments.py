"""Premium payments, 13 CSR 35-32.040 (4)(B) and (4)(D) (tasks/handup/payments.py, `cwa handup payments import`):
all or nothing, every bad row by its number, the oldest open bill first, the rest carried as credit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from flows.cli import app
from models.errors import ImportRejected, RuleViolation
from models.handup import coverage_due_date
from models.migrate import upgrade
from models.tables import AuditEvent, Participant, PaymentAllocation, PremiumBill, PremiumPayment
from tasks.context import settings, transaction
from tasks.handup.payments import import_payments
from tests.handup_factory import make_participant

B = "13 CSR 35-32.040 (4)(B)"
D = "13 CSR 35-32.040 (4)(D)"
pytestmark = pytest.mark.rule(D)
HEADER = "reference,participant_id,received_on,amount\n"
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture(autouse=True)
def database():
    upgrade(settings().database_url)


def participant(pid: str, months=(JAN, FEB, MAR), amount="100.00", status="enrolled", credit="0") -> None:
    """A participant with a bill of `amount` for each month, all open."""
    with transaction() as session:
        make_participant(session, pid, premium=Decimal(amount), first_month=months[0] if months else None,
                         status=status, credit=Decimal(credit))
        for month in months:
            due = coverage_due_date(month)
            session.add(PremiumBill(participant_id=pid, coverage_month=month, due_on=due,
                                    mail_by=due - timedelta(days=20), amount=Decimal(amount)))


def bills(pid: str) -> list[tuple[str, Decimal, str]]:
    with transaction() as session:
        return [(b.coverage_month.strftime("%Y-%m"), b.paid, b.status) for b in session.exec(
            select(PremiumBill).where(PremiumBill.participant_id == pid).order_by(PremiumBill.coverage_month))]


def credit(pid: str) -> Decimal:
    with transaction() as session:
        return session.get(Participant, pid).credit


def run(text: str, source: str = "processor"):
    with transaction() as session:
        return import_payments(session, csv_text=HEADER + text, source=source, actor="S-006")


def counts() -> tuple:
    with transaction() as session:
        tables = [session.exec(select(func.count()).select_from(t)).one()
                  for t in (PremiumPayment, PaymentAllocation, AuditEvent)]
        paid = session.exec(select(func.sum(PremiumBill.paid))).one()
        credits = session.exec(select(func.sum(Participant.credit))).one()
        return (*tables, paid, credits)


def test_a_bad_file_imports_nothing_and_names_every_bad_row_by_its_number():
    participant("HU-PAY-A1")
    run("PAY-A-OLD,HU-PAY-A1,2026-02-10,10.00\n")
    before = counts()
    text = ("PAY-A-1,HU-PAY-A1,2026-02-10,100.00\n"  # row 2: good
            "PAY-A-2,HU-PAY-A1,2026-02-10,ten\n"  # row 3
            "PAY-A-3,HU-PAY-A1,2026-02-10,-5.00\n"  # row 4
            "PAY-A-4,HU-PAY-A1,2026-02-10,0\n"  # row 5
            "PAY-A-5,HU-PAY-A1,2026-02-30,5.00\n"  # row 6
            "PAY-A-6,HU-NOBODY,2026-02-10,5.00\n"  # row 7
            "PAY-A-1,HU-PAY-A1,2026-02-11,5.00\n"  # row 8: the reference of row 2 again
            "\n"
            "PAY-A-OLD,HU-PAY-A1,2026-02-12,5.00\n"  # row 10: imported before
            "PAY-A-8,HU-PAY-A1,2026-02-12,5.001\n")  # row 11
    with pytest.raises(ImportRejected) as rejected:
        run(text)
    assert [row for row, _ in rejected.value.errors] == [3, 4, 5, 6, 7, 8, 10, 11]
    reasons = dict(rejected.value.errors)
    assert reasons[3] == "amount 'ten' is not a number of dollars"
    assert reasons[4] == reasons[5].replace("'0'", "'-5.00'") == "amount '-5.00' must be more than zero"
    assert reasons[6] == "received_on '2026-02-30' is not a date YYYY-MM-DD"
    assert reasons[7] == "unknown participant 'HU-NOBODY'"
    assert reasons[8] == "duplicate reference 'PAY-A-1' (first seen on row 2)"
    assert reasons[10] == "reference 'PAY-A-OLD' was imported before"
    assert "2 decimal places" in reasons[11]
    assert "nothing imported" in str(rejected.value)
    assert counts() == before
    assert bills("HU-PAY-A1")[0] == ("2026-01", Decimal("10.00"), "open")


def test_the_same_reference_is_refused_in_a_second_import():
    participant("HU-PAY-B1")
    first = run("PAY-B-1,HU-PAY-B1,2026-02-10,50.00\n", source="payroll")
    assert (first.payments, first.total, first.source) == (1, Decimal("50.00"), "payroll")
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        run("PAY-B-2,HU-PAY-B1,2026-02-11,20.00\nPAY-B-1,HU-PAY-B1,2026-02-10,50.00\n")
    assert rejected.value.errors == [(3, "reference 'PAY-B-1' was imported before")]
    assert counts() == before


@pytest.mark.parametrize("header", ["reference,participant_id,amount\n", "",
                                    "reference,participant,received_on,amount\n"])
def test_a_wrong_header_is_refused_as_row_1(header):
    with transaction() as session, pytest.raises(ImportRejected) as rejected:
        import_payments(session, csv_text=header + "X,HU-1,2026-01-01,1.00\n", source="payroll", actor="S-006")
    assert rejected.value.errors[0][0] == 1


def test_an_unknown_source_and_an_empty_file_are_refused():
    with transaction() as session, pytest.raises(RuleViolation, match="payroll, processor"):
        import_payments(session, csv_text=HEADER, source="bank", actor="S-006")
    with pytest.raises(ImportRejected, match="no payments"):
        run("")


@pytest.mark.rule(B, D)
def test_a_payment_pays_the_oldest_open_bill_first():
    participant("HU-PAY-C1")
    summary = run("PAY-C-1,HU-PAY-C1,2026-03-05,150.00\n")
    assert bills("HU-PAY-C1") == [("2026-01", Decimal("100.00"), "paid"), ("2026-02", Decimal("50.00"), "open"),
                                  ("2026-03", Decimal("0.00"), "open")]
    assert (summary.applied, summary.to_credit, summary.bills_paid) == (Decimal("150.00"), Decimal("0.00"), 1)
    with transaction() as session:
        payment = session.exec(select(PremiumPayment).where(PremiumPayment.reference == "PAY-C-1")).one()
        parts = session.exec(select(PremiumBill.coverage_month, PaymentAllocation.amount).join(PremiumBill)
                             .where(PaymentAllocation.payment_id == payment.id).order_by(PremiumBill.due_on)).all()
    assert [(m.month, a) for m, a in parts] == [(1, Decimal("100.00")), (2, Decimal("50.00"))]
    assert (payment.source, payment.import_id) == ("processor", summary.import_id)


@pytest.mark.rule(B, D)
def test_a_partial_payment_leaves_the_bill_open_and_the_next_payment_finishes_it():
    participant("HU-PAY-D1", months=(JAN,))
    run("PAY-D-1,HU-PAY-D1,2026-01-20,40.00\n")
    assert bills("HU-PAY-D1") == [("2026-01", Decimal("40.00"), "open")]
    run("PAY-D-2,HU-PAY-D1,2026-01-25,60.00\n")
    assert bills("HU-PAY-D1") == [("2026-01", Decimal("100.00"), "paid")]
    assert credit("HU-PAY-D1") == Decimal("0")


@pytest.mark.rule(B, D)
def test_what_is_left_is_carried_as_credit_and_payments_apply_in_the_order_received():
    participant("HU-PAY-E1", months=(JAN, FEB), credit="5.00")
    participant("HU-PAY-E2", months=(JAN,))
    summary = run("PAY-E-2,HU-PAY-E1,2026-02-20,130.00\n"
                  "PAY-E-1,HU-PAY-E1,2026-02-01,80.00\n"
                  "PAY-E-3,HU-PAY-E2,2026-02-01,100.00\n")
    assert bills("HU-PAY-E1") == [("2026-01", Decimal("100.00"), "paid"), ("2026-02", Decimal("100.00"), "paid")]
    assert credit("HU-PAY-E1") == Decimal("15.00")
    assert bills("HU-PAY-E2") == [("2026-01", Decimal("100.00"), "paid")]
    assert (summary.payments, summary.participants, summary.bills_paid) == (3, 2, 3)
    assert (summary.total, summary.applied, summary.to_credit) == (Decimal("310.00"), Decimal("300.00"),
                                                                   Decimal("10.00"))
    with transaction() as session:
        first = session.exec(select(PremiumPayment.id).where(PremiumPayment.reference == "PAY-E-1")).one()
        months = session.exec(select(PremiumBill.coverage_month).join(PaymentAllocation)
                              .where(PaymentAllocation.payment_id == first)).all()
        assert months == [JAN]  # the payment received first paid January
        audit = session.exec(select(AuditEvent).where(AuditEvent.subject_id == summary.import_id)).all()
    assert len(audit) == 1 and audit[0].action == "handup.payments.imported" and audit[0].rule == D
    assert audit[0].detail | {"import_id": summary.import_id} == {
        "import_id": summary.import_id, "source": "processor", "payments": 3, "participants": 2, "total": "310.00",
        "applied": "300.00", "to_credit": "10.00", "allocations": 4, "bills_paid": 3}


@pytest.mark.rule(B, D, "13 CSR 35-32.040 (6)")
def test_a_payment_after_leaving_still_pays_the_debt_or_is_kept_as_credit():
    participant("HU-PAY-F1", months=(JAN,), status="opted_out")  # the month before opting out stays owed
    participant("HU-PAY-F2", months=(JAN,), status="removed")
    with transaction() as session:
        session.exec(select(PremiumBill).where(PremiumBill.participant_id == "HU-PAY-F2")).one().status = "cancelled"
    run("PAY-F-1,HU-PAY-F1,2026-04-01,100.00\nPAY-F-2,HU-PAY-F2,2026-04-01,100.00\n")
    assert bills("HU-PAY-F1") == [("2026-01", Decimal("100.00"), "paid")]
    assert bills("HU-PAY-F2") == [("2026-01", Decimal("0.00"), "cancelled")]
    assert credit("HU-PAY-F2") == Decimal("100.00")


def test_the_command_imports_a_file_and_prints_the_counts(tmp_path):
    participant("HU-PAY-G1", months=(JAN,))
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + "PAY-G-1,HU-PAY-G1,2026-01-15,125.00\n", encoding="utf-8")
    bad.write_text(HEADER + "PAY-G-2,HU-PAY-G1,2026-01-15,abc\n", encoding="utf-8")
    cli = CliRunner()
    result = cli.invoke(app, ["handup", "payments", "import", str(good), "--source", "payroll", "--by", "S-006"])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "1 payment(s) from payroll for 1 participant(s), total $125.00" in shown
    assert "applied to bills: $100.00 (1 bill(s) now paid)" in shown and "carried as credit: $25.00" in shown
    result = cli.invoke(app, ["handup", "payments", "import", str(bad), "--source", "payroll", "--by", "S-006"])
    assert result.exit_code == 1 and "row 2" in result.output and "nothing imported" in result.output
    result = cli.invoke(app, ["handup", "payments", "import", str(good), "--source", "bank", "--by", "S-006"])
    assert result.exit_code == 2
