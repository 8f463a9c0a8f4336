"""Test environment: set before Prefect or our settings are imported, one temporary home per session."""

import os
import secrets
import tempfile
from pathlib import Path

from tests.stack import free_port

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output"
RUN_DIR = Path(tempfile.mkdtemp(prefix="cwa-test-"))
PREFECT_PORT, SMTP_PORT = free_port(), free_port()
API_URL = f"http://127.0.0.1:{PREFECT_PORT}/api"
# Service identities of this test session (the test process, the runner) and every sample staff member's password.
SERVICE = ("svc-test", secrets.token_urlsafe(32))
RUNNER = ("svc-runner", secrets.token_urlsafe(32))
STAFF_PASSWORD = "Sample-Pass-2026!"

os.environ.update(
    PREFECT_HOME=str(RUN_DIR / "prefect-home"),
    PREFECT_API_URL=API_URL,
    PREFECT_API_AUTH_STRING=":".join(SERVICE),
    PREFECT_SERVER_ANALYTICS_ENABLED="false",
    PREFECT_RESULTS_PERSIST_BY_DEFAULT="true",
    PREFECT_RUNNER_POLL_FREQUENCY="1",
    PREFECT_LOGGING_TO_API_BATCH_INTERVAL="0.5",
    CWA_DATABASE_URL=f"sqlite:///{RUN_DIR / 'cwa.db'}",
    CWA_SMTP_PORT=str(SMTP_PORT),
    CWA_UI_BASE_URL=f"http://127.0.0.1:{PREFECT_PORT}",
    CWA_DELIVERY_BACKOFF_SECONDS="0",
    CWA_MAILROOM_DIR=str(RUN_DIR / "mailroom"),
    CWA_REPORTS_DIR=str(RUN_DIR / "reports"),
    CWA_SSO_HEADER="X-Test-Signed-In-User",  # single sign-on through a proxy on 127.0.0.1 (tests/flows/test_signin.py)
    CWA_SSO_PROXIES="127.0.0.1",
)

pytest_plugins = ["tests.workflow"]
