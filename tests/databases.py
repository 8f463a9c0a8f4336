"""Throw-away databases for tests that need one of their own (a sweep or a month's billing takes every row in it).

SQLite: a new file in the test's folder. PostgreSQL: a database `cwa_test_<random>` on 127.0.0.1:5432 (trust auth,
user postgres, else root), dropped afterwards with its connections. When the server is not reachable the test is
skipped, or fails if CWA_REQUIRE_POSTGRES=1.

    @pytest.fixture(params=BACKENDS)
    def db(request, tmp_path):
        with fresh_database(request.param, tmp_path) as url:   # migrated; settings().database_url is url
            yield url
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from models.db import engine_for
from models.migrate import upgrade
from tasks.context import settings

PG_HOST = "127.0.0.1:5432"
PG_USERS = ("postgres", "root")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_admin() -> tuple[Engine, str]:
    """(AUTOCOMMIT engine on the `test` database, user name) for creating and dropping databases; the caller
    disposes of the engine. Skips the test if no user can connect, or fails it if CWA_REQUIRE_POSTGRES=1."""
    errors = []
    for user in PG_USERS:
        engine = create_engine(f"postgresql+psycopg://{user}@{PG_HOST}/test", isolation_level="AUTOCOMMIT",
                               connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            errors.append(f"user {user}: {' '.join(str(exc.orig).split())}")
            engine.dispose()
            continue
        return engine, user
    reason = f"PostgreSQL not reachable at {PG_HOST}: " + "; ".join(errors)
    if os.environ.get("CWA_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (CWA_REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


@contextmanager
def empty_database(backend: str, folder: Path, admin: tuple[Engine, str] | None = None) -> Iterator[str]:
    """The URL of a new, empty database on the backend ("sqlite" or "postgresql"), removed afterwards.

    admin: a postgres_admin() result to reuse (a module-scoped fixture); by default one is made and disposed of."""
    if backend == "sqlite":
        url = f"sqlite:///{Path(folder) / f'cwa-{uuid.uuid4().hex[:8]}.db'}"
        try:
            yield url
        finally:
            engine_for(url).dispose()
        return
    if backend != "postgresql":
        raise ValueError(f"unknown database backend {backend!r}")
    engine, user = admin or postgres_admin()
    name = f"cwa_test_{uuid.uuid4().hex[:12]}"
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"postgresql+psycopg://{user}@{PG_HOST}/{name}"
        try:
            yield url
        finally:
            engine_for(url).dispose()  # Alembic's env.py and session_scope share this pooled engine
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        if admin is None:
            engine.dispose()


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """A migrated, empty database on the backend; tasks.context.settings() (so transaction()) uses it meanwhile."""
    with empty_database(backend, folder) as url:
        upgrade(url)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings(), "database_url", url)
            yield url
