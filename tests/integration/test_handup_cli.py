"""`cwa handup` for applications, opt-outs, hearing requests and status: bad input gets a clear error and
leaves nothing written (13 CSR 35-32.040 (1), (5), (6))."""

import json
from datetime import date

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from flows.cli import app
from models.migrate import upgrade
from models.tables import AuditEvent, Participant
from tasks.context import settings, transaction
from tasks.handup.demo import sample_application, seed_providers

cli = CliRunner()


@pytest.fixture(autouse=True)
def database():
    upgrade(settings().database_url)
    with transaction() as session:
        seed_providers(session)


def written() -> tuple[int, int]:
    with transaction() as session:
        return (session.exec(select(func.count()).select_from(Participant)).one(),
                session.exec(select(func.count()).select_from(AuditEvent)).one())


def application_file(tmp_path, pid: str, **changes) -> str:
    data = json.loads(sample_application(pid).model_dump_json()) | changes
    path = tmp_path / f"{pid}.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.rule("13 CSR 35-32.040 (1)")
@pytest.mark.parametrize("changes, message", [
    ({"adjusted_gross_income": "-1.00"}, "adjusted_gross_income"),
    ({"adjusted_gross_income": "lots"}, "adjusted_gross_income"),
    ({"family_size": 0}, "family_size"),
    ({"provider_id": "PP-NOPE"}, "not a designated Hand-Up pilot provider"),
    ({"nickname": "Rosie"}, "nickname"),
    ({"address": {"name": "R. F.", "line1": "1 Main St", "city": "Kansas City", "state": "ZZ",
                  "zip_code": "64111"}}, "state"),
], ids=["negative income", "non-numeric income", "family of 0", "unknown provider", "unknown field", "bad state"])
def test_a_bad_application_is_refused_and_nothing_is_written(tmp_path, changes, message):
    before = written()
    result = cli.invoke(app, ["handup", "apply", application_file(tmp_path, "HU-CLI-BAD", **changes),
                              "--by", "S-006", "--no-start"])
    assert result.exit_code == 1 and "error" in result.output and message in result.output
    assert written() == before


@pytest.mark.rule("13 CSR 35-32.040 (1)")
def test_an_application_is_recorded_once(tmp_path):
    path = application_file(tmp_path, "HU-CLI-OK")
    result = cli.invoke(app, ["handup", "apply", path, "--by", "S-006", "--no-start"])
    assert result.exit_code == 0 and "recorded HU-CLI-OK" in result.output
    again = cli.invoke(app, ["handup", "apply", path, "--by", "S-006", "--no-start"])
    assert again.exit_code == 1 and "exists already" in again.output
    status = cli.invoke(app, ["handup", "status", "HU-CLI-OK"])
    assert status.exit_code == 0 and "applied" in status.output and "benefit $1,570.00" in status.output


@pytest.mark.rule("13 CSR 35-32.040 (5)", "13 CSR 35-32.040 (6)")
@pytest.mark.parametrize("command, message", [
    (["opt-out", "HU-CLI-NOPE"], "no Hand-Up participant 'HU-CLI-NOPE'"),
    (["hearing-request", "HU-CLI-NOPE"], "no Hand-Up participant 'HU-CLI-NOPE'"),
    (["status", "HU-CLI-NOPE"], "no Hand-Up participant 'HU-CLI-NOPE'"),
    (["opt-out", "HU-CLI-APPLIED"], "is applied, not enrolled"),
    (["hearing-request", "HU-CLI-APPLIED"], "has no notice of adverse action"),
    (["opt-out", "HU-CLI-APPLIED", "--on", "26/11/2026"], "is not a date"),
], ids=["opt-out unknown", "hearing unknown", "status unknown", "opt-out not enrolled", "nothing to appeal",
        "bad date"])
def test_participant_commands_refuse_what_the_rule_does_not_allow(tmp_path, command, message):
    with transaction() as session:
        if session.get(Participant, "HU-CLI-APPLIED") is None:
            from tasks.handup.enrolment import store_application
            store_application(session, sample_application("HU-CLI-APPLIED"), actor="test")
    before = written()
    result = cli.invoke(app, ["handup", *command, "--by", "S-006"] if command[0] != "status" else ["handup", *command])
    assert result.exit_code == 1 and message in " ".join(result.output.split())
    assert written() == before


@pytest.mark.rule("13 CSR 35-32.040 (6)")
def test_opting_out_cancels_later_bills_and_confirms_by_letter():
    from decimal import Decimal

    from models.tables import Notice, PremiumBill
    from tasks.handup.enrolment import store_application

    with transaction() as session:
        store_application(session, sample_application("HU-CLI-OUT"), actor="test")
        p = session.get(Participant, "HU-CLI-OUT")
        p.status, p.enrolled_on, p.first_month, p.premium = "enrolled", date(2026, 1, 5), date(2026, 1, 1), Decimal(9)
        for month in (date(2026, 1, 1), date(2026, 2, 1)):
            session.add(PremiumBill(participant_id=p.id, coverage_month=month, due_on=month, mail_by=month,
                                    amount=Decimal(9)))
    result = cli.invoke(app, ["handup", "opt-out", "HU-CLI-OUT", "--on", "2026-01-20", "--by", "S-006"])
    assert result.exit_code == 0 and "1 later bill(s) cancelled" in result.output
    with transaction() as session:
        assert session.get(Participant, "HU-CLI-OUT").status == "opted_out"
        statuses = session.exec(select(PremiumBill.status).where(PremiumBill.participant_id == "HU-CLI-OUT")
                                .order_by(PremiumBill.coverage_month)).all()
        letters = session.exec(select(Notice.notice_type).where(Notice.subject_id == "HU-CLI-OUT")).all()
    assert statuses == ["open", "cancelled"] and letters == ["handup-opted-out"]
    again = cli.invoke(app, ["handup", "opt-out", "HU-CLI-OUT", "--by", "S-006"])
    assert again.exit_code == 1 and "opted_out, not enrolled" in again.output
