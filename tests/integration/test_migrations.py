"""Alembic migrations (models/migrations) on fresh SQLite and PostgreSQL databases.

The migrated schema must match SQLModel.metadata exactly (autogenerate finds nothing to do), and the
constraints the outbox and the audit trail rely on must hold in the database itself.

PostgreSQL: a throw-away database `cwa_test_<random>` on 127.0.0.1:5432 (trust auth, user postgres or
root), dropped afterwards. Skipped when the server is not reachable, unless CWA_REQUIRE_POSTGRES=1.
"""

from datetime import date, datetime, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from models.db import engine_for, session_scope
from models.migrate import alembic_config, upgrade
from models.tables import AuditEvent, HumanTask, Notice, StaffRole
from tests.databases import BACKENDS, empty_database, postgres_admin

on_each_backend = pytest.mark.parametrize("fresh_url", BACKENDS, indirect=True)


@pytest.fixture(scope="module")
def pg_admin():
    """(AUTOCOMMIT engine on the `test` database, user name) for creating and dropping databases."""
    engine, user = postgres_admin()
    yield engine, user
    engine.dispose()


@pytest.fixture
def fresh_url(request, tmp_path):
    """URL of an empty database on the backend named by the parameter."""
    admin = request.getfixturevalue("pg_admin") if request.param == "postgresql" else None
    with empty_database(request.param, tmp_path, admin) as url:
        yield url


@pytest.fixture
def migrated_url(fresh_url):
    upgrade(fresh_url)
    return fresh_url


def schema_differences(url: str) -> list:
    with engine_for(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def current_revision(url: str) -> str | None:
    with engine_for(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def new_notice(key: str, **overrides) -> Notice:
    fields = dict(
        notice_type="designee-decision", recipient_type="contractor", recipient_id="C-001",
        address="office@acme.example", subject_type="hiring_review", subject_id="HR-0001",
        template="designee-decision", template_version="1", subject_line="Hiring review HR-0001",
        body_text="text", body_html="<p>html</p>", content_hash="0" * 64, channel="email",
        idempotency_key=key,
    )
    return Notice(**{**fields, **overrides})


def new_task(flow_run_id: str, key: str) -> HumanTask:
    return HumanTask(flow_run_id=flow_run_id, key=key, kind="designee-decision", subject_type="hiring_review",
                     subject_id="HR-0001", required_role="designee", due_date=date(2025, 3, 18), pause_key=key)


# --- the schema ------------------------------------------------------------------------------------------


@on_each_backend
def test_upgrade_creates_every_table_and_reaches_head(fresh_url):
    upgrade(fresh_url)

    tables = set(inspect(engine_for(fresh_url)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert tables - set(SQLModel.metadata.tables) == {"alembic_version"}
    assert current_revision(fresh_url) == head_revision(fresh_url)


@on_each_backend
def test_migrated_schema_matches_the_models(fresh_url):
    upgrade(fresh_url)

    assert schema_differences(fresh_url) == []


@on_each_backend
def test_upgrade_twice_is_a_no_op(migrated_url):
    upgrade(migrated_url)

    assert current_revision(migrated_url) == head_revision(migrated_url)
    assert schema_differences(migrated_url) == []


@on_each_backend
def test_downgrade_to_base_drops_everything_and_upgrade_restores_it(migrated_url):
    command.downgrade(alembic_config(migrated_url), "base")
    assert set(inspect(engine_for(migrated_url)).get_table_names()) <= {"alembic_version"}
    assert current_revision(migrated_url) is None

    upgrade(migrated_url)
    assert schema_differences(migrated_url) == []


# --- constraints the application relies on ----------------------------------------------------------------

# (id, rows committed first, the row that must be refused): factories, since ORM objects belong to one session
VIOLATIONS = [
    ("notice-idempotency-key-unique",
     lambda: [new_notice("designee-decision:HR-0001:1")],
     lambda: new_notice("designee-decision:HR-0001:1", recipient_id="C-002")),
    ("human-task-key-unique-per-flow-run",
     lambda: [new_task("run-1", "designee-decision")],
     lambda: new_task("run-1", "designee-decision")),
    ("staff-role-needs-staff",
     lambda: [],
     lambda: StaffRole(staff_id="S-404", role="designee")),
]


@on_each_backend
@pytest.mark.parametrize("first, refused", [v[1:] for v in VIOLATIONS], ids=[v[0] for v in VIOLATIONS])
def test_database_refuses_rows_that_break_a_constraint(migrated_url, first, refused):
    with session_scope(migrated_url) as session:
        session.add_all(first())

    with pytest.raises(IntegrityError):
        with session_scope(migrated_url) as session:
            session.add(refused())

    with session_scope(migrated_url) as session:
        assert len(session.exec(select(type(refused()))).all()) == len(first())


@on_each_backend
def test_same_key_for_a_different_flow_run_is_accepted(migrated_url):
    with session_scope(migrated_url) as session:
        session.add_all([new_task("run-1", "designee-decision"), new_task("run-2", "designee-decision")])

    with session_scope(migrated_url) as session:
        assert len(session.exec(select(HumanTask)).all()) == 2


DETAIL = {
    "decision": "may not perform",
    "paragraphs": ["(7)(C)1.A", "(7)(C)1.B"],
    "offences": [{"category": "felony", "level": "A", "date": "2019-05-01"}],
    "count": 3,
    "ratio": 0.25,
    "division_employee": False,
    "designee_id": None,
    "note": "José Núñez — «quoted» \"text\" <b>",
}


@on_each_backend
def test_audit_event_round_trips_json_detail_and_timestamp(migrated_url):
    at = datetime(2025, 3, 4, 15, 30, 12, 345678, tzinfo=timezone.utc)
    with session_scope(migrated_url) as session:
        session.add(AuditEvent(at=at, actor="S-001", action="designee-decision", subject_type="hiring_review",
                               subject_id="HR-0001", rule="13 CSR 35-32.020 (7)(C)2", detail=DETAIL))
        session.add(AuditEvent(actor="system", action="noop", subject_type="hiring_review", subject_id="HR-0002"))

    with session_scope(migrated_url) as session:
        decided, noop = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()

    assert decided.detail == DETAIL
    assert noop.detail == {}
    stored = decided.at if decided.at.tzinfo else decided.at.replace(tzinfo=timezone.utc)  # SQLite: naive UTC
    assert stored == at
