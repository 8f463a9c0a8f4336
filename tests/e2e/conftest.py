"""Fixtures of the browser tests: Debian's chromium, a browser per module, a page per test."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.ui import CHROMIUM, CHROMIUM_ARGS, SHOTS, TIMEOUT_MS


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
