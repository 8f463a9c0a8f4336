"""Prefect's own application and database when busy (tasks/signin/busy.py): `cwa server` runs the request again
and the client gets the answer of the attempt that went through, once; SQLite waits 2 s for its write lock."""

import asyncio
import sqlite3

import httpx
import pytest
import sqlalchemy
from prefect.server.database.configurations import AioSqliteConfiguration
from prefect.server.database.dependencies import set_database_config, temporary_database_config
from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL, temporary_settings

from tasks.signin.busy import RetryBusy, wait_briefly_for_sqlite


@pytest.fixture
def locked_once(monkeypatch):
    """Prefect's flow insert meets another writer once: SQLite's "database is locked", as under a burst."""
    import prefect.server.models.flows as flows

    real, calls = flows.create_flow, []

    async def create_flow(*args, **kwargs):
        calls.append(kwargs["flow"].name)
        if len(calls) == 1:
            raise sqlalchemy.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        return await real(*args, **kwargs)

    monkeypatch.setattr(flows, "create_flow", create_flow)
    return calls


def _create_flow(tmp_path, wrap) -> tuple[httpx.Response, list[dict]]:
    from prefect.server.api.server import create_app

    async def call():
        app = create_app(ephemeral=True, final=True)
        async with app.router.lifespan_context(app):
            # Starlette raises Prefect's exception again after its handler has answered: the client gets the answer
            transport = httpx.ASGITransport(app=wrap(app), raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://cwa") as c:
                response = await c.post("/api/flows/", json={"name": "hiring-exclusion-review"})
                return response, (await c.post("/api/flows/filter", json={})).json()

    url = f"sqlite+aiosqlite:///{tmp_path}/prefect.db"  # a database of its own, not the shared test server's
    with temporary_settings({PREFECT_API_DATABASE_CONNECTION_URL: url}), \
            temporary_database_config(AioSqliteConfiguration(connection_url=url)):
        return asyncio.run(call())


def test_a_locked_database_is_retried_in_the_server_and_the_flow_is_created_once(tmp_path, locked_once):
    response, flows = _create_flow(tmp_path, lambda app: RetryBusy(app, seconds=5))
    assert response.status_code == 201
    assert locked_once == ["hiring-exclusion-review"] * 2
    assert [f["name"] for f in flows] == ["hiring-exclusion-review"]


def test_without_it_prefect_answers_busy_and_leaves_the_wait_to_its_client(tmp_path, locked_once):
    response, flows = _create_flow(tmp_path, lambda app: app)
    assert response.status_code == 503 and "retry-after" not in response.headers  # Prefect's client: 2 s, 4 s...
    assert locked_once == ["hiring-exclusion-review"] and flows == []


def ours(url: str) -> None:
    wait_briefly_for_sqlite(2.0)


def prefects(url: str) -> None:
    set_database_config(AioSqliteConfiguration(url))


def _on_a_database_of_its_own(tmp_path, configure, probe):
    """probe(path of the database file) run against Prefect's database interface, configured by configure(url)."""
    tmp_path.mkdir()
    url = f"sqlite+aiosqlite:///{tmp_path}/prefect.db"
    with temporary_settings({PREFECT_API_DATABASE_CONNECTION_URL: url}), temporary_database_config(None):
        configure(url)
        return asyncio.run(probe(tmp_path / "prefect.db"))


async def _busy_timeout(path) -> int:
    """Prefect's SQLite wait for the write lock (ms) on a connection of its database interface."""
    from prefect.server.database.dependencies import provide_database_interface

    engine = await provide_database_interface().engine()
    async with engine.connect() as connection:
        return (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()


async def _holds_write_lock_while_reading(path) -> bool:
    """Whether a transaction of Prefect's that has only read so far already holds SQLite's write lock."""
    from prefect.server.database.dependencies import provide_database_interface

    async with provide_database_interface().session_context(begin_transaction=True) as session:
        await session.execute(sqlalchemy.text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            other.close()


def test_prefect_sqlite_waits_two_seconds_for_its_write_lock_instead_of_sixty(tmp_path):
    assert _on_a_database_of_its_own(tmp_path / "ours", ours, _busy_timeout) == 2000
    assert _on_a_database_of_its_own(tmp_path / "prefect", prefects, _busy_timeout) == 60000


def test_a_transaction_that_will_write_takes_the_lock_first_and_cannot_lose_its_snapshot(tmp_path):
    assert _on_a_database_of_its_own(tmp_path / "ours", ours, _holds_write_lock_while_reading)
    assert not _on_a_database_of_its_own(tmp_path / "prefect", prefects, _holds_write_lock_while_reading)
