"""The hiring-exclusion review end to end on a real Prefect server, 13 CSR 35-32.020 (7)(C)-(D)."""

import json
from datetime import date

import httpx
import pytest
from sqlmodel import select

from models.tables import AuditEvent
from tasks.context import transaction
from tests.conftest import API_URL, SERVICE
from tests.stack import wait_until
from tests.workflow import (DENY, denied_review, form_description, mails_about, new_review, notices_for, refused,
                            resume, review_row, state_of, wait_final, wait_for_task)


VIOLENT = {"category": "violent_or_sexual", "level": "misdemeanor", "offence_date": "2010-05-01"}
OLD_DRUG = {"category": "drug_related", "level": "felony", "offence_date": "2019-01-15",
            "disposition_date": "2020-03-02"}


def _mail_count(stack, review_id: str, n: int) -> list:
    return wait_until(lambda: (m := mails_about(stack.smtp, review_id)) and len(m) >= n and m, 30,
                      f"{n} mails about {review_id}")


def _audit_actions(review_id: str) -> list[str]:
    with transaction() as session:
        return list(session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == review_id)
                                 .order_by(AuditEvent.id)).all())


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)1.C")
def test_mandatory_exclusion_ends_without_review_and_cites_the_paragraph(stack):
    run_id = new_review("HR-T-MAND", offences=[VIOLENT], as_of=date(2026, 11, 2))
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert review_row("HR-T-MAND").status == "excluded_mandatory"
    [mail] = _mail_count(stack, "HR-T-MAND", 1)
    body = mail.get_body(("plain",)).get_content()
    assert "(7)(C)1.C" in body and "mandatory" in body


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)1.E")
def test_an_old_offence_with_a_recent_conviction_is_excluded_without_review(stack):
    recent = {**OLD_DRUG, "disposition_date": "2023-06-01"}  # offence 2019, conviction three years ago
    run_id = new_review("HR-T-RECENT", offences=[recent], as_of=date(2026, 11, 2))
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    review = review_row("HR-T-RECENT")
    assert (review.status, review.exclusion_paragraphs) == ("excluded_mandatory", "(7)(C)1.E")


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)1.E")
def test_felony_drug_offence_convicted_more_than_five_years_ago_goes_to_the_designee(stack):
    run_id = new_review("HR-T-OLD", offences=[OLD_DRUG], as_of=date(2026, 11, 2))
    task = wait_for_task(run_id, "designee-response")
    assert task.required_role == "designee"
    assert task.due_date == date(2026, 11, 17)  # ten business days; Nov 11 is Veterans Day


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.C", "13 CSR 35-32.020 (7)(C)2.D(II)")
def test_whole_review_from_intake_to_final_decision(stack):
    rid = "HR-T-FULL"
    run_id = new_review(rid, offences=[OLD_DRUG], as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")

    reason = refused(run_id, **DENY, decision_date=date(2026, 11, 3), decided_by="S-003")  # not a designee
    assert "does not hold the role 'designee'" in reason
    task = wait_for_task(run_id, "designee-response")
    assert (task.attempts, task.claimed_by) == (0, None)  # still waiting, for a designee

    resume(run_id, **DENY, decision_date=date(2026, 11, 3), decided_by="S-009")
    wait_for_task(run_id, "review-request-1")
    [decision_mail] = _mail_count(stack, rid, 1)
    text = decision_mail.get_body(("plain",)).get_content()
    assert "2026-12-03" in text and "administrative review" in text  # 30 days from the decision

    resume(run_id, received_on=date(2026, 11, 20), reasons="The offence predates rehabilitation.",
           decided_by="S-001")
    schedule = wait_for_task(run_id, "schedule-review-1")
    assert schedule.due_date == date(2026, 11, 25)  # three business days after Nov 20 (a Friday)
    assert review_row(rid).status == "review_requested"

    resume(run_id, review_date=date(2026, 11, 24), review_time="10:00", place="Room 4",
           scheduled_on=date(2026, 11, 23), decided_by="S-001")
    wait_for_task(run_id, "review-held-1")
    assert review_row(rid).status == "review_scheduled"

    resume(run_id, outcome="held: recommend the director affirm", reasons="No new information.",
           decided_by="S-009")
    wait_for_task(run_id, "director-decision")
    reason = refused(run_id, decision="affirm", reasons="Agree.", decided_on=date(2026, 11, 30), decided_by="S-009")
    assert "'S-009' may not decide: separation of duties" in reason

    resume(run_id, decision="affirm", reasons="Agree with the designee.", decided_on=date(2026, 11, 30),
           decided_by="S-003")
    run = wait_final(run_id)
    assert run["state"]["type"] == "COMPLETED"
    review = review_row(rid)
    assert (review.status, review.final_by, review.recommended_by) == ("final_affirmed", "S-003", "S-009")
    mails = _mail_count(stack, rid, 3)
    assert [m["Subject"].split(": ", 1)[1] for m in mails] == [
        "decision of the designee", "administrative review scheduled", "final decision of the director"]
    keys = sorted(n.idempotency_key for n in notices_for(rid))
    assert keys == sorted(f"{kind}:{rid}:1:{channel}" for kind in ("designee-decision", "review-scheduled",
                                                                   "final-decision") for channel in ("mail", "email"))
    assert {n.status for n in notices_for(rid) if n.channel == "mail"} == {"batched"}  # the mailroom's batch
    actions = _audit_actions(rid)
    assert actions.count("human_task.refused") == 2
    assert actions[-1] == "review.final_decision"
    with transaction() as session:
        final = session.exec(select(AuditEvent).where(AuditEvent.subject_id == rid,
                                                      AuditEvent.action == "human_task.answered")
                             .order_by(AuditEvent.id.desc())).first()
    assert (final.actor, final.detail["signed_in_as"], final.detail["method"]) == ("S-003", "S-003", "password")
    assert final.detail["address"] == "127.0.0.1"


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.A")
def test_late_request_is_refused_with_a_notice_that_says_why(stack):
    rid = "HR-T-LATE"
    run_id = denied_review(rid, date(2026, 10, 1))
    resume(run_id, received_on=date(2026, 11, 2), reasons="We disagree.", decided_by="S-002")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert review_row(rid).status == "request_refused"
    refusal = _mail_count(stack, rid, 2)[-1].get_body(("plain",)).get_content()
    assert "after the last day" in refusal and "2026-10-31" in refusal and "(7)(C)2.A" in refusal


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.B")
def test_unreasoned_request_is_refused_and_a_reasoned_one_still_accepted(stack):
    rid = "HR-T-NOREASON"
    run_id = denied_review(rid, date(2026, 11, 2))
    resume(run_id, received_on=date(2026, 11, 5), reasons="", decided_by="S-002")
    wait_for_task(run_id, "review-request-2")
    refusal = _mail_count(stack, rid, 2)[-1].get_body(("plain",)).get_content()
    assert "does not set out the reasons" in refusal and "(7)(C)2.B" in refusal
    resume(run_id, received_on=date(2026, 11, 9), reasons="New evidence of rehabilitation.", decided_by="S-002")
    wait_for_task(run_id, "schedule-review-1")
    assert review_row(rid).request_received_on == date(2026, 11, 9)


@pytest.mark.rule("13 CSR 35-32.020 (7)(D)1")
def test_former_employee_without_signed_release_has_no_review(stack):
    rid = "HR-T-NOAUTH"
    run_id = denied_review(rid, date(2026, 11, 2), employee=True, authorization=False)
    decision = _mail_count(stack, rid, 1)[0].get_body(("plain",)).get_content()
    assert "does not apply" in decision and "(7)(D)1" in decision
    resume(run_id, received_on=date(2026, 11, 4), reasons="Please review.", decided_by="S-001")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert review_row(rid).status == "request_refused"
    assert "(7)(D)1" in _mail_count(stack, rid, 2)[-1].get_body(("plain",)).get_content()


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.C")
def test_continuance_reschedules_and_the_exclusion_stays_in_effect(stack):
    rid = "HR-T-CONT"
    run_id = denied_review(rid, date(2026, 11, 2))
    resume(run_id, received_on=date(2026, 11, 4), reasons="Disputed.", decided_by="S-001")
    wait_for_task(run_id, "schedule-review-1")
    resume(run_id, review_date=date(2026, 11, 5), review_time="09:30", place="Room 2",
           scheduled_on=date(2026, 11, 6), decided_by="S-001")  # review before the day it is scheduled
    task = wait_for_task(run_id, "schedule-review-1")
    assert "before the day it was scheduled" in task.last_error
    assert "Not accepted" in form_description(run_id, task.pause_key)  # the form comes back with the reason
    resume(run_id, review_date=date(2026, 11, 9), review_time="09:30", place="Room 2",
           scheduled_on=date(2026, 11, 5), decided_by="S-001")
    wait_for_task(run_id, "review-held-1")
    resume(run_id, outcome="continued at the contractor's request", reasons="Counsel unavailable.",
           decided_by="S-001")
    wait_for_task(run_id, "schedule-review-2")
    assert review_row(rid).status == "review_requested"
    resume(run_id, review_date=date(2026, 11, 16), review_time="14:00", place="Room 2",
           scheduled_on=date(2026, 11, 10), decided_by="S-002")
    wait_for_task(run_id, "review-held-2")
    subjects = [m["Subject"] for m in _mail_count(stack, rid, 3)]
    assert sum("review scheduled" in s for s in subjects) == 2
    assert "remains in effect" in _mail_count(stack, rid, 3)[-1].get_body(("plain",)).get_content()


def test_runs_suspended_when_the_runner_dies_still_finish(stack):
    runs = {rid: new_review(rid, as_of=date(2026, 11, 2)) for rid in ("HR-T-KILL1", "HR-T-KILL2")}
    for run_id in runs.values():
        wait_for_task(run_id, "designee-response")
    stack.restart_runner(kill=True)
    for run_id in runs.values():
        assert state_of(run_id) == ("PAUSED", "Suspended")
        resume(run_id, decision="may provide case management", reasons="Unrelated offence.",
               decision_date=date(2026, 11, 3), decided_by="S-002")
    for rid, run_id in runs.items():
        assert wait_final(run_id)["state"]["type"] == "COMPLETED"
        assert review_row(rid).status == "approved"


def test_a_form_prefect_already_holds_does_not_fail_the_run_that_waits_again(stack):
    """Prefect writes a suspension's form after the Suspended state. When it is there already (the server did a
    write whose answer the client lost and retried, or the run was started again after a crash in between),
    Prefect refuses it with 409; the run writes it again and waits, instead of failing."""
    rid = "HR-T-FORM-TWICE"
    run_id = denied_review(rid, date(2026, 11, 2))
    resume(run_id, received_on=date(2026, 11, 4), reasons="Disputed.", decided_by="S-001")
    wait_for_task(run_id, "schedule-review-1")
    key = "suspended-schedule-review-1-2-schema"  # the form of the second attempt, written once already
    httpx.post(f"{API_URL}/flow_runs/{run_id}/input", json={"key": key, "value": json.dumps({"stale": True})},
               timeout=10, auth=SERVICE).raise_for_status()
    resume(run_id, review_date=date(2026, 11, 5), review_time="09:30", place="Room 2",
           scheduled_on=date(2026, 11, 6), decided_by="S-001")  # refused by the rule: asked again
    task = wait_for_task(run_id, "schedule-review-1")
    assert (task.attempts, task.pause_key) == (1, "schedule-review-1-2")

    def form() -> dict:  # the run is Suspended before Prefect writes the form, and the form is written again after
        value = httpx.get(f"{API_URL}/flow_runs/{run_id}/input/{key}", timeout=10, auth=SERVICE).json()
        return json.loads(value) if isinstance(value, str) else value
    assert "review_date" in wait_until(lambda: form().get("properties"), 30, "the form, not the stale value")
    assert "Not accepted" in form_description(run_id, task.pause_key)  # and its description, with the reason
    resume(run_id, review_date=date(2026, 11, 9), review_time="09:30", place="Room 2",
           scheduled_on=date(2026, 11, 5), decided_by="S-001")
    wait_for_task(run_id, "review-held-1")
