"""Settings and database sessions for the I/O edge, read once per process."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models.db import session_scope
from models.settings import Settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings()


@contextmanager
def transaction() -> Iterator[Session]:
    """One business transaction on the configured database."""
    with session_scope(settings().database_url) as session:
        yield session


def current_flow_run_id() -> str | None:
    """The Prefect flow run this code runs in, if any (recorded on audit rows)."""
    from prefect.runtime import flow_run

    run_id = flow_run.id
    return str(run_id) if run_id else None


def division_today() -> date:
    """Today in the division's time zone: only outermost flows and form defaults read the clock."""
    return datetime.now(ZoneInfo(settings().timezone)).date()


def run_link(flow_run_id: str) -> str:
    """Where staff open a flow run in the Prefect UI."""
    return f"{settings().ui_base_url.rstrip('/')}/runs/flow-run/{flow_run_id}"
