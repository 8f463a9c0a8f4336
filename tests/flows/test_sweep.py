"""The deadline sweep: timers, escalation after three business days, reminders, exactly once."""

from datetime import date

import pytest
from sqlmodel import func, select

from models.tables import AuditEvent, HumanTask, Notice
from tasks.context import transaction
from tests.stack import wait_until
from tests.workflow import denied_review, new_review, resume, review_row, run_sweep, wait_final, wait_for_task


def _count(model, *where) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _mails_mentioning(stack, text: str) -> list:
    return [m for m in stack.smtp.messages if text in m.get_body(("plain",)).get_content()]


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.A")
def test_thirty_days_without_a_request_close_the_review_once(stack):
    rid = "HR-S-TIMER"
    run_id = denied_review(rid, date(2026, 10, 1))
    assert wait_for_task(run_id, "review-request-1").due_date == date(2026, 10, 31)

    assert run_sweep(date(2026, 10, 31))["state"]["type"] == "COMPLETED"  # the last day to ask
    assert wait_for_task(run_id, "review-request-1").status == "open"

    assert run_sweep(date(2026, 11, 1))["state"]["type"] == "COMPLETED"
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert review_row(rid).status == "final_no_request"
    fired = _count(AuditEvent, AuditEvent.subject_id == rid, AuditEvent.action == "human_task.deadline_passed")
    assert fired == 1

    run_sweep(date(2026, 11, 1))
    assert _count(AuditEvent, AuditEvent.subject_id == rid,
                  AuditEvent.action == "human_task.deadline_passed") == 1


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)2.C")
def test_review_not_scheduled_by_the_third_business_day_is_escalated_once(stack):
    rid = "HR-S-ESC"
    run_id = denied_review(rid, date(2026, 11, 2))
    resume(run_id, received_on=date(2026, 11, 20), reasons="Disputed.", decided_by="S-001")
    task = wait_for_task(run_id, "schedule-review-1")
    assert task.due_date == date(2026, 11, 25)

    run_sweep(date(2026, 11, 25))
    assert task_row(task.id).escalated_on is None
    run_sweep(date(2026, 11, 27))  # Nov 26 is Thanksgiving; the task is two days late
    assert task_row(task.id).escalated_on == date(2026, 11, 27)
    escalations = wait_until(lambda: [m for m in _mails_mentioning(stack, rid) if "Overdue" in m["Subject"]],
                             60, "the escalation email")
    assert [m["To"] for m in escalations] == ["tomasz.wieczorek@dss.mo.example"]  # S-004, the supervisor
    assert _count(AuditEvent, AuditEvent.subject_id == rid, AuditEvent.action == "human_task.escalated") == 1

    sent_before = _count(Notice)
    run_sweep(date(2026, 11, 27))
    run_sweep(date(2026, 11, 30))
    assert [m for m in _mails_mentioning(stack, rid) if "Overdue" in m["Subject"]] == escalations
    assert _count(AuditEvent, AuditEvent.subject_id == rid, AuditEvent.action == "human_task.escalated") == 1
    assert _count(Notice) >= sent_before  # other tests' tasks may fall due; ours never twice


def test_reminder_is_sent_once_before_the_due_date(stack):
    rid = "HR-S-REMIND"
    run_id = new_review(rid, as_of=date(2026, 11, 2))
    task = wait_for_task(run_id, "designee-response")
    assert task.due_date == date(2026, 11, 17)
    run_sweep(date(2026, 11, 13))  # one business day before is Nov 16
    assert task_row(task.id).reminded_on is None
    run_sweep(date(2026, 11, 16))
    run_sweep(date(2026, 11, 16))
    assert task_row(task.id).reminded_on == date(2026, 11, 16)
    reminders = wait_until(lambda: [m for m in _mails_mentioning(stack, rid) if "Reminder" in m["Subject"]],
                           60, "reminders")
    designees = {"dana.whitfield@dss.mo.example", "marcus.ebeling@dss.mo.example",
                 "odette.brannigan@dss.mo.example"}
    assert sorted(m["To"] for m in reminders) == sorted(designees)


def task_row(task_id: int) -> HumanTask:
    with transaction() as session:
        return session.get(HumanTask, task_id)
