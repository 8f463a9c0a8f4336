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
from playwright.sync_api import expect, sync_playwright

from tests.conftest import OUTPUT, PREFECT_PORT, STAFF_PASSWORD
from tests.workflow import new_review, review_row, wait_for_task

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = OUTPUT / "e2e"
README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "approval-form.png"
UI = f"http://127.0.0.1:{PREFECT_PORT}"
TIMEOUT_MS = 30_000

DECISION = "may not provide case management"
REASONS = "Pattern of offences relevant to duties; see the findings of P-HR-E2E-1."
DECISION_DATE = date(2026, 11, 3)  # not the form's default (the division's today)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium. Requested before `stack`, so a missing browser skips (or fails) at once."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install chromium)"
        if os.environ.get("CWA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CWA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium):
    """Module scope, not session: while Playwright's sync API is open it runs an event loop on the main
    thread, and Prefect's sync calls (run_deployment) in later tests would return coroutines."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for stale in ("failure.png", "failure.html"):
        (SHOTS / stale).unlink(missing_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="en-US",
                                  timezone_id="America/Chicago")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _field(form, label: str):
    """One property of the schema form, by its visible label ("Decision date" also matches "... (Optional)")."""
    title = form.page.locator(".schema-form-property__label").filter(  # relative to each property
        has_text=re.compile(rf"^\s*{re.escape(label)}(\s*\(Optional\))?\s*$"))
    return form.locator(".schema-form-property").filter(has=title)


def _choose(page, field, option: str) -> None:
    """Prefect's own select: a button that opens a listbox teleported to <body>.

    In headless Chromium a mouse click opens the listbox and closes it at once (it only focuses the button);
    the keyboard (ArrowDown) opens it reliably.
    """
    control = field.get_by_role("button").filter(has=page.locator(".p-select-button__value"))
    control.click()
    listbox = page.get_by_role("listbox")
    if not listbox.is_visible():
        control.press("ArrowDown")
    listbox.get_by_role("option", name=option, exact=True).click()
    listbox.wait_for(state="hidden")


def _pick_date(page, field, day: date) -> None:
    """Prefect's date picker: open the calendar, type into its "Selected Date" input, Apply."""
    field.locator(".p-date-button__control").click()
    picker = page.locator(".p-pop-over-content").filter(has=page.get_by_text("Selected Date"))
    picker.locator("input[type=date]").fill(day.isoformat())
    picker.get_by_role("button", name="Apply", exact=True).click()
    picker.wait_for(state="hidden")


def sign_in(page, staff_id: str) -> None:
    """The Prefect UI's own login page: STAFF-ID:password."""
    page.goto(f"{UI}/dashboard")
    box = page.get_by_placeholder("admin:pass")
    box.fill(f"{staff_id}:{STAFF_PASSWORD}")
    page.get_by_role("button", name="Login").click()
    expect(box).to_be_hidden()


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


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

        _choose(page, _field(form, "Decision"), DECISION)
        _field(form, "Written reasons").locator("textarea").fill(REASONS)
        decision_date = _field(form, "Decision date")
        _pick_date(page, decision_date, DECISION_DATE)
        expect(_field(form, "Decision")).to_contain_text(DECISION)
        expect(decision_date.locator(".p-date-button__value")).to_have_text(
            DECISION_DATE.strftime(f"%b {_ordinal(DECISION_DATE.day)}, %Y"))
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


def test_administrator_records_a_practice_improvement_plan_in_the_prefect_ui(chromium, stack, page):
    """13 CSR 35-32.020 (16)(A)-(D): the plan form, filled by a contract administrator."""
    from tasks.plans.intake import open_plan, start_plan_run
    from tasks.context import transaction
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
        _field(form, "(A) Why the outcome was not achieved").locator("textarea").fill("Court delays.")
        _field(form, "(B) Steps to meet the outcome").locator("textarea").fill("Monthly permanency staffings.")
        _field(form, "(C) Individuals responsible").locator("textarea").fill("C. Diaz, permanency lead")
        days = _field(form, "(D) Timeframe in calendar days").locator("input")
        expect(days).to_have_value("90")  # the rule's default, shown to the administrator
        days.fill("60")
        _pick_date(page, _field(form, "Effective date"), date(2026, 8, 3))
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
