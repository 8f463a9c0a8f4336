"""Signed-in staff in the Prefect UI (docs/architecture.md, "Signing in"): the saved filter of a role, answers
bound to the person who signed in, and the refusals the UI shows. Screenshots are kept in test-output/e2e/."""

import re
from datetime import date

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models.tables import AuditEvent
from tasks.context import transaction
from tests.conftest import API_URL, SERVICE
from tests.e2e.ui import SHOTS, UI, choose, field, sign_in
from tests.workflow import new_review, review_for_the_director, review_row, wait_final, wait_for_task

pytestmark = pytest.mark.e2e

READ_PAGES = ["/dashboard", "/runs", "/flows", "/deployments", "/work-pools", "/blocks", "/variables",
              "/automations", "/events", "/concurrency-limits", "/artifacts"]


def _refusals(page) -> list[str]:
    """Every API response the page gets from now on with status 403, as 'METHOD path'."""
    seen: list[str] = []
    page.on("response", lambda r: seen.append(f"{r.request.method} {r.url}") if r.status == 403 else None)
    return seen


def _director_runs() -> set[str]:
    runs = httpx.post(f"{API_URL}/flow_runs/filter", timeout=10, auth=SERVICE, json={
        "flow_runs": {"state": {"name": {"any_": ["Suspended"]}}, "tags": {"all_": ["awaiting:director"]}},
        "limit": 200}).json()
    return {r["name"] for r in runs}


def _shot(page, name: str) -> None:
    page.screenshot(path=SHOTS / name, full_page=True)


def test_staff_read_every_page_of_the_ui_without_a_refusal(chromium, stack, page):
    refusals = _refusals(page)
    sign_in(page, "S-002")
    for path in READ_PAGES:
        page.goto(f"{UI}{path}")
        page.wait_for_load_state("networkidle")
    _shot(page, "signin-read-pages.png")
    assert refusals == []


def test_a_director_sees_exactly_the_directors_tasks_and_decides(chromium, stack, page):
    director_run = review_for_the_director("HR-E2E-DIR")
    designee_run = new_review("HR-E2E-DES", as_of=date(2026, 11, 2))
    wait_for_task(designee_run, "designee-response")
    sign_in(page, "S-003")
    page.goto(f"{UI}/runs")
    choose(page, page.locator(".saved-filters"), "Waiting for a director")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("hiring-review-HR-E2E-DIR")).to_be_visible()
    shown = set(page.get_by_role("link", name=re.compile(r"^(hiring-review|improvement-plan)-")).all_inner_texts())
    _shot(page, "signin-director-filter.png")
    assert shown == _director_runs() and "hiring-review-HR-E2E-DES" not in shown

    page.goto(f"{UI}/runs/flow-run/{director_run}")
    page.get_by_role("button", name="Resume", exact=True).first.click()
    form = page.get_by_role("dialog")
    choose(page, field(form, "Decision"), "affirm")
    field(form, "Written reasons").locator("textarea").fill("The designee's recommendation stands.")
    _shot(page, "signin-director-form.png")
    form.get_by_role("button", name="Submit", exact=True).click()
    expect(form).to_be_hidden()
    assert wait_final(director_run)["state"]["type"] == "COMPLETED"
    assert (review_row("HR-E2E-DIR").status, review_row("HR-E2E-DIR").final_by) == ("final_affirmed", "S-003")
    with transaction() as session:
        answered = session.exec(select(AuditEvent).where(AuditEvent.subject_id == "HR-E2E-DIR",
                                                         AuditEvent.action == "human_task.answered")
                                .order_by(AuditEvent.id.desc())).first()
    assert (answered.actor, answered.detail["method"]) == ("S-003", "password")


def test_a_designee_is_refused_the_directors_task_and_deleting_a_run_and_the_ui_says_why(chromium, stack, page):
    director_run = review_for_the_director("HR-E2E-REF")
    sign_in(page, "S-001")
    page.goto(f"{UI}/runs/flow-run/{director_run}")
    page.get_by_role("button", name="Resume", exact=True).first.click()
    form = page.get_by_role("dialog")
    choose(page, field(form, "Decision"), "affirm")
    field(form, "Written reasons").locator("textarea").fill("I would decide it myself.")
    form.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text(re.compile("does not hold the role 'director'")).first).to_be_visible()
    _shot(page, "signin-designee-refused-task.png")
    assert wait_for_task(director_run, "director-decision").claimed_by is None

    page.goto(f"{UI}/runs/flow-run/{director_run}")
    page.locator(".page-heading__trailing button").last.click()  # the run's menu
    page.get_by_text("Delete", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text(re.compile("only an administrator")).first).to_be_visible()
    _shot(page, "signin-designee-refused-delete.png")
    assert httpx.get(f"{API_URL}/flow_runs/{director_run}", timeout=10, auth=SERVICE).status_code == 200
