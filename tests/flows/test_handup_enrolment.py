"""Hand-Up enrolment on a real Prefect server (13 CSR 35-32.040 (1), (4)(A), (6))."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from models.handup import monthly_premium
from models.tables import Notice, Participant
from tasks.context import transaction
from tests.handup_cohort import application, apply, seed_providers
from tests.workflow import refused, resume, wait_final, wait_for_task

ELIGIBILITY = "13 CSR 35-32.040 (1)(A)"


@pytest.fixture(scope="module", autouse=True)
def providers(stack):
    seed_providers()


def participant(participant_id: str) -> Participant:
    with transaction() as session:
        return session.get(Participant, participant_id)


def letters(participant_id: str) -> list[Notice]:
    with transaction() as session:
        return list(session.exec(select(Notice).where(Notice.subject_id == participant_id,
                                                      Notice.channel == "mail").order_by(Notice.id)).all())


@pytest.mark.rule("13 CSR 35-32.040 (4)(A)", "13 CSR 35-32.040 (1)(F)")
def test_the_worker_enrols_and_the_notice_gives_the_premium(stack):
    run_id = apply(application("HU-E-OK"))
    wait_for_task(run_id, "approve-enrolment")
    assert "does not hold the role 'eligibility_worker'" in refused(run_id, approve=True, enrolled_on=date(2026, 1, 5),
                                                                    decided_by="S-007")
    resume(run_id, approve=True, enrolled_on=date(2026, 1, 5), decided_by="S-006")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    p = participant("HU-E-OK")
    assert p.status == "enrolled" and p.premium == monthly_premium(Decimal("2600.00"), 3, date(2026, 1, 5))
    assert p.first_month == date(2026, 1, 1)
    [letter] = letters("HU-E-OK")
    assert letter.notice_type == "handup-enrolled" and f"${p.premium:,.2f}" in letter.body_text


@pytest.mark.rule(ELIGIBILITY, "13 CSR 35-32.040 (1)(D)", "13 CSR 35-32.040 (1)(E)")
def test_an_application_failing_the_rules_is_refused_with_every_paragraph(stack):
    run_id = apply(application("HU-E-NO", months=3, consent_days=91, agrees=False))
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    p = participant("HU-E-NO")
    assert p.status == "refused"
    assert [u["paragraph"] for u in p.unmet] == ["13 CSR 35-32.040 (1)(A)", "13 CSR 35-32.040 (1)(D)",
                                                 "13 CSR 35-32.040 (1)(E)"]
    [letter] = letters("HU-E-NO")
    assert letter.notice_type == "handup-refused"
    for paragraph in ("(1)(A)", "(1)(D)", "(1)(E)"):
        assert paragraph in letter.body_text


@pytest.mark.rule("13 CSR 35-32.040 (1)")
def test_the_worker_refuses_only_with_written_reasons(stack):
    run_id = apply(application("HU-E-WREF"))
    wait_for_task(run_id, "approve-enrolment")
    resume(run_id, approve=False, enrolled_on=date(2026, 1, 5), decided_by="S-006")
    task = wait_for_task(run_id, "approve-enrolment")
    assert "written reasons" in task.last_error
    resume(run_id, approve=False, enrolled_on=date(2026, 1, 5), reasons="Income not verified (doc D-17).",
           decided_by="S-006")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert participant("HU-E-WREF").status == "refused"
    assert "Income not verified" in letters("HU-E-WREF")[0].body_text
