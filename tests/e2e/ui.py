"""Driving the Prefect UI in Chromium: where it is, the login page, and its form controls."""

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import OUTPUT, PREFECT_PORT, STAFF_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = OUTPUT / "e2e"
UI = f"http://127.0.0.1:{PREFECT_PORT}"
TIMEOUT_MS = 30_000


def field(form, label: str):
    """One property of the schema form, by its visible label ("Decision date" also matches "... (Optional)")."""
    title = form.page.locator(".schema-form-property__label").filter(  # relative to each property
        has_text=re.compile(rf"^\s*{re.escape(label)}(\s*\(Optional\))?\s*$"))
    return form.locator(".schema-form-property").filter(has=title)


def choose(page, field, option: str) -> None:
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


def pick_date(page, field, day: date) -> None:
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


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
