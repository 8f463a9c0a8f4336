"""The designee answers a suspended hiring review in the Prefect UI with a real browser (13 CSR 35-32.020 (7)(C)2).

Chromium opens the suspended run, fills the resume form that Prefect renders from DesigneeResponse, submits,
and the flow goes on to the contractor's review request. Screenshots are kept in test-output/e2e/; the one of the
filled form is also the README's picture, docs/approval-form.png, written when it is missing or when
CWA_UPDATE_SCREENSHOTS=1.
"""

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models.tables import AuditEvent
from tasks.context import transaction
from tests.e2e.ui import SHOTS, UI, choose, field, ordinal, pick_date, sign_in
from tests.workflow import new_review, review_row, wait_for_task

pytestmark = pytest.mark.e2e

README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "approval-form.png"

DECISION = "may not provide case management"
REASONS = "Pattern of offences relevant to duties; see the findings of P-HR-E2E-1."
DECISION_DATE = date(2026, 11, 3)  # not the form's default (the division's today)


def test_designee_answers_the_suspended_review_in_the_prefect_ui(chromium, stack, page):
    run_id = new_review("HR-E2E-1", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    try:
        sign_in(page, "S-001")
        page.goto(f"{UI}/runs/flow-run/{run_id}")
        page.get_by_role("button", name="Resume", exact=True).first.click()

        form = page.get_by_role("dialog")
        expect(form.get_by_role("heading", name=re.compile(r"Hiring review HR-E2E-1"))).to_be_visible()
        expect(form.get_by_text("Decided by")).to_have_count(0)  # the answer is bound to who signed in
        expect(form.get_by_text("designee response")).to_be_visible()

        choose(page, field(form, "Decision"), DECISION)
        field(form, "Written reasons").locator("textarea").fill(REASONS)
        decision_date = field(form, "Decision date")
        pick_date(page, decision_date, DECISION_DATE)
        expect(field(form, "Decision")).to_contain_text(DECISION)
        expect(decision_date.locator(".p-date-button__value")).to_have_text(
            DECISION_DATE.strftime(f"%b {ordinal(DECISION_DATE.day)}, %Y"))
        form.locator(".p-modal__body").evaluate("body => body.scrollTo(0, 0)")
        page.screenshot(path=SHOTS / "resume-form.png")
        if not README_SHOT.exists() or os.environ.get("CWA_UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(SHOTS / "resume-form.png", README_SHOT)

        form.get_by_role("button", name="Submit", exact=True).click()
        expect(form).to_be_hidden()

        wait_for_task(run_id, "review-request-1")  # the flow went on to the contractor's 30 days
        page.reload()  # the run page again: suspended a second time, now for the review request
        expect(page.get_by_text("Finished in state Suspended")).to_have_count(2)
        page.screenshot(path=SHOTS / "after-resume.png", full_page=True)
    except BaseException:
        page.screenshot(path=SHOTS / "failure.png", full_page=True)
        (SHOTS / "failure.html").write_text(page.content())
        raise

    review = review_row("HR-E2E-1")
    assert review.designee_decision == DECISION
    assert review.decision_date == DECISION_DATE
    assert (review.designee_id, review.designee_reasons) == ("S-001", REASONS)
    with transaction() as session:  # the audit trail names the designee who signed in
        answered = session.exec(select(AuditEvent).where(AuditEvent.subject_id == "HR-E2E-1",
                                                         AuditEvent.action == "human_task.answered")).one()
    assert (answered.actor, answered.detail["signed_in_as"], answered.detail["method"]) == ("S-001", "S-001",
                                                                                         "password")


def test_administrator_records_a_practice_improvement_plan_in_the_prefect_ui(chromium, stack, page):
    """13 CSR 35-32.020 (16)(A)-(D): the plan form, filled by a contract administrator."""
    from tasks.plans.intake import open_plan, start_plan_run
    from tests.workflow import resume

    with transaction() as session:
        open_plan(session, plan_id="PIP-E2E-1", contract_id="K-003", outcomes=["timely permanency"], actor="test")
    run_id = start_plan_run("PIP-E2E-1", date(2026, 7, 15))
    wait_for_task(run_id, "require-plan")
    resume(run_id, require=True, reasons="Permanency below target.", decided_by="S-005")
    wait_for_task(run_id, "record-plan")
    try:
        sign_in(page, "S-005")
        page.goto(f"{UI}/runs/flow-run/{run_id}")
        page.get_by_role("button", name="Resume", exact=True).first.click()
        form = page.get_by_role("dialog")
        expect(form.get_by_role("heading", name=re.compile(r"Plan PIP-E2E-1"))).to_be_visible()
        field(form, "(A) Why the outcome was not achieved").locator("textarea").fill("Court delays.")
        field(form, "(B) Steps to meet the outcome").locator("textarea").fill("Monthly permanency staffings.")
        field(form, "(C) Individuals responsible").locator("textarea").fill("C. Diaz, permanency lead")
        days = field(form, "(D) Timeframe in calendar days").locator("input")
        expect(days).to_have_value("90")  # the rule's default, shown to the administrator
        days.fill("60")
        pick_date(page, field(form, "Effective date"), date(2026, 8, 3))
        form.locator(".p-modal__body").evaluate("body => body.scrollTo(0, 0)")
        page.screenshot(path=SHOTS / "plan-form.png")
        form.get_by_role("button", name="Submit", exact=True).click()
        expect(form).to_be_hidden()
        task = wait_for_task(run_id, "verify-plan")
    except BaseException:
        page.screenshot(path=SHOTS / "failure.png", full_page=True)
        (SHOTS / "failure.html").write_text(page.content())
        raise
    assert task.due_date == date(2026, 10, 2)  # 60 calendar days after August 3
