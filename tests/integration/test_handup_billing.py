"""Monthly premium billing, 13 CSR 35-32.040 (4)(A)-(B) (tasks/handup/billing.py, flows/handup_billing.py), on
SQLite and PostgreSQL: each test gets a freshly migrated database of its own, because billing a month bills every
enrolled participant in the database.

PostgreSQL: a throw-away database `cwa_test_<random>` on 127.0.0.1:5432 (trust auth), dropped afterwards; skipped
when the server is not reachable, unless CWA_REQUIRE_POSTGRES=1 (tests/databases.py).
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from flows.handup_billing import handup_billing
from models.errors import RuleViolation
from models.tables import AuditEvent, Notice, Participant, PremiumBill
from tasks.context import settings, transaction
from tasks.handup.billing import bill_month, check_billing_time
from tasks.handup.common import participant_recipient
from tasks.notices.outbox import notify
from tests.databases import BACKENDS, fresh_database
from tests.handup_factory import make_participant

A = "13 CSR 35-32.040 (4)(A)"
B = "13 CSR 35-32.040 (4)(B)"
pytestmark = pytest.mark.rule(A, B)
DEC = date(2026, 12, 1)  # due 2026-12-31; with 3 transit days, to the mail by Friday 2026-12-11
AS_OF = date(2026, 12, 1)


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def db(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        yield url


def enrol(*specs: dict) -> None:
    with transaction() as session:
        for spec in specs:
            spec = dict(spec)
            make_participant(session, spec.pop("id"), **{"premium": Decimal("120.00"), "first_month": DEC, **spec})


def bills() -> dict[str, PremiumBill]:
    with transaction() as session:
        return {b.participant_id: b for b in session.exec(select(PremiumBill)).all()}


def notices() -> dict[str, Notice]:
    with transaction() as session:
        return {n.idempotency_key: n for n in session.exec(select(Notice)).all()}


def credits() -> dict[str, Decimal]:
    with transaction() as session:
        return {p.id: p.credit for p in session.exec(select(Participant)).all()}


def test_bills_are_due_on_the_last_day_and_mailed_fifteen_days_before(db):
    enrol({"id": "HU-1"}, {"id": "HU-2", "premium": Decimal("87.65"), "first_month": date(2026, 6, 1)})
    totals = bill_month(DEC, AS_OF)
    assert totals == {"bills": 2, "notices": 2, "credit_applied": 0, "address_errors": 0, "batches": 1}
    found = bills()
    assert {p: (b.coverage_month, b.due_on, b.mail_by, b.amount, b.paid, b.status) for p, b in found.items()} == {
        "HU-1": (DEC, date(2026, 12, 31), date(2026, 12, 11), Decimal("120.00"), Decimal("0.00"), "open"),
        "HU-2": (DEC, date(2026, 12, 31), date(2026, 12, 11), Decimal("87.65"), Decimal("0.00"), "open")}
    letter = notices()["handup-premium:HU-2:2026-12:mail"]
    assert (letter.channel, letter.mail_by, letter.status) == ("mail", date(2026, 12, 11), "queued")
    assert letter.subject_line == "Hand-Up HU-2: premium of $87.65 due 2026-12-31"
    assert "Your Hand-Up premium for December 2026 is $87.65. It is due on or before 2026-12-31." in letter.body_text
    assert "please pay $87.65 by 2026-12-31" in letter.body_text
    assert settings().handup_how_to_pay in letter.body_text
    assert letter.address == "Family HU-2 / 100 Test Ave / JEFFERSON CITY MO 65101"
    with transaction() as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "handup.billed")).one()
    assert (audit.subject_id, audit.rule, audit.detail["bills"]) == ("2026-12", "13 CSR 35-32.040 (4)(A)-(B)", 2)


def test_an_email_copy_goes_only_to_participants_who_opted_in(db):
    enrol({"id": "HU-IN", "email": "in@family.example", "email_opt_in": True},
          {"id": "HU-OUT", "email": "out@family.example"}, {"id": "HU-NONE"})
    assert bill_month(DEC, AS_OF)["notices"] == 4
    found = notices()
    assert sorted(found) == ["handup-premium:HU-IN:2026-12:email", "handup-premium:HU-IN:2026-12:mail",
                             "handup-premium:HU-NONE:2026-12:mail", "handup-premium:HU-OUT:2026-12:mail"]
    copy, letter = found["handup-premium:HU-IN:2026-12:email"], found["handup-premium:HU-IN:2026-12:mail"]
    assert (copy.channel, copy.address, copy.mail_by) == ("email", "in@family.example", None)
    assert copy.postal_address == letter.postal_address and copy.content_hash == letter.content_hash


def test_the_rows_are_those_notify_writes(db):
    enrol({"id": "HU-N", "email": "n@family.example", "email_opt_in": True, "credit": Decimal("20.00")})
    bill_month(DEC, AS_OF)
    bulk = {n.channel: n for n in notices().values()}
    with transaction() as session:
        p = session.get(Participant, "HU-N")
        context = {"division_name": settings().division_name, "notice_date": "2026-12-01", "participant_id": "HU-N",
                   "reference": "HU-N", "coverage_month": "December 2026", "amount": "$120.00",
                   "due_on": "2026-12-31", "credit": "$20.00", "amount_to_pay": "$100.00",
                   "how_to_pay": settings().handup_how_to_pay}
        one = notify(session, notice_type="handup-premium", key="compare", recipient=participant_recipient(p),
                     subject_type="handup_participant", subject_id="HU-N", context=context)
        fields = ("notice_type", "recipient_type", "recipient_id", "address", "subject_type", "subject_id", "template",
                  "template_version", "subject_line", "body_text", "body_html", "content_hash", "postal_address",
                  "letter_body")
        expected = {n.channel: {f: getattr(n, f) for f in fields} for n in one}
        session.rollback()
    assert {c: {f: getattr(n, f) for f in fields} for c, n in bulk.items()} == expected


def test_a_rerun_for_the_same_month_changes_nothing(db):
    enrol({"id": "HU-R1", "credit": Decimal("30.00")}, {"id": "HU-R2", "email": "r2@family.example",
                                                         "email_opt_in": True})
    first = bill_month(DEC, AS_OF)
    before = (bills(), {k: n.content_hash for k, n in notices().items()}, credits())
    again = bill_month(DEC, date(2026, 12, 9))
    assert first["bills"] == 2 and again == dict.fromkeys(first, 0)
    after = (bills(), {k: n.content_hash for k, n in notices().items()}, credits())
    assert {p: b.model_dump() for p, b in after[0].items()} == {p: b.model_dump() for p, b in before[0].items()}
    assert after[1:] == before[1:]


def test_a_carried_credit_is_applied_to_the_new_bill(db):
    enrol({"id": "HU-C1", "credit": Decimal("50.00")}, {"id": "HU-C2", "credit": Decimal("200.00")},
          {"id": "HU-C3", "credit": Decimal("120.00")})
    assert bill_month(DEC, AS_OF)["credit_applied"] == 3
    found = bills()
    assert {p: (b.paid, b.status) for p, b in found.items()} == {
        "HU-C1": (Decimal("50.00"), "open"), "HU-C2": (Decimal("120.00"), "paid"),
        "HU-C3": (Decimal("120.00"), "paid")}
    left = credits()
    assert (left["HU-C1"], left["HU-C2"], left["HU-C3"]) == (Decimal("0.00"), Decimal("80.00"), Decimal("0.00"))
    text_c1 = notices()["handup-premium:HU-C1:2026-12:mail"].body_text
    assert "Premium $120.00, less your credit of $50.00: please pay $70.00 by 2026-12-31." in text_c1
    assert "please pay $0.00" in notices()["handup-premium:HU-C2:2026-12:mail"].body_text


def test_participants_not_enrolled_or_not_yet_started_are_not_billed(db):
    enrol({"id": "HU-E"}, {"id": "HU-APPLIED", "status": "applied"}, {"id": "HU-REMOVED", "status": "removed"},
          {"id": "HU-OPTED", "status": "opted_out"}, {"id": "HU-REFUSED", "status": "refused"},
          {"id": "HU-JAN", "first_month": date(2027, 1, 1)}, {"id": "HU-NOMONTH", "first_month": None},
          {"id": "HU-NOPREMIUM", "premium": None})
    assert bill_month(DEC, AS_OF)["bills"] == 1
    assert list(bills()) == ["HU-E"] and len(notices()) == 1


def test_a_bad_address_is_not_billed_and_the_rest_are(db):
    enrol({"id": "HU-A1"}, {"id": "HU-A2", "zip_code": "6510"}, {"id": "HU-A3"})
    totals = bill_month(DEC, AS_OF, batch_size=2)
    assert (totals["bills"], totals["address_errors"]) == (2, 1)
    assert sorted(bills()) == ["HU-A1", "HU-A3"]


def test_billing_too_late_to_mail_the_notices_is_refused(db):
    assert check_billing_time(DEC, date(2026, 12, 11), 3).mail_by == date(2026, 12, 11)
    with pytest.raises(RuleViolation) as refused:
        check_billing_time(DEC, date(2026, 12, 12), 3)
    assert refused.value.rule == A and "2026-12-11" in str(refused.value)
    enrol({"id": "HU-LATE"})
    with pytest.raises(RuleViolation):
        handup_billing.fn(coverage_month=DEC, as_of=date(2026, 12, 14))
    assert bills() == {} and notices() == {}


def _snapshot() -> tuple:
    drop = {"id", "created_at"}
    with transaction() as session:
        return ([b.model_dump(exclude={"id"}) for b in session.exec(select(PremiumBill).order_by(
                    PremiumBill.participant_id)).all()],
                [n.model_dump(exclude=drop) for n in session.exec(select(Notice).order_by(
                    Notice.idempotency_key)).all()],
                credits())


def test_small_batches_give_the_same_result_as_one_batch(backend, tmp_path):
    people = [{"id": f"HU-B{n:02d}", "premium": Decimal(f"{40 + n}.25"), "credit": Decimal(n % 3 * 25),
               "email": f"b{n}@family.example" if n % 2 else None, "email_opt_in": n % 4 == 1,
               "status": "enrolled" if n % 5 else "applied"} for n in range(13)]
    results = []
    for size in (2, 1000):
        with fresh_database(backend, tmp_path):
            enrol(*people)
            totals = bill_month(DEC, AS_OF, batch_size=size)
            results.append(({k: v for k, v in totals.items() if k != "batches"}, _snapshot()))
    assert results[0] == results[1]
    assert results[0][0]["bills"] == 10


def test_the_flow_bills_publishes_counts_only_and_hands_the_letters_to_the_mail(tmp_path, monkeypatch):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.testing.utilities import prefect_test_harness

    from tests.stack import SmtpSink, free_port

    port = free_port()
    monkeypatch.setattr(settings(), "smtp_port", port)
    monkeypatch.setattr(settings(), "mail_transport", "mailroom")
    monkeypatch.setattr(settings(), "mailroom_dir", str(tmp_path / "mailroom"))
    monkeypatch.setattr(settings(), "handup_batch_size", 2)
    sink = SmtpSink(port).start()
    try:
        with fresh_database("sqlite", tmp_path), prefect_test_harness():
            enrol({"id": "HU-F1", "email": "f1@family.example", "email_opt_in": True}, {"id": "HU-F2"},
                  {"id": "HU-F3", "credit": Decimal("500.00")})
            state = handup_billing(coverage_month=date(2026, 12, 17), as_of=AS_OF, return_state=True)
            summary = state.result()
            with get_client(sync_client=True) as client:
                run = client.read_flow_run(state.state_details.flow_run_id)
                artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
            letters = [n for n in notices().values() if n.channel == "mail"]
    finally:
        sink.stop()
    assert run.name == "handup-billing-2026-12"
    assert (summary["bills"], summary["notices"], summary["credit_applied"], summary["batches"]) == (3, 4, 1, 2)
    assert (summary["mail by"], summary["delivery: batched"], summary["delivery: sent"]) == ("2026-12-11", 3, 1)
    assert {n.status for n in letters} == {"batched"} and {n.mail_by for n in letters} == {date(2026, 12, 11)}
    assert {a.type for a in artifacts} >= {"progress", "markdown"}
    published = " ".join(str(a.data) + str(a.description) for a in artifacts)
    assert "| bills | 3 |" in published
    assert "Family" not in published and "@" not in published and "Test Ave" not in published


def test_the_command_line_bills_in_process_and_shows_the_counts(db):
    from typer.testing import CliRunner

    from flows.cli import app

    cli = CliRunner()
    enrol({"id": "HU-CLI1", "email": "c@family.example", "email_opt_in": True}, {"id": "HU-CLI2"})
    late = cli.invoke(app, ["handup", "billing", "run", "--month", "2026-12", "--as-of", "2026-12-12"])
    assert late.exit_code == 1 and "too late to bill 2026-12" in late.output
    result = cli.invoke(app, ["handup", "billing", "run", "--month", "2026-12", "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "2 participant(s) to bill, due 2026-12-31, letters to the mail by 2026-12-11" in " ".join(
        result.output.split())
    status = cli.invoke(app, ["handup", "billing", "status", "--month", "2026-12"])
    assert status.exit_code == 0, status.output
    rows = [" ".join(line.replace("│", " ").split()) for line in status.output.splitlines()]
    assert "open 2" in rows and "email queued 1" in rows and "mail queued 2" in rows
    again = cli.invoke(app, ["handup", "billing", "run", "--month", "2026-12", "--as-of", "2026-12-02"])
    assert "0 participant(s) to bill" in " ".join(again.output.split()) and len(bills()) == 2


def test_delivery_hands_the_letter_due_first_to_the_mail_first(db, tmp_path, monkeypatch):
    from tasks.notices.delivery import deliver_due

    monkeypatch.setattr(settings(), "mail_transport", "mailroom")
    monkeypatch.setattr(settings(), "mailroom_dir", str(tmp_path / "mailroom"))
    enrol({"id": "HU-D1"})
    bill_month(date(2027, 1, 1), AS_OF)  # to the mail by 2027-01-13, queued first
    bill_month(DEC, AS_OF)  # to the mail by 2026-12-11
    assert deliver_due(limit=1, today=AS_OF, max_batches=1)["batched"] == 1
    assert {k for k, n in notices().items() if n.status == "batched"} == {"handup-premium:HU-D1:2026-12:mail"}
